/* What every libFuzzer target shares: the entry point's prototype, a quiet
 * log, and the check that turns a broken invariant into a crash. */
#pragma once

#include <stdio.h>

#include "lib/compiler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A parser's own invariant: when it does not hold, name it and stop the
 * fuzzer with a crash (the input is saved as a crash artifact). */
#define FUZZ_CHECK(cond)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",        \
				__FILE__, __LINE__, #cond);                     \
			__builtin_trap();                                       \
		}                                                               \
	} while (0)

/* Run once by libFuzzer before the first input (fuzz_host.c). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A malloc'd copy of data[0, size) (at least one byte allocated): reads
 * past `size` land in ASan's redzone, and the copy is 16-byte aligned. */
uint8_t *fuzz_copy(const uint8_t *data, size_t size);

/* A malloc'd C string of data[0, size) with a NUL after it (an embedded
 * NUL simply ends the string early). */
char *fuzz_string(const uint8_t *data, size_t size);
