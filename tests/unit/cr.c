/* The rules of MOV to CR0 and CR4 (hv/cr_rules.c): which CR4 bits each
 * CPUID flag offers, and each #GP condition against a write that differs
 * from an allowed one only in that condition. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hv/cr.h"

#define ALL	0xffffffffu
#define CR0_PROT	(CR0_PE | CR0_ET | CR0_NE)		/* protected mode, no paging */
#define CR0_PAGED	(CR0_PROT | CR0_PG | CR0_WP)
#define CR4_LONG	(CR4_PAE | CR4_PGE)
#define OFFERED		(CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_OSXSAVE | CR4_LA57 | CR4_CET | \
			 CR4_DE)

static const struct cpuid_regs none = { 0 }, all = { ALL, ALL, ALL, ALL };

static void test_offered(void **state)
{
	uint64_t everything = cr4_bits_offered(all, all, all);

	assert_int_equal(cr4_bits_offered(none, none, none), CR4_PCE);
	/* Every bit the architecture defines, and none it reserves. */
	assert_int_equal(everything, 0x13ff7fffull);
	assert_int_equal(cr4_bits_offered((struct cpuid_regs){ .edx = 1u << 3 }, none, none),
			 CR4_PCE | CR4_PSE);
	assert_int_equal(cr4_bits_offered((struct cpuid_regs){ .ecx = 1u << 5 }, none, none),
			 CR4_PCE | CR4_VMXE);
	assert_int_equal(cr4_bits_offered(none, (struct cpuid_regs){ .ebx = 1u << 20 }, none),
			 CR4_PCE | CR4_SMAP);
	assert_int_equal(cr4_bits_offered(none, (struct cpuid_regs){ .ecx = 1u << 16 }, none),
			 CR4_PCE | CR4_LA57);
	assert_int_equal(cr4_bits_offered(none, none, (struct cpuid_regs){ .eax = 1u << 26 }),
			 CR4_PCE | CR4_LAM_SUP);
}

static void test_cr4(void **state)
{
	const uint64_t lma = EFER_LME | EFER_LMA;

	assert_true(cr4_write_allowed(OFFERED, CR0_PROT, 0, 0, 0, CR4_PSE | CR4_DE));
	assert_false(cr4_write_allowed(OFFERED, CR0_PROT, 0, 0, 0, CR4_VMXE));
	assert_false(cr4_write_allowed(OFFERED, CR0_PROT, 0, 0, 0, 1ull << 15));
	assert_false(cr4_write_allowed(OFFERED, CR0_PROT, 0, 0, 0, 1ull << 32));
	/* PCIDE: IA-32e mode only, set only with PCID 0. */
	assert_false(cr4_write_allowed(OFFERED, CR0_PAGED, 0, CR4_PAE, 0, CR4_PAE | CR4_PCIDE));
	assert_true(cr4_write_allowed(OFFERED, CR0_PAGED, 0x1000, CR4_LONG, lma,
				      CR4_LONG | CR4_PCIDE));
	assert_false(cr4_write_allowed(OFFERED, CR0_PAGED, 0x1001, CR4_LONG, lma,
				       CR4_LONG | CR4_PCIDE));
	assert_true(cr4_write_allowed(OFFERED, CR0_PAGED, 0x1001, CR4_LONG | CR4_PCIDE, lma,
				      CR4_LONG | CR4_PCIDE));
	/* IA-32e mode keeps PAE and its paging depth. */
	assert_false(cr4_write_allowed(OFFERED, CR0_PAGED, 0, CR4_LONG, lma, CR4_PGE));
	assert_false(cr4_write_allowed(OFFERED, CR0_PAGED, 0, CR4_LONG, lma, CR4_LONG | CR4_LA57));
	assert_true(cr4_write_allowed(OFFERED, CR0_PROT, 0, CR4_PAE, EFER_LME, CR4_LA57));
	/* CET needs WP. */
	assert_true(cr4_write_allowed(OFFERED, CR0_PAGED, 0, 0, 0, CR4_CET));
	assert_false(cr4_write_allowed(OFFERED, CR0_PAGED & ~CR0_WP, 0, 0, 0, CR4_CET));
}

static void test_cr0(void **state)
{
	assert_true(cr0_write_allowed(CR0_PROT, 0, 0, false, CR0_PAGED));
	assert_false(cr0_write_allowed(CR0_PROT, 0, 0, false, CR0_PAGED | 1ull << 32));
	assert_false(cr0_write_allowed(CR0_PAGED, 0, 0, false, CR0_PAGED & ~CR0_PE));
	assert_false(cr0_write_allowed(CR0_PROT, 0, 0, false, CR0_PROT | CR0_NW));
	assert_true(cr0_write_allowed(CR0_PROT, 0, 0, false, CR0_PROT | CR0_NW | CR0_CD));
	/* Paging on with LME needs PAE; already on, nothing switches. */
	assert_false(cr0_write_allowed(CR0_PROT, 0, EFER_LME, false, CR0_PAGED));
	assert_true(cr0_write_allowed(CR0_PROT, CR4_PAE, EFER_LME, false, CR0_PAGED));
	assert_true(cr0_write_allowed(CR0_PAGED, 0, EFER_LME, false, CR0_PAGED | CR0_CD));
	/* 64-bit code cannot switch paging off; compatibility mode can. */
	assert_false(cr0_write_allowed(CR0_PAGED, CR4_PAE, EFER_LME | EFER_LMA, true, CR0_PROT));
	assert_true(cr0_write_allowed(CR0_PAGED, CR4_PAE, EFER_LME | EFER_LMA, false, CR0_PROT));
	/* WP stays while CET is on. */
	assert_false(cr0_write_allowed(CR0_PAGED, CR4_CET, 0, false, CR0_PAGED & ~CR0_WP));
	assert_true(cr0_write_allowed(CR0_PAGED, 0, 0, false, CR0_PAGED & ~CR0_WP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offered),
		cmocka_unit_test(test_cr4),
		cmocka_unit_test(test_cr0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
