/* Control registers: MOV to CR0 and CR4 with random bits flipped, checked
 * against the rules of MOV to CRn (reserved CR4 bits by CPUID, PCIDE
 * outside IA-32e mode, NW without CD, PG without PE, CET without WP);
 * paging switched off and on; CR3 reloads; CR8 through AMD's LOCK MOV
 * CR0 (#UD where CPUID has no AltMovCr8, #GP above 15); MOV to and from
 * CR1, CR5-CR7 (#UD); LMSW, CLTS, SMSW; INVLPG. A write that took reads
 * back, and the old value goes back. PAE and PSE stay while paging is on:
 * the identity map needs them as they are. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/paging.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define CR0_EM		(1u << 2)
#define CR0_TS		(1u << 3)
#define CR0_AM		(1u << 18)
#define CR0_FLIPPABLE	(CR0_MP | CR0_EM | CR0_TS | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD)

struct cr_try {
	uint32_t value;
	unsigned which;
};

/* MOV to CR0 / CR4 of a struct cr_try's value, for fuzz_try. */
static void write_cr0_try(void *arg)
{
	write_cr0(((struct cr_try *)arg)->value);
}

static void write_cr4_try(void *arg)
{
	write_cr4(((struct cr_try *)arg)->value);
}

/* Write `value` with `write`; a write that took must read back (ignoring
 * `ignore`); then `old` goes back. */
static void cr_write(const char *name, void (*write)(void *), unsigned long (*read)(void),
		     uint32_t old, uint32_t value, uint32_t ignore, int want)
{
	struct cr_try t = { .value = value };
	int v = fuzz_try(write, &t);
	uint32_t back;

	fuzz_expect_vector(v, want, "mov 0x%x to %s (was 0x%x)", value, name, old);
	if (v != TRAP_NONE)
		return;
	back = read();
	fuzz_expect(!((back ^ value) & ~ignore), "mov 0x%x to %s reads back 0x%x", value, name,
		    back);
	t.value = old;
	fuzz_expect_vector(fuzz_try(write, &t), TRAP_NONE, "mov 0x%x back to %s", old, name);
}

/* CR4 with one to three random bits flipped. */
static void cr4_step(void)
{
	uint32_t old = read_cr4(), flip = 0, value;
	bool ok;

	for (unsigned n = 1 + rng_below(3); n; n--)
		flip |= 1u << rng_below(32);
	if (read_cr0() & CR0_PG)
		flip &= ~(uint32_t)(CR4_PAE | CR4_PSE);
	value = old ^ flip;
	ok = !(value & ~fuzz_cpu.cr4_ok) && !(value & CR4_PCIDE) &&
	     (!(value & CR4_CET) || (read_cr0() & CR0_WP));
	cr_write("cr4", write_cr4_try, read_cr4, old, value, 0, ok ? TRAP_NONE : VEC_GP);
}

/* CR0 with random bits of the flippable ones changed; now and then PE
 * cleared under paging. */
static void cr0_step(void)
{
	uint32_t old = read_cr0(), value = old ^ (rng32() & CR0_FLIPPABLE);
	bool ok;

	if ((old & CR0_PG) && rng_one_in(16))
		value &= ~(uint32_t)CR0_PE;
	ok = (!(value & CR0_NW) || (value & CR0_CD)) && (value & CR0_PE) &&
	     ((value & CR0_WP) || !(read_cr4() & CR4_CET));
	cr_write("cr0", write_cr0_try, read_cr0, old, value, CR0_ET, ok ? TRAP_NONE : VEC_GP);
}

/* Paging off if it is on, else on (the identity map). */
static void toggle_paging(void *arg)
{
	if (read_cr0() & CR0_PG)
		paging_disable();
	else
		paging_enable();
}

/* CR3 written and put back: the same value under paging, a random page
 * (`arg`) without. */
static void reload_cr3(void *arg)
{
	uint32_t old = read_cr3();

	write_cr3(read_cr0() & CR0_PG ? old : (uint32_t)(uintptr_t)arg & ~0xfffu);
	write_cr3(old);
}

/* INVLPG of the address `arg`. */
static void invlpg_try(void *arg)
{
	invlpg(arg);
}

/* LMSW (which cannot clear PE), CLTS and SMSW, then CR0 as it was. */
static void msw_try(void *arg)
{
	uint32_t old = read_cr0(), msw = ((uint32_t)(uintptr_t)arg & 0xf) | CR0_PE;
	uint16_t seen;

	__asm__ volatile("lmsw %w0" :: "r"(msw));
	__asm__ volatile("smsw %0" : "=r"(seen));
	__asm__ volatile("clts");
	write_cr0(old);
}

/* LOCK MOV to / from CR0 (F0 0F 22 C0, F0 0F 20 C0): CR8 with AltMovCr8. */
static void lock_mov_to_cr0(void *arg)
{
	__asm__ volatile(".byte 0xf0, 0x0f, 0x22, 0xc0" :: "a"(((struct cr_try *)arg)->value));
}

static void lock_mov_from_cr0(void *arg)
{
	__asm__ volatile(".byte 0xf0, 0x0f, 0x20, 0xc0" : "=a"(((struct cr_try *)arg)->value));
}

/* CR8, the task priority: 0-15 take and read back, more is #GP; back to
 * 0 at once (interrupts are off). Without AltMovCr8 the LOCK prefix is
 * #UD, and CR0's own value is used so that a CPU that ran it as MOV CR0
 * changes nothing. */
static void cr8_step(void)
{
	struct cr_try t = { .value = fuzz_cpu.alt_cr8 ? (rng_one_in(4) ? rng32() : rng_below(16)) :
			    read_cr0() };
	int v = fuzz_try(lock_mov_to_cr0, &t);

	if (!fuzz_cpu.alt_cr8) {
		fuzz_expect_vector(v, VEC_UD, "lock mov to cr0 without AltMovCr8");
		fuzz_expect_vector(fuzz_try(lock_mov_from_cr0, &t), VEC_UD,
				   "lock mov from cr0 without AltMovCr8");
		return;
	}
	fuzz_expect_vector(v, t.value > 15 ? VEC_GP : TRAP_NONE, "mov 0x%x to cr8", t.value);
	if (v == TRAP_NONE) {
		uint32_t wrote = t.value;

		fuzz_expect(fuzz_try(lock_mov_from_cr0, &t) == TRAP_NONE && t.value == wrote,
			    "mov 0x%x to cr8 reads back 0x%x", wrote, t.value);
	}
	t.value = 0;
	fuzz_try(lock_mov_to_cr0, &t);
}

/* The control registers that do not exist below CR8. */
static const unsigned bad_crs[4] = { 1, 5, 6, 7 };

/* MOV to (`which` 0-3) or from (4-7) CR1, CR5, CR6 or CR7. */
static void bad_cr_try(void *arg)
{
	switch (((struct cr_try *)arg)->which) {
	case 0: __asm__ volatile(".byte 0x0f, 0x22, 0xc8"); break;	/* mov %eax, %cr1 */
	case 1: __asm__ volatile(".byte 0x0f, 0x22, 0xe8"); break;	/* mov %eax, %cr5 */
	case 2: __asm__ volatile(".byte 0x0f, 0x22, 0xf0"); break;	/* mov %eax, %cr6 */
	case 3: __asm__ volatile(".byte 0x0f, 0x22, 0xf8"); break;	/* mov %eax, %cr7 */
	case 4: __asm__ volatile(".byte 0x0f, 0x20, 0xc8" ::: "eax"); break;
	case 5: __asm__ volatile(".byte 0x0f, 0x20, 0xe8" ::: "eax"); break;
	case 6: __asm__ volatile(".byte 0x0f, 0x20, 0xf0" ::: "eax"); break;
	default: __asm__ volatile(".byte 0x0f, 0x20, 0xf8" ::: "eax"); break;
	}
}

/* One of the control-register steps, by weight. */
static void step(void)
{
	struct cr_try t = { .which = rng_below(8) };
	void *addr = (void *)(uintptr_t)rng32();

	switch (rng_below(10)) {
	case 0: case 1: case 2:
		cr4_step();
		break;
	case 3: case 4:
		cr0_step();
		break;
	case 5:
		fuzz_expect_vector(fuzz_try(toggle_paging, NULL), TRAP_NONE, "paging switch");
		break;
	case 6:
		cr8_step();
		break;
	case 7:
		fuzz_expect_vector(fuzz_try(bad_cr_try, &t), VEC_UD, "mov %s cr%u",
				   t.which < 4 ? "to" : "from", bad_crs[t.which % 4]);
		break;
	case 8:
		fuzz_expect_vector(fuzz_try(reload_cr3, addr), TRAP_NONE, "cr3 reload");
		break;
	default:
		fuzz_expect_vector(fuzz_try(rng_one_in(2) ? invlpg_try : msw_try, addr), TRAP_NONE,
				   "invlpg / lmsw / clts / smsw");
		break;
	}
}

const struct fuzz_class fuzz_cr = { "cr", 14, step, NULL };
