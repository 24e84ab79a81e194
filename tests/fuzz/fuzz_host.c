/* The helpers of fuzz.h, linked into every target with tests/unit/host.c. */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "tests/fuzz/fuzz.h"

/* Silence the parsers' warnings: a malformed input is their normal case,
 * and printing each would take most of the fuzzer's time. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_level = LOG_ERROR;
	return 0;
}

/* `size` bytes of data in a buffer of `room` (at least 1) bytes. */
static uint8_t *copy_into(const uint8_t *data, size_t size, size_t room)
{
	uint8_t *copy = malloc(MAX(room, 1));

	if (!copy)
		abort();
	memcpy(copy, data, size);
	return copy;
}

uint8_t *fuzz_copy(const uint8_t *data, size_t size)
{
	return copy_into(data, size, size);
}

char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = (char *)copy_into(data, size, size + 1);

	s[size] = '\0';
	return s;
}
