/* What the loader tests share: guest RAM as a host buffer (handed to the
 * loader as 1 MiB pieces, so that copies cross pieces), the image and
 * request under test, and the two ways a load is judged. Include once, in
 * a test file, after cmocka.h. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/load/guest_load.h"

#define FIXTURE_PIECE	MiB(1)

static uint8_t *ram;
static uint64_t ram_size;
static struct guest_ram_piece *pieces;
static struct guest_ram guest_ram;
static uint8_t *image;
static size_t image_size;
static struct guest_kernel kernel;
static struct guest_entry entry;
static char err[192];

/* Fresh zeroed guest RAM of `size` bytes. */
static void new_ram(uint64_t size)
{
	free(ram);
	ram = calloc(1, size);
	assert_non_null(ram);
	ram_size = size;
}

/* Every test starts with `size` bytes of zeroed RAM, no image, an empty
 * request and no error. */
static void fixture_reset(uint64_t size)
{
	new_ram(size);
	free(image);
	image = NULL;
	memset(&kernel, 0, sizeof(kernel));
	memset(&entry, 0, sizeof(entry));
	memset(err, 0, sizeof(err));
}

static int fixture_teardown(void **state)
{
	free(ram);
	free(image);
	free(pieces);
	ram = image = NULL;
	pieces = NULL;
	return 0;
}

/* `ram_size` bytes of `ram` as the loader sees guest RAM. */
static const struct guest_ram *ram_view(void)
{
	size_t n = 0;

	free(pieces);
	pieces = calloc(ram_size / FIXTURE_PIECE + 1, sizeof(*pieces));
	assert_non_null(pieces);
	for (uint64_t at = 0; at < ram_size; at += FIXTURE_PIECE)
		pieces[n++] = (struct guest_ram_piece){ at, MIN(FIXTURE_PIECE, ram_size - at),
							ram + at };
	guest_ram = (struct guest_ram){ ram_size, n, pieces };
	return &guest_ram;
}

/* Load `image` as `kernel` says into `ram`. */
static int load(void)
{
	kernel.image = image;
	kernel.image_size = image_size;
	return guest_load(ram_view(), &kernel, &entry, err, sizeof(err));
}

static bool ram_is_zero(void)
{
	for (uint64_t i = 0; i < ram_size; i++)
		if (ram[i])
			return false;
	return true;
}

/* Loading must fail with exactly `message` and leave guest RAM untouched. */
static void expect_error(const char *message)
{
	assert_int_equal(load(), -1);
	assert_string_equal(err, message);
	assert_true(ram_is_zero());
}
