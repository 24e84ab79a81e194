/* The serial console: where log lines and guest output go. */
#pragma once

#include "lib/compiler.h"

/* Write n bytes of text to the console, each newline as CR LF (no
 * locking: the multiplexer serializes). */
void console_write(const char *s, size_t n);

/* Write n bytes as they are (a focused VM's output drives the terminal). */
void console_write_raw(const void *bytes, size_t n);

/* Use the UART at `port` at `baud`; false (console unchanged) if none answers. */
bool console_init(uint16_t port, unsigned baud);

/* A byte the operator typed, or -1 when none waits. */
int console_getc(void);

/* The console's UART (its I/O port). */
uint16_t console_uart(void);

/* Wait until everything written has left the UART (before a power-off:
 * emulators drop what is still being sent). */
void console_drain(void);
