/* CPUID of random leaves and subleaves: in and just past each range
 * (basic, hypervisor, extended), or anywhere. Never a fault; the same
 * question twice gets the same answer; leaf 1 reflects CR4.OSXSAVE and
 * the enabled APIC; the hypervisor leaf carries the signature. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/string.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define HV_LEAF			0x40000000u
#define LEAF1_EDX_APIC		(1u << 9)

struct cpuid_try {
	uint32_t leaf, subleaf;
	struct cpuid_regs first, second;
};

/* The same CPUID twice (struct cpuid_try), for fuzz_try. */
static void ask_twice(void *arg)
{
	struct cpuid_try *t = arg;

	t->first = cpuid(t->leaf, t->subleaf);
	t->second = cpuid(t->leaf, t->subleaf);
}

/* A leaf in one of the three ranges (up to two past its end), or any. */
static uint32_t random_leaf(void)
{
	static const uint32_t bases[] = { 0, HV_LEAF, 0x80000000u };
	uint32_t base = rng_pick(bases, ARRAY_SIZE(bases));
	uint32_t max = cpuid(base, 0).eax;

	if (rng_one_in(8) || max < base || max - base > 0x1000)
		return rng32();
	return base + rng_below(max - base + 3);
}

/* One random leaf, asked twice. */
static void step(void)
{
	struct cpuid_try t = { .leaf = random_leaf(),
			       .subleaf = rng_one_in(4) ? rng32() : rng_below(4) };
	int v = fuzz_try(ask_twice, &t);

	fuzz_expect_vector(v, TRAP_NONE, "cpuid 0x%x.0x%x", t.leaf, t.subleaf);
	if (v != TRAP_NONE)
		return;
	fuzz_expect(!memcmp(&t.first, &t.second, sizeof(t.first)),
		    "cpuid 0x%x.0x%x answered 0x%x 0x%x 0x%x 0x%x, then 0x%x 0x%x 0x%x 0x%x", t.leaf,
		    t.subleaf, t.first.eax, t.first.ebx, t.first.ecx, t.first.edx, t.second.eax,
		    t.second.ebx, t.second.ecx, t.second.edx);
	if (t.leaf == 1) {
		bool osxsave = read_cr4() & CR4_OSXSAVE;

		fuzz_expect(!(t.first.ecx & CPUID1_ECX_OSXSAVE) == !osxsave,
			    "cpuid 1 ECX 0x%x: OSXSAVE differs from CR4 0x%lx", t.first.ecx,
			    read_cr4());
		fuzz_expect(t.first.edx & LEAF1_EDX_APIC,
			    "cpuid 1 EDX 0x%x: no APIC bit with the APIC enabled", t.first.edx);
	}
	if (t.leaf == HV_LEAF)
		fuzz_expect(!memcmp(&t.first.ebx, "hvhv", 4) && !memcmp(&t.first.ecx, "hvhv", 4) &&
			    !memcmp(&t.first.edx, "hvhv", 4),
			    "cpuid 0x%x: no hv signature", HV_LEAF);
}

const struct fuzz_class fuzz_cpuid = { "cpuid", 10, step, NULL };
