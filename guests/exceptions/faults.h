/* The faulting functions of faults.S and their faulting instructions. */
#pragma once

/* A selector far past the guest's three-entry GDT. */
#define GP_SELECTOR	0xfff8

#ifndef __ASSEMBLY__
void raise_de(void *unused);
void raise_ud(void *unused);
void raise_bp(void *unused);
void raise_pf(void *page);
void raise_gp(void *unused);
extern const char de_insn[], ud_insn[], bp_insn[], pf_insn[], gp_insn[];
#endif
