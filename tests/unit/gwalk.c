/* The guest page walker in every paging mode: translations through 4 KiB,
 * 2/4 MiB and 1 GiB pages, the permission rules (U/S, R/W with CR0.WP, NX,
 * SMEP, SMAP), reserved bits, canonical addresses, error codes, and tables
 * outside guest RAM. Tables are built by hand in a fake guest RAM. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "hv/dev/gwalk.h"

#define RAM_BYTES	(16u << 20)
#define P		0x001ull
#define RW		0x002ull
#define US		0x004ull
#define PS		0x080ull
#define NX		(1ull << 63)
#define CR0_PG		(1ull << 31)
#define CR0_WP		(1ull << 16)
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define CR4_LA57	(1ull << 12)
#define CR4_SMEP	(1ull << 20)
#define CR4_SMAP	(1ull << 21)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)

static uint8_t ram[RAM_BYTES];
static struct gwalk_result r;

static bool ram_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	if (gpa >= RAM_BYTES || len > RAM_BYTES - gpa)
		return false;
	memcpy(buf, ram + gpa, len);
	return true;
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, 8);
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(ram + gpa, &v, 4);
}

static int reset(void **state)
{
	memset(ram, 0, sizeof(ram));
	return 0;
}

static enum gwalk_status walk(const struct gwalk_mode *m, uint64_t gva, unsigned access)
{
	return gwalk(m, gva, access, ram_read, NULL, &r);
}

static void test_no_paging(void **state)
{
	struct gwalk_mode m = { .cr0 = 1, .maxphyaddr = 36 };

	assert_int_equal(walk(&m, 0x12345678, GWALK_WRITE | GWALK_USER), GWALK_OK);
	assert_int_equal(r.gpa, 0x12345678);
	assert_int_equal(r.levels, 0);
}

/* 32-bit paging: PD at 0x1000, a PT at 0x2000. */
static void test_32bit(void **state)
{
	struct gwalk_mode m = { .cr0 = CR0_PG | 1, .cr3 = 0x1000, .maxphyaddr = 36 };

	put32(0x1000 + 4 * 1, 0x2000 | P | RW | US);		/* 4 MiB region 1 */
	put32(0x2000 + 4 * 3, 0x9000 | P | US);			/* 0x403000: user, read-only */
	put32(0x1000 + 4 * 2, 0x00c00000 | P | RW | PS);	/* 0x800000: a 4 MiB page */
	assert_int_equal(walk(&m, 0x403abc, GWALK_USER), GWALK_OK);
	assert_int_equal(r.gpa, 0x9abc);
	assert_int_equal(r.levels, 2);
	assert_int_equal(r.entry_gpa[1], 0x200c);
	/* Without CR4.PSE the PS bit is ignored: the PDE points at a table
	 * (at 0xc00000, whose entries are all zero). */
	assert_int_equal(walk(&m, 0x800000, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.levels, 2);
	assert_int_equal(r.entry_gpa[1], 0xc00000);
	m.cr4 = CR4_PSE;
	assert_int_equal(walk(&m, 0x9abcde, GWALK_WRITE), GWALK_OK);
	assert_int_equal(r.gpa, 0xdabcde);
	assert_int_equal(r.page_shift, 22);
	/* User write to a read-only page; supervisor write with and without WP. */
	assert_int_equal(walk(&m, 0x403000, GWALK_USER | GWALK_WRITE), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_WRITE | PF_USER);
	assert_int_equal(walk(&m, 0x403000, GWALK_WRITE), GWALK_OK);
	m.cr0 |= CR0_WP;
	assert_int_equal(walk(&m, 0x403000, GWALK_WRITE), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_WRITE);
	/* User access to the supervisor 4 MiB page; a not-present PTE. */
	assert_int_equal(walk(&m, 0x800000, GWALK_USER), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_USER);
	assert_int_equal(walk(&m, 0x404000, GWALK_FETCH), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, 0);	/* no I/D bit without SMEP in 32-bit paging */
	assert_int_equal(walk(&m, 0xc00000, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.levels, 1);
}

/* PSE-36: PDE bits 20:13 are physical bits 39:32, within MAXPHYADDR. */
static void test_32bit_pse36(void **state)
{
	struct gwalk_mode m = { .cr0 = CR0_PG | 1, .cr3 = 0x1000, .cr4 = CR4_PSE,
				.maxphyaddr = 36 };

	put32(0x1000, 0x00400000 | (0x5u << 13) | P | PS);
	assert_int_equal(walk(&m, 0x1234, 0), GWALK_OK);
	assert_int_equal(r.gpa, 0x500401234ull);
	put32(0x1000, 0x00400000 | (0x10u << 13) | P | PS);	/* bit 36: beyond 36 bits */
	assert_int_equal(walk(&m, 0x1234, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_RSVD);
	put32(0x1000, 0x00400000 | (1u << 21) | P | PS);	/* bit 21 is reserved */
	assert_int_equal(walk(&m, 0x1234, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_RSVD);
}

/* PAE: PDPT at 0x1000 (32-byte aligned in CR3), PD 0x2000, PT 0x3000. */
static void test_pae(void **state)
{
	struct gwalk_mode m = { .cr0 = CR0_PG | 1, .cr3 = 0x1020, .cr4 = CR4_PAE,
				.maxphyaddr = 36 };

	put64(0x1020 + 8 * 3, 0x2000 | P);
	put64(0x2000 + 8 * 5, 0x3000 | P | RW);
	put64(0x3000 + 8 * 7, 0x7000 | P | RW | NX);
	put64(0x2000 + 8 * 6, 0x600000 | P | PS);
	assert_int_equal(walk(&m, 0xc0a07123, GWALK_WRITE), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_RSVD | PF_WRITE);	/* NX without NXE */
	m.efer = EFER_NXE;
	assert_int_equal(walk(&m, 0xc0a07123, GWALK_WRITE), GWALK_OK);
	assert_int_equal(r.gpa, 0x7123);
	assert_int_equal(r.levels, 3);
	assert_false(r.executable);
	assert_int_equal(walk(&m, 0xc0a07123, GWALK_FETCH), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_FETCH);
	assert_int_equal(walk(&m, 0xc0d23456, 0), GWALK_OK);	/* 2 MiB page */
	assert_int_equal(r.gpa, 0x723456);
	assert_int_equal(r.page_shift, 21);
	put64(0x2000 + 8 * 6, 0x600000 | (1ull << 13) | P | PS);	/* bits 20:13 reserved */
	assert_int_equal(walk(&m, 0xc0d23456, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_RSVD);
	put64(0x1020 + 8 * 3, 0x2000 | P | RW);			/* PDPTE R/W is reserved */
	assert_int_equal(walk(&m, 0xc0a07123, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_RSVD);
	assert_int_equal(walk(&m, 0x00001000, 0), GWALK_PAGE_FAULT);	/* PDPTE 0 absent */
	assert_int_equal(r.pf_error, 0);
}

/* 4-level: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000. */
static void build_4level(void)
{
	put64(0x1000 + 8 * 0x1ff, 0x2000 | P | RW | US);	/* 0xffffff80_00000000 */
	put64(0x1000 + 8 * 0, 0x2000 | P | RW | US);
	put64(0x2000 + 8 * 0, 0x3000 | P | RW | US);
	put64(0x2000 + 8 * 1, 0x40000000 | P | RW | PS);	/* 1 GiB at 1 GiB */
	put64(0x3000 + 8 * 0, 0x4000 | P | RW | US);
	put64(0x3000 + 8 * 1, 0x800000 | P | RW | US | PS);	/* 2 MiB at 2 MiB */
	put64(0x4000 + 8 * 1, 0x5000 | P | RW | US);		/* 4 KiB at 4 KiB */
}

static void test_4level(void **state)
{
	struct gwalk_mode m = { .cr0 = CR0_PG | CR0_WP | 1, .cr3 = 0x1000, .cr4 = CR4_PAE,
				.efer = EFER_LMA | EFER_NXE, .maxphyaddr = 36 };

	build_4level();
	assert_int_equal(walk(&m, 0x1abc, GWALK_USER | GWALK_WRITE), GWALK_OK);
	assert_int_equal(r.gpa, 0x5abc);
	assert_int_equal(r.levels, 4);
	assert_int_equal(walk(&m, 0xffffff8000001abcull, 0), GWALK_OK);
	assert_int_equal(r.gpa, 0x5abc);
	assert_int_equal(walk(&m, 0x0000800000001abcull, 0), GWALK_NONCANONICAL);
	assert_int_equal(walk(&m, 0x2fedcb, 0), GWALK_OK);
	assert_int_equal(r.gpa, 0x8fedcb);
	assert_int_equal(r.page_shift, 21);
	/* 1 GiB pages only where the CPU has them. */
	assert_int_equal(walk(&m, 0x40123456, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_RSVD);
	m.gbpages = true;
	assert_int_equal(walk(&m, 0x40123456, 0), GWALK_OK);
	assert_int_equal(r.gpa, 0x40123456);
	assert_int_equal(r.page_shift, 30);
	/* The 1 GiB page is supervisor-only: user access faults. */
	assert_int_equal(walk(&m, 0x40123456, GWALK_USER), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_USER);
	/* PS is reserved in a PML4E. */
	put64(0x1000 + 8 * 0, 0x2000 | P | RW | US | PS);
	assert_int_equal(walk(&m, 0x1abc, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_RSVD);
}

static void test_4level_reserved_and_absent(void **state)
{
	struct gwalk_mode m = { .cr0 = CR0_PG | 1, .cr3 = 0x1000, .cr4 = CR4_PAE,
				.efer = EFER_LMA | EFER_NXE, .maxphyaddr = 36 };

	build_4level();
	put64(0x4000 + 8 * 2, (1ull << 40) | P);	/* above 36 physical bits */
	assert_int_equal(walk(&m, 0x2000, GWALK_FETCH), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_RSVD | PF_FETCH);
	m.maxphyaddr = 48;
	assert_int_equal(walk(&m, 0x2000, 0), GWALK_OK);
	assert_int_equal(r.gpa, 1ull << 40);
	assert_int_equal(walk(&m, 0x3000, GWALK_WRITE | GWALK_USER), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_WRITE | PF_USER);
	/* A table outside guest RAM. */
	put64(0x3000 + 8 * 2, 0x7ff000000ull | P);
	assert_int_equal(walk(&m, 0x400000, 0), GWALK_BAD_TABLE);
}

static void test_smep_smap(void **state)
{
	struct gwalk_mode m = { .cr0 = CR0_PG | 1, .cr3 = 0x1000, .cr4 = CR4_PAE,
				.efer = EFER_LMA, .maxphyaddr = 36 };

	build_4level();				/* 0x1000 is a user page */
	assert_int_equal(walk(&m, 0x1000, GWALK_FETCH), GWALK_OK);
	assert_int_equal(walk(&m, 0x1000, 0), GWALK_OK);
	m.cr4 |= CR4_SMEP | CR4_SMAP;
	assert_int_equal(walk(&m, 0x1000, GWALK_FETCH), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT | PF_FETCH);
	assert_int_equal(walk(&m, 0x1000, 0), GWALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, PF_PRESENT);
	m.rflags_ac = true;
	assert_int_equal(walk(&m, 0x1000, GWALK_WRITE), GWALK_OK);
	assert_int_equal(walk(&m, 0x1000, GWALK_FETCH | GWALK_USER), GWALK_OK);
}

/* 5-level: PML5 0x6000 entry 1 covers 0x0001_0000_0000_0000. */
static void test_5level(void **state)
{
	struct gwalk_mode m = { .cr0 = CR0_PG | 1, .cr3 = 0x6000, .cr4 = CR4_PAE | CR4_LA57,
				.efer = EFER_LMA, .maxphyaddr = 52 };

	build_4level();
	put64(0x6000 + 8 * 1, 0x1000 | P | RW | US);
	assert_int_equal(walk(&m, 0x0001000000001234ull, 0), GWALK_OK);
	assert_int_equal(r.gpa, 0x5234);
	assert_int_equal(r.levels, 5);
	assert_int_equal(walk(&m, 0x0002000000001234ull, 0), GWALK_PAGE_FAULT);
	assert_int_equal(walk(&m, 0x0100000000001234ull, 0), GWALK_NONCANONICAL);
	/* The same address in 4-level paging is not canonical. */
	m.cr4 &= ~CR4_LA57;
	m.cr3 = 0x1000;
	assert_int_equal(walk(&m, 0x0001000000001234ull, 0), GWALK_NONCANONICAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, reset)
	const struct CMUnitTest tests[] = {
		T(test_no_paging),
		T(test_32bit),
		T(test_32bit_pse36),
		T(test_pae),
		T(test_4level),
		T(test_4level_reserved_and_absent),
		T(test_smep_smap),
		T(test_5level),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
