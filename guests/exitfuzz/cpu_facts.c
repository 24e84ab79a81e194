/* What the guest's CPUID permits, as the SDM and APM tie each control bit
 * to a feature flag: the oracle the steps judge the answers by. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/cpu.h"
#include "guests/lib/x86.h"

struct fuzz_cpu fuzz_cpu;

enum cpuid_reg { EAX, EBX, ECX, EDX };

/* A CR4 bit and the CPUID flag (leaf, subleaf, register, bit) that
 * makes it settable. */
struct cr4_feature {
	uint8_t cr4_bit;
	uint32_t leaf;
	uint8_t subleaf, reg, flag;
};

static const struct cr4_feature cr4_features[] = {
	{ 0, 1, 0, EDX, 1 },		/* VME: VME */
	{ 1, 1, 0, EDX, 1 },		/* PVI: VME */
	{ 2, 1, 0, EDX, 4 },		/* TSD: TSC */
	{ 3, 1, 0, EDX, 2 },		/* DE: DE */
	{ 4, 1, 0, EDX, 3 },		/* PSE: PSE */
	{ 5, 1, 0, EDX, 6 },		/* PAE: PAE */
	{ 6, 1, 0, EDX, 7 },		/* MCE: MCE */
	{ 7, 1, 0, EDX, 13 },		/* PGE: PGE */
	{ 9, 1, 0, EDX, 24 },		/* OSFXSR: FXSR */
	{ 10, 1, 0, EDX, 25 },		/* OSXMMEXCPT: SSE */
	{ 11, 7, 0, ECX, 2 },		/* UMIP */
	{ 12, 7, 0, ECX, 16 },		/* LA57 */
	{ 13, 1, 0, ECX, 5 },		/* VMXE: VMX */
	{ 14, 1, 0, ECX, 6 },		/* SMXE: SMX */
	{ 16, 7, 0, EBX, 0 },		/* FSGSBASE */
	{ 17, 1, 0, ECX, 17 },		/* PCIDE: PCID */
	{ 18, 1, 0, ECX, 26 },		/* OSXSAVE: XSAVE */
	{ 19, 7, 0, ECX, 23 },		/* KL */
	{ 20, 7, 0, EBX, 7 },		/* SMEP */
	{ 21, 7, 0, EBX, 20 },		/* SMAP */
	{ 22, 7, 0, ECX, 3 },		/* PKE: PKU */
	{ 23, 7, 0, ECX, 7 },		/* CET: CET_SS */
	{ 24, 7, 0, ECX, 31 },		/* PKS */
	{ 25, 7, 0, EDX, 5 },		/* UINTR */
	{ 28, 7, 1, EAX, 26 },		/* LAM_SUP: LAM */
};


/* Register `reg` (EAX..EDX) of `r`. */
static uint32_t reg_of(struct cpuid_regs r, unsigned reg)
{
	return reg == EAX ? r.eax : reg == EBX ? r.ebx : reg == ECX ? r.ecx : r.edx;
}

/* Whether CPUID (leaf, subleaf) exists and has `flag` set in `reg`. */
static bool has(uint32_t leaf, unsigned subleaf, unsigned reg, unsigned flag)
{
	uint32_t max = cpuid(leaf & 0x80000000u, 0).eax;

	if (leaf > max || (leaf == 7 && subleaf > cpuid(7, 0).eax))
		return false;
	return reg_of(cpuid(leaf, subleaf), reg) & (1u << flag);
}

void fuzz_cpu_init(uint32_t ram_bytes, const char *cmdline)
{
	struct fuzz_cpu *c = &fuzz_cpu;
	unsigned maxphys = cpuid(0x80000000, 0).eax >= 0x80000008 ?
			   cpuid(0x80000008, 0).eax & 0xff : 36;

	c->amd = cpu_uses_vmmcall();
	c->cr4_ok = CR4_PCE;	/* no flag: every CPU with RDPMC has it */
	for (unsigned i = 0; i < ARRAY_SIZE(cr4_features); i++) {
		const struct cr4_feature *f = &cr4_features[i];

		if (has(f->leaf, f->subleaf, f->reg, f->flag))
			c->cr4_ok |= 1u << f->cr4_bit;
	}
	c->xsave = has(1, 0, ECX, 26);
	c->xcr0_ok = c->xsave ? cpuid(0xd, 0).eax | (uint64_t)cpuid(0xd, 0).edx << 32 : 0;
	c->nx = has(0x80000001, 0, EDX, 20);
	c->lm = has(0x80000001, 0, EDX, 29);
	c->syscall = has(0x80000001, 0, EDX, 11);
	c->alt_cr8 = has(0x80000001, 0, ECX, 4);
	c->tsc_aux = has(0x80000001, 0, EDX, 27) || has(7, 0, ECX, 22);
	c->monitor = has(1, 0, ECX, 3);
	c->phys_mask = ((1ull << maxphys) - 1) & ~0xfffull;
	c->ram_bytes = ram_bytes;
	c->dr7_gd = cmdline_number(cmdline, "dr7-gd", 1);
	c->canonical_msrs = cmdline_number(cmdline, "canonical-msrs", 1);
	c->sti_shadow = cmdline_number(cmdline, "sti-shadow", 1);
	c->straddle = cmdline_number(cmdline, "straddle", 0);
}
