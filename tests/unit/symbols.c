/* Symbol lookup over synthetic tables laid out as tools/symtab.sh emits
 * them: header, sorted entries, then the names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/symbols.h"

struct test_symbol {
	uint64_t addr;
	const char *name;
};

/* A table holding `n` symbols (already sorted) that ends at text_end. */
static struct ksyms_header *table_build(const struct test_symbol *syms, size_t n,
					uint64_t text_end)
{
	size_t strings = 0;

	for (size_t i = 0; i < n; i++)
		strings += strlen(syms[i].name) + 1;

	struct ksyms_header *t = calloc(1, sizeof(*t) + n * sizeof(struct ksym) + strings);
	char *names = (char *)&t->entries[n];
	uint32_t offset = 0;

	assert_non_null(t);
	t->count = n;
	t->text_end = text_end;
	for (size_t i = 0; i < n; i++) {
		t->entries[i].addr = syms[i].addr;
		t->entries[i].name_offset = offset;
		strcpy(names + offset, syms[i].name);
		offset += strlen(syms[i].name) + 1;
	}
	return t;
}

static const struct test_symbol three[] = {
	{ 0x201000, "_start" },
	{ 0x201040, "boot_main" },
	{ 0x2010c0, "idt_init" },
};

static void test_no_table(void **state)
{
	uint64_t offset = 77;

	assert_null(ksyms_search(NULL, 0x201000, &offset));
	assert_int_equal(offset, 77);
}

/* The host test links no table, like the hypervisor's first link. */
static void test_no_table_linked(void **state)
{
	uint64_t offset = 77;

	assert_null(symbol_lookup((uintptr_t)test_no_table_linked, &offset));
	assert_int_equal(offset, 77);
}

static void test_empty_table(void **state)
{
	struct ksyms_header *t = table_build(NULL, 0, 0x202000);
	uint64_t offset = 77;

	assert_null(ksyms_search(t, 0x201000, &offset));
	assert_int_equal(offset, 77);
	free(t);
}

static void test_exact_and_inside(void **state)
{
	struct ksyms_header *t = table_build(three, 3, 0x202000);
	uint64_t offset;

	assert_string_equal(ksyms_search(t, 0x201000, &offset), "_start");
	assert_int_equal(offset, 0);
	assert_string_equal(ksyms_search(t, 0x20103f, &offset), "_start");
	assert_int_equal(offset, 0x3f);
	assert_string_equal(ksyms_search(t, 0x201040, &offset), "boot_main");
	assert_int_equal(offset, 0);
	assert_string_equal(ksyms_search(t, 0x20105c, &offset), "boot_main");
	assert_int_equal(offset, 0x1c);
	assert_string_equal(ksyms_search(t, 0x2010c0, &offset), "idt_init");
	assert_int_equal(offset, 0);
	free(t);
}

static void test_outside_text(void **state)
{
	struct ksyms_header *t = table_build(three, 3, 0x202000);
	uint64_t offset = 77;

	assert_null(ksyms_search(t, 0, &offset));
	assert_null(ksyms_search(t, 0x200fff, &offset));
	assert_null(ksyms_search(t, 0x202000, &offset));
	assert_null(ksyms_search(t, UINT64_MAX, &offset));
	assert_int_equal(offset, 77);
	assert_string_equal(ksyms_search(t, 0x201fff, &offset), "idt_init");
	assert_int_equal(offset, 0x201fff - 0x2010c0);
	free(t);
}

static void test_single_symbol(void **state)
{
	static const struct test_symbol one[] = { { 0x300000, "only" } };
	struct ksyms_header *t = table_build(one, 1, 0x300010);
	uint64_t offset;

	assert_null(ksyms_search(t, 0x2fffff, &offset));
	assert_string_equal(ksyms_search(t, 0x30000f, &offset), "only");
	assert_int_equal(offset, 0xf);
	assert_null(ksyms_search(t, 0x300010, &offset));
	free(t);
}

/* Aliases share an address: the lookup settles on the last of them. */
static void test_aliases(void **state)
{
	static const struct test_symbol aliased[] = {
		{ 0x1000, "a" }, { 0x2000, "b1" }, { 0x2000, "b2" }, { 0x3000, "c" },
	};
	struct ksyms_header *t = table_build(aliased, 4, 0x4000);
	uint64_t offset;

	assert_string_equal(ksyms_search(t, 0x2000, &offset), "b2");
	assert_string_equal(ksyms_search(t, 0x2fff, &offset), "b2");
	assert_int_equal(offset, 0xfff);
	assert_string_equal(ksyms_search(t, 0x1fff, &offset), "a");
	free(t);
}

/* Many symbols of uneven sizes: every address agrees with a linear scan. */
static void test_matches_linear_scan(void **state)
{
	enum { N = 1000 };
	struct test_symbol syms[N];
	char names[N][16];
	uint64_t addr = 0x200000;

	srand(1);
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "fn%zu", i);
		syms[i] = (struct test_symbol){ addr, names[i] };
		addr += 1 + rand() % 64;
	}
	struct ksyms_header *t = table_build(syms, N, addr);

	for (uint64_t a = 0x1ffff0; a < addr + 16; a++) {
		uint64_t offset = ~0ull;
		const char *name = ksyms_search(t, a, &offset);
		size_t i = N;

		while (i > 0 && syms[i - 1].addr > a)
			i--;
		if (i == 0 || a >= addr) {
			assert_null(name);
			continue;
		}
		assert_string_equal(name, syms[i - 1].name);
		assert_int_equal(offset, a - syms[i - 1].addr);
	}
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_table),
		cmocka_unit_test(test_no_table_linked),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_exact_and_inside),
		cmocka_unit_test(test_outside_text),
		cmocka_unit_test(test_single_symbol),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_matches_linear_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
