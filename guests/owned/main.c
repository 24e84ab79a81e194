/*
 * What a vCPU owns stays its own. Checks that the x87/SSE (and AVX) registers,
 * XCR0 and the debug registers start in their RESET values; that XSETBV
 * raises #GP where a CPU does; then fills those registers with marks derived
 * from mark=N and, over rounds=R rounds of spinning without exits (spin=S
 * million iterations each, long enough to be preempted), checks that the
 * marks stay. delay=D spins D million iterations first. Two of these pinned
 * to one CPU with different marks, the second delayed, show that nothing
 * crosses from one VM to another: the second checks its reset state while
 * the first holds its marks, then both hold theirs at once.
 */
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "owned";

#define FXSAVE_BYTES	512
#define FX_FCW		0
#define FX_FSW		2
#define FX_FTW		4
#define FX_MXCSR	24
#define FX_XMM(i)	(160 + 16 * (i))
#define XSAVE_HEADER	512
#define XSAVE_AVX	576		/* component 2: the upper halves of YMM0-15 */
#define XSAVE_MAX	4096
#define NR_XMM		8		/* XMM0-7 in 32-bit mode */
#define FCW_RESET	0x037f
#define MXCSR_RESET	0x1f80
#define MXCSR_MARK	0x3f80		/* round down, exceptions masked */
#define FCW_MARK	0x027f		/* 53-bit precision */

static uint8_t fx_area[FXSAVE_BYTES] __aligned(16);
static uint8_t xs_area[XSAVE_MAX] __aligned(64);
static uint32_t xmm_marks[NR_XMM][4] __aligned(16);
static uint32_t ymm_marks[NR_XMM][8] __aligned(32);
static bool has_xsave, has_avx;

static void fxsave_now(void)
{
	__asm__ volatile("fxsave %0" : "=m"(fx_area));
}

static void xsave_now(void)
{
	memset(xs_area, 0, sizeof(xs_area));
	__asm__ volatile("xsave %0" : "=m"(xs_area) : "a"(~0u), "d"(~0u));
}

static uint32_t load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t load16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Whether `n` bytes at p are all zero. */
static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void enable_fpu(void)
{
	unsigned long cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	write_cr0(read_cr0() & ~(unsigned long)(BIT(2) | BIT(3)));	/* EM, TS */
	has_xsave = cpuid(1, 0).ecx & CPUID1_ECX_XSAVE;
	has_avx = has_xsave && (cpuid(1, 0).ecx & BIT(28)) && (cpuid(0xd, 0).eax & XCR0_AVX);
	if (has_xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
}

static void check_reset_state(void)
{
	bool xmm_zero = true;

	fxsave_now();
	for (unsigned i = 0; i < NR_XMM; i++)
		xmm_zero &= all_zero(fx_area + FX_XMM(i), 16);
	check(load16(fx_area + FX_FCW) == FCW_RESET && load16(fx_area + FX_FSW) == 0 &&
	      fx_area[FX_FTW] == 0 && load32(fx_area + FX_MXCSR) == MXCSR_RESET && xmm_zero,
	      "x87/SSE in reset state: fcw 0x%x fsw 0x%x ftw 0x%x mxcsr 0x%x, xmm0-7 %s",
	      load16(fx_area + FX_FCW), load16(fx_area + FX_FSW), fx_area[FX_FTW],
	      load32(fx_area + FX_MXCSR), xmm_zero ? "zero" : "not zero");
	if (!has_xsave) {
		pass("no XSAVE: XCR0 and AVX state not checked");
		return;
	}
	xsave_now();
	check(xgetbv(0) == XCR0_X87 &&
	      (!has_avx || all_zero(xs_area + XSAVE_AVX, 16 * NR_XMM)),
	      "XCR0 0x%llx (reset: 0x1), AVX upper halves %s", (unsigned long long)xgetbv(0),
	      has_avx ? (all_zero(xs_area + XSAVE_AVX, 16 * NR_XMM) ? "zero" : "not zero")
		      : "absent");
}

static void check_reset_debug(void)
{
	unsigned long dr[4] = { read_dr0(), read_dr1(), read_dr2(), read_dr3() };

	check(!dr[0] && !dr[1] && !dr[2] && !dr[3] && read_dr6() == DR6_RESET &&
	      read_dr7() == DR7_RESET,
	      "debug registers in reset state: dr0-3 %lx %lx %lx %lx dr6 %lx dr7 %lx",
	      dr[0], dr[1], dr[2], dr[3], read_dr6(), read_dr7());
}

struct xsetbv_case {
	uint32_t index;
	uint64_t value;
};

static void try_xsetbv(void *arg)
{
	const struct xsetbv_case *c = arg;

	__asm__ volatile("xsetbv" :: "c"(c->index), "a"((uint32_t)c->value),
			 "d"((uint32_t)(c->value >> 32)));
}

/* XSETBV of reserved, unsupported or inconsistent values: #GP, XCR0 kept. */
static void check_xsetbv_faults(void)
{
	const struct xsetbv_case cases[] = {
		{ 1, XCR0_X87 },			/* no XCR1 */
		{ 0, 0 },				/* x87 off */
		{ 0, XCR0_X87 | XCR0_AVX },		/* AVX without SSE */
		{ 0, XCR0_X87 | BIT(62) },		/* reserved */
	};
	unsigned faults = 0;

	if (!has_xsave) {
		pass("no XSAVE: XSETBV not checked");
		return;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		if (trap_run(try_xsetbv, (void *)&cases[i]) == VEC_GP)
			faults++;
	check(faults == ARRAY_SIZE(cases) && xgetbv(0) == XCR0_X87,
	      "XSETBV: %u of %u bad values raised #GP, XCR0 still 0x%llx", faults,
	      (unsigned)ARRAY_SIZE(cases), (unsigned long long)xgetbv(0));
}

static void load_marks(uint32_t mark)
{
	uint16_t fcw = FCW_MARK;
	uint32_t mxcsr = MXCSR_MARK;

	for (unsigned i = 0; i < NR_XMM; i++) {
		for (unsigned j = 0; j < 8; j++)
			ymm_marks[i][j] = mark << 16 | i << 8 | j;
		memcpy(xmm_marks[i], ymm_marks[i], 16);
	}
	if (has_avx) {
		xsetbv(0, XCR0_X87 | XCR0_SSE | XCR0_AVX);
#define LOAD_YMM(n) __asm__ volatile("vmovdqu %0, %%ymm" #n :: "m"(ymm_marks[n]))
		LOAD_YMM(0); LOAD_YMM(1); LOAD_YMM(2); LOAD_YMM(3);
		LOAD_YMM(4); LOAD_YMM(5); LOAD_YMM(6); LOAD_YMM(7);
#undef LOAD_YMM
	} else {
#define LOAD_XMM(n) __asm__ volatile("movdqu %0, %%xmm" #n :: "m"(xmm_marks[n]))
		LOAD_XMM(0); LOAD_XMM(1); LOAD_XMM(2); LOAD_XMM(3);
		LOAD_XMM(4); LOAD_XMM(5); LOAD_XMM(6); LOAD_XMM(7);
#undef LOAD_XMM
	}
	__asm__ volatile("fldcw %0" :: "m"(fcw));
	__asm__ volatile("ldmxcsr %0" :: "m"(mxcsr));
	write_dr0(0x1000u * mark + 0x10);
	write_dr1(0x1000u * mark + 0x20);
	write_dr2(0x1000u * mark + 0x30);
	write_dr3(0x1000u * mark + 0x40);
}

/* Whether every mark is still in place; names the first that is not. */
static bool marks_intact(uint32_t mark, const char **what)
{
	fxsave_now();
	*what = "fcw/mxcsr";
	if (load16(fx_area + FX_FCW) != FCW_MARK || load32(fx_area + FX_MXCSR) != MXCSR_MARK)
		return false;
	*what = "xmm0-7";
	for (unsigned i = 0; i < NR_XMM; i++)
		if (memcmp(fx_area + FX_XMM(i), xmm_marks[i], 16))
			return false;
	*what = "dr0-3";
	if (read_dr0() != 0x1000u * mark + 0x10 || read_dr1() != 0x1000u * mark + 0x20 ||
	    read_dr2() != 0x1000u * mark + 0x30 || read_dr3() != 0x1000u * mark + 0x40)
		return false;
	if (!has_avx)
		return true;
	*what = "xcr0";
	if (xgetbv(0) != (XCR0_X87 | XCR0_SSE | XCR0_AVX))
		return false;
	xsave_now();
	*what = "ymm0-7 upper halves";
	for (unsigned i = 0; i < NR_XMM; i++)
		if (memcmp(xs_area + XSAVE_AVX + 16 * i, &ymm_marks[i][4], 16))
			return false;
	return true;
}

/* Spin `millions` million iterations with no exit (a preemption may come). */
static void spin(uint32_t millions)
{
	for (uint32_t i = 0; i < millions; i++)
		for (volatile uint32_t j = 0; j < 1000000; j++)
			;
}

void guest_main(const struct boot_info *bi)
{
	uint32_t mark = cmdline_number(bi->cmdline, "mark", 1);
	uint32_t rounds = cmdline_number(bi->cmdline, "rounds", 10);
	uint32_t millions = cmdline_number(bi->cmdline, "spin", 20);
	const char *what = "";
	uint32_t round;

	spin(cmdline_number(bi->cmdline, "delay", 0));
	enable_fpu();
	check_reset_state();
	check_reset_debug();
	check_xsetbv_faults();
	load_marks(mark);
	for (round = 0; round < rounds; round++) {
		spin(millions);
		outb(0x80, (uint8_t)round);	/* and an exit, now and then */
		if (!marks_intact(mark, &what))
			break;
	}
	check(round == rounds, "mark %u kept in every register over %u rounds%s%s", mark, rounds,
	      round == rounds ? "" : ": lost in ", round == rounds ? "" : what);
}
