/* void hypercall_vmmcall(struct hc_regs *r), void hypercall_vmcall(struct hc_regs *r):
 * r's six registers in, the hypercall instruction, all six back out to r. */

	.text
	.code32

	.macro HYPERCALL name, insn_label, insn:vararg
	.globl \name
\name:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 20(%esp), %ebp		/* r */
	movl 0(%ebp), %eax
	movl 4(%ebp), %ebx
	movl 8(%ebp), %ecx
	movl 12(%ebp), %edx
	movl 16(%ebp), %esi
	movl 20(%ebp), %edi
	.globl \insn_label
\insn_label:
	\insn
	movl %eax, 0(%ebp)
	movl %ebx, 4(%ebp)
	movl %ecx, 8(%ebp)
	movl %edx, 12(%ebp)
	movl %esi, 16(%ebp)
	movl %edi, 20(%ebp)
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.endm

	HYPERCALL hypercall_vmmcall, hc_vmmcall_insn, vmmcall
	HYPERCALL hypercall_vmcall, hc_vmcall_insn, vmcall
