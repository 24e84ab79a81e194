/* Searching the fixup table the linker gathers from every .ex_table. */
#include "cpu/extable.h"
#include "x86/insn.h"

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

bool extable_fixup(struct trap_frame *tf)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == tf->rip) {
			tf->rip = e->fixup;
			return true;
		}
	}
	return false;
}
