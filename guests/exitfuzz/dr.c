/* Debug registers. DR0-DR3 take random addresses and must still hold
 * them at the next step, however many exits and VM switches came between
 * (they are the vCPU's own). DR6 takes random status bits, DR7 random
 * conditions and lengths, never an enable bit; with DR7.GD the next debug
 * register access is a #DB that reports BD in DR6 and clears GD. DR4 and
 * DR5 alias DR6 and DR7, or are #UD with CR4.DE. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define DR6_STATUS	0xe00fu		/* B0-B3, BD, BS, BT */
#define DR6_BD		(1u << 13)
#define DR7_ENABLES	0xffu		/* L0-L3, G0-G3 */
#define DR7_GD		(1u << 13)
#define DR7_DEFINED	0xffff03ffu	/* enables, LE, GE, bit 10, R/W and LEN */

static uint32_t dr_marks[4];
static bool marked;

struct dr_try {
	uint32_t value[4];
	unsigned which;
};

/* DR0-DR3 from / into a struct dr_try, for fuzz_try. */
static void write_addresses(void *arg)
{
	const uint32_t *d = ((struct dr_try *)arg)->value;

	write_dr0(d[0]);
	write_dr1(d[1]);
	write_dr2(d[2]);
	write_dr3(d[3]);
}

static void read_addresses(void *arg)
{
	uint32_t *d = ((struct dr_try *)arg)->value;

	d[0] = read_dr0();
	d[1] = read_dr1();
	d[2] = read_dr2();
	d[3] = read_dr3();
}

/* DR0-DR3 hold what the last step wrote; then new marks. */
static void address_step(void)
{
	struct dr_try t;

	if (marked) {
		fuzz_expect_vector(fuzz_try(read_addresses, &t), TRAP_NONE, "read DR0-DR3");
		for (unsigned i = 0; i < 4; i++)
			fuzz_expect(t.value[i] == dr_marks[i], "DR%u is 0x%x, was written 0x%x", i,
				    t.value[i], dr_marks[i]);
	}
	for (unsigned i = 0; i < 4; i++)
		t.value[i] = dr_marks[i] = rng32();
	fuzz_expect_vector(fuzz_try(write_addresses, &t), TRAP_NONE, "write DR0-DR3");
	marked = true;
}

/* MOV to DR6 / DR7 of value[0], and MOV from DR0 into value[1]. */
static void write_dr6_try(void *arg)
{
	write_dr6(((struct dr_try *)arg)->value[0]);
}

static void write_dr7_try(void *arg)
{
	write_dr7(((struct dr_try *)arg)->value[0]);
}

static void read_dr0_try(void *arg)
{
	((struct dr_try *)arg)->value[1] = read_dr0();
}

/* DR6's status bits read back as written. */
static void dr6_step(void)
{
	struct dr_try t = { .value = { rng32() } };
	int v = fuzz_try(write_dr6_try, &t);

	fuzz_expect_vector(v, TRAP_NONE, "mov 0x%x to DR6", t.value[0]);
	fuzz_expect(v != TRAP_NONE || !((read_dr6() ^ t.value[0]) & DR6_STATUS),
		    "mov 0x%x to DR6 reads back 0x%lx", t.value[0], read_dr6());
	write_dr6(DR6_RESET);
}

/* A DR7 value with no breakpoint enabled and no I/O breakpoint (R/W 10,
 * undefined without CR4.DE); GD now and then. */
static uint32_t random_dr7(void)
{
	uint32_t dr7 = (rng32() & DR7_DEFINED & ~DR7_ENABLES) | DR7_RESET;

	for (unsigned i = 0; i < 4; i++)
		if (((dr7 >> (16 + 4 * i)) & 3) == 2)
			dr7 &= ~(3u << (16 + 4 * i));
	return rng_one_in(4) ? dr7 | DR7_GD : dr7;
}

/* DR7 without enables; with GD the next access is #DB with BD. Put back
 * by accesses that may meet a GD left set (the first #DB clears it). */
static void dr7_step(void)
{
	struct dr_try t = { .value = { random_dr7() } };
	bool gd = t.value[0] & DR7_GD;
	int v;

	write_dr6(DR6_RESET);
	v = fuzz_try(write_dr7_try, &t);
	fuzz_expect_vector(v, TRAP_NONE, "mov 0x%x to DR7", t.value[0]);
	if (v == TRAP_NONE && gd && fuzz_cpu.dr7_gd)
		fuzz_expect_vector(fuzz_try(read_dr0_try, &t), 1, "mov from DR0 with DR7.GD");
	t.value[0] = DR7_RESET;
	if (fuzz_try(write_dr7_try, &t) != TRAP_NONE)
		fuzz_try(write_dr7_try, &t);
	if (v == TRAP_NONE && gd && fuzz_cpu.dr7_gd)
		fuzz_expect(read_dr6() & DR6_BD, "after the DR7.GD #DB: DR6 0x%lx without BD",
			    read_dr6());
	write_dr6(DR6_RESET);
}

/* MOV from DR4 or DR5 (`which`) into value[0]. */
static void dr4_try(void *arg)
{
	struct dr_try *t = arg;

	if (t->which)
		__asm__ volatile("mov %%db5, %0" : "=r"(t->value[0]));
	else
		__asm__ volatile("mov %%db4, %0" : "=r"(t->value[0]));
}

/* DR4/DR5 with CR4.DE random: #UD with it, DR6/DR7 without. */
static void dr4_step(void)
{
	uint32_t cr4 = read_cr4(), de = rng_one_in(2) ? CR4_DE : 0;
	struct dr_try t = { .which = rng_below(2) };
	int v;

	if (!(fuzz_cpu.cr4_ok & CR4_DE))
		de = 0;
	write_cr4((cr4 & ~CR4_DE) | de);
	v = fuzz_try(dr4_try, &t);
	write_cr4(cr4);
	fuzz_expect_vector(v, de ? VEC_UD : TRAP_NONE, "mov from DR%u with CR4.DE=%u",
			   4 + t.which, !!de);
	if (v == TRAP_NONE)
		fuzz_expect(t.value[0] == (t.which ? read_dr7() : read_dr6()),
			    "DR%u 0x%x is not DR%u", 4 + t.which, t.value[0], 6 + t.which);
}

/* One of the debug-register steps. */
static void step(void)
{
	static void (*const steps[])(void) = { address_step, dr6_step, dr7_step, dr4_step };

	steps[rng_below(ARRAY_SIZE(steps))]();
}

const struct fuzz_class fuzz_dr = { "dr", 6, step, NULL };
