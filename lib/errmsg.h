/* Reporting a parse or validation error through a caller's buffer: the
 * shape every parser here (multiboot2, ACPI, ...) returns errors in. */
#pragma once

#include <stdarg.h>
#include <stdio.h>

#include "lib/compiler.h"

/* Format the reason into `err` (of `errlen` bytes) and return -1. */
static inline __printf(3, 4) int errmsg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
