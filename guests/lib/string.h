/*
 * The few string routines the guests (and the code gcc generates for them)
 * need: the guests link no C library.
 */
#pragma once

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
