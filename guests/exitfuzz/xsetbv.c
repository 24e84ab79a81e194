/* XSETBV of random XCR0 values (and now and then another XCR), with
 * CR4.OSXSAVE now and then clear: #UD without XSAVE or OSXSAVE; #GP for an
 * XCR other than 0 and for a value the rules refuse (x87 clear, a
 * component CPUID does not list, AVX without SSE, AVX-512's three parts
 * apart or without AVX, MPX's two apart, AMX's two apart); a value that
 * took reads back with XGETBV. XCR0 goes back to x87+SSE, CR4 to what it
 * was. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define XCR0_AVX512	(XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM)
#define XCR0_MPX	(XCR0_BNDREGS | XCR0_BNDCSR)
#define XCR0_AMX	(XCR0_TILECFG | XCR0_TILEDATA)

struct xsetbv_try {
	uint32_t index;
	uint64_t value;
};

/* XSETBV of a struct xsetbv_try, for fuzz_try. */
static void xsetbv_try(void *arg)
{
	struct xsetbv_try *t = arg;

	xsetbv(t->index, t->value);
}

/* Whether a group of components is all there or all absent. */
static bool whole(uint64_t value, uint64_t group)
{
	return !(value & group) || (value & group) == group;
}

/* Whether XSETBV takes `value` for XCR0. */
static bool xcr0_valid(uint64_t value)
{
	return (value & XCR0_X87) && !(value & ~fuzz_cpu.xcr0_ok) &&
	       (!(value & XCR0_AVX) || (value & XCR0_SSE)) && whole(value, XCR0_AVX512) &&
	       (!(value & XCR0_AVX512) || (value & XCR0_AVX)) && whole(value, XCR0_MPX) &&
	       whole(value, XCR0_AMX);
}

/* Mostly a combination of what CPUID lists; sometimes any bits at all. */
static uint64_t random_xcr0(void)
{
	uint64_t value = rng64();

	return rng_one_in(4) ? value : value & fuzz_cpu.xcr0_ok;
}

/* XSETBV of a random XCR and value, CR4.OSXSAVE set or (1 in 8) clear;
 * XCR0 and CR4 put back. */
static void step(void)
{
	uint32_t cr4 = read_cr4();
	bool osxsave = fuzz_cpu.xsave && !rng_one_in(8);
	struct xsetbv_try t = { rng_one_in(8) ? rng_below(4) : 0, random_xcr0() };
	int v, want;

	if (fuzz_cpu.xsave)
		write_cr4(osxsave ? cr4 | CR4_OSXSAVE : cr4 & ~(uint32_t)CR4_OSXSAVE);
	v = fuzz_try(xsetbv_try, &t);
	want = !osxsave ? VEC_UD : t.index || !xcr0_valid(t.value) ? VEC_GP : TRAP_NONE;
	fuzz_expect_vector(v, want, "xsetbv %u <- 0x%llx (CR4.OSXSAVE %u)", t.index, t.value,
			   osxsave);
	if (osxsave) {
		if (v == TRAP_NONE)
			fuzz_expect(xgetbv(0) == t.value, "xsetbv 0 <- 0x%llx reads back 0x%llx",
				    t.value, xgetbv(0));
		t = (struct xsetbv_try){ 0, fuzz_cpu.xcr0_ok & (XCR0_X87 | XCR0_SSE) };
		fuzz_expect_vector(fuzz_try(xsetbv_try, &t), TRAP_NONE, "xsetbv 0 <- 0x%llx",
				   t.value);
	}
	write_cr4(cr4);
}

const struct fuzz_class fuzz_xsetbv = { "xsetbv", 6, step, NULL };
