/* Leveled console logging. Every line carries a timestamp and the CPU number;
 * lines from different CPUs never interleave. The console and the clock are
 * a back end registered at boot, so a room that logs needs neither. */
#pragma once

#include "lib/compiler.h"

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Where a line comes from: the hypervisor, or a VM's console output
 * (which the console multiplexer shows only where that VM's output goes). */
enum log_source { LOG_FROM_HV, LOG_FROM_GUEST };

/* Where lines go and what stamps them (boot/main.c fills one in). */
struct log_backend {
	/* One whole line, newline included; callers are serialized. */
	void (*write)(enum log_level level, enum log_source from, const char *s, size_t n);
	void (*drain)(void);			/* until written bytes have left */
	uint64_t (*now_us)(void);		/* microseconds since boot */
	void (*backtrace)(void);		/* of the caller, for panic() */
	void (*after_panic)(void);		/* the rest of panic()'s report, then
						 * what to do; returns to halt the CPU */
};

/* Send every line to `b` from now on; until then lines are dropped. */
void log_set_backend(const struct log_backend *b);

/* Wait until every line written has left the console (before a power-off:
 * emulators drop what is still being sent). */
void log_drain(void);

/* Messages above this level are dropped; set from `loglevel=`. */
extern enum log_level log_level;

/* Print one formatted line (a trailing newline is added if missing). */
void log_printf(enum log_level level, const char *fmt, ...) __printf(2, 3);

/* Keep the console to this CPU until the matching log_release(), so that
 * a multi-line report is not interleaved with other CPUs' lines. Nests. */
void log_hold(void);
void log_release(void);

/* Log a line a VM's console printed (already "[NAME] "-prefixed), at info level. */
void log_guest_line(const char *line);

#define log_error(...) log_printf(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

/* Print the message and a backtrace, let the back end finish (after_panic:
 * more of the report, maybe a power-off or reset), then stop this CPU. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);
