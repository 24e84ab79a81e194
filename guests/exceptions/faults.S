/* One faulting instruction per function, each at a global label the C side
 * compares the saved EIP with. The exception abandons the function. */

#include "guests/exceptions/faults.h"

	.text
	.code32

/* void raise_de(void *): divide by zero. */
	.globl raise_de, de_insn
raise_de:
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl $1, %eax
de_insn:
	divl %ecx
	ret

/* void raise_ud(void *): an undefined opcode. */
	.globl raise_ud, ud_insn
raise_ud:
ud_insn:
	ud2
	ret

/* void raise_bp(void *): a breakpoint (a trap: EIP is past the int3). */
	.globl raise_bp, bp_insn
raise_bp:
bp_insn:
	int3
	ret

/* void raise_pf(void *page): a write to page, which must be unmapped. */
	.globl raise_pf, pf_insn
raise_pf:
	movl 4(%esp), %eax
pf_insn:
	movl $1, (%eax)
	ret

/* void raise_gp(void *): load DS with a selector beyond the GDT's limit. */
	.globl raise_gp, gp_insn
raise_gp:
	movw $GP_SELECTOR, %ax
gp_insn:
	movw %ax, %ds
	ret
