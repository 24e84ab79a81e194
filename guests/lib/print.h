/*
 * A small printf for the guests, writing to COM1. Conversions: %d %i %u %x
 * %X %p %s %c %%, with the '0' and '-' flags, a field width, and the l, ll
 * and z length modifiers.
 */
#pragma once

#include <stdarg.h>
#include "lib/compiler.h"

__printf(1, 2) void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
