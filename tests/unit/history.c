/* The console history ring: what it keeps, what a reader that remembers a
 * position gets back, and wrap-around at every offset. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/console/history.h"

/* Everything held, from the oldest byte, NUL-terminated. */
static char *all(const struct history *h, char *out, size_t max)
{
	uint64_t from = 0;
	size_t n = history_read(h, &from, out, max - 1);

	out[n] = '\0';
	assert_int_equal(from, h->end);
	return out;
}

static void test_keeps_what_fits(void **state)
{
	struct history h;
	char out[32];

	assert_int_equal(history_init(&h, 8), 0);
	assert_string_equal(all(&h, out, sizeof(out)), "");
	history_write(&h, "abc", 3);
	history_write(&h, "de", 2);
	assert_string_equal(all(&h, out, sizeof(out)), "abcde");
	assert_int_equal(history_start(&h), 0);
	free(h.buf);
}

static void test_drops_the_oldest(void **state)
{
	struct history h;
	char out[32];

	assert_int_equal(history_init(&h, 8), 0);
	history_write(&h, "abcdef", 6);
	history_write(&h, "ghijk", 5);
	assert_string_equal(all(&h, out, sizeof(out)), "defghijk");
	assert_int_equal(history_start(&h), 3);
	history_write(&h, "0123456789ABCDEF", 16);	/* more than the ring */
	assert_string_equal(all(&h, out, sizeof(out)), "89ABCDEF");
	assert_int_equal(h.end, 27);
	free(h.buf);
}

static void test_read_since_a_position(void **state)
{
	struct history h;
	char out[32];
	uint64_t mark, from;
	size_t n;

	assert_int_equal(history_init(&h, 8), 0);
	history_write(&h, "abc", 3);
	mark = h.end;
	history_write(&h, "xyz", 3);
	from = mark;
	n = history_read(&h, &from, out, sizeof(out));
	assert_int_equal(n, 3);
	assert_memory_equal(out, "xyz", 3);
	assert_int_equal(from, 6);
	assert_int_equal(history_read(&h, &from, out, sizeof(out)), 0);	/* nothing new */
	history_write(&h, "123456789", 9);	/* the mark fell out: from the oldest */
	from = mark;
	n = history_read(&h, &from, out, 5);	/* in pieces */
	n += history_read(&h, &from, out + n, sizeof(out) - n);
	assert_int_equal(n, 8);
	assert_memory_equal(out, "23456789", 8);
	free(h.buf);
}

/* Every write and read offset around the ring's end gives the same bytes. */
static void test_wraps_at_every_offset(void **state)
{
	for (size_t skew = 0; skew < 7; skew++) {
		struct history h;
		char out[16];

		assert_int_equal(history_init(&h, 7), 0);
		for (size_t i = 0; i < skew; i++)
			history_write(&h, "-", 1);
		history_write(&h, "ABCDEFG", 7);
		assert_string_equal(all(&h, out, sizeof(out)), "ABCDEFG");
		free(h.buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_what_fits),
		cmocka_unit_test(test_drops_the_oldest),
		cmocka_unit_test(test_read_since_a_position),
		cmocka_unit_test(test_wraps_at_every_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
