/* Leveled logging to the console. A line is formatted into a local buffer
 * and written under one lock, so lines from different CPUs never mix. */
#include <stdarg.h>
#include <stdio.h>

#include "lib/cpu.h"
#include "lib/log.h"
#include "lib/spinlock.h"

#define LOG_LINE_MAX 512
#define NO_OWNER     (~0u)

enum log_level log_level = LOG_INFO;

static const struct log_backend *backend;

static struct spinlock log_lock = SPINLOCK_INIT;
static unsigned log_owner = NO_OWNER;
static const char level_letter[] = { 'E', 'W', 'I', 'D' };

/* Take the console lock unless this CPU already holds it (a fault while
 * printing must still be able to print). Returns whether it was taken. */
static bool log_lock_take(void)
{
	unsigned me = cpu_id();

	if (__atomic_load_n(&log_owner, __ATOMIC_RELAXED) == me)
		return false;
	spin_lock(&log_lock);
	__atomic_store_n(&log_owner, me, __ATOMIC_RELAXED);
	return true;
}

static void log_lock_release(bool taken)
{
	if (!taken)
		return;
	__atomic_store_n(&log_owner, NO_OWNER, __ATOMIC_RELAXED);
	spin_unlock(&log_lock);
}

void log_set_backend(const struct log_backend *b)
{
	backend = b;
}

void log_drain(void)
{
	if (backend)
		backend->drain();
}

/* Console holds by this CPU beyond the lock itself (log_hold nesting). */
static unsigned log_hold_depth;

void log_hold(void)
{
	if (log_lock_take() || log_hold_depth)
		log_hold_depth++;
}

void log_release(void)
{
	if (log_hold_depth && --log_hold_depth == 0)
		log_lock_release(true);
}

static void log_vprintf(enum log_level level, enum log_source from, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	uint64_t us;
	int n;

	if (!backend)
		return;
	us = backend->now_us();
	n = snprintf(line, sizeof(line), "[%5llu.%06llu] cpu%u %c: ",
		     (unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000),
		     cpu_id(), level_letter[level]);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	if (line[n - 1] != '\n')
		line[n++] = '\n';

	bool taken = log_lock_take();
	backend->write(level, from, line, n);
	log_lock_release(taken);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	log_vprintf(level, LOG_FROM_HV, fmt, ap);
	va_end(ap);
}

/* log_vprintf() wants a va_list: this is its variadic door for guest lines. */
static void log_guest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(LOG_INFO, LOG_FROM_GUEST, fmt, ap);
	va_end(ap);
}

void log_guest_line(const char *line)
{
	if (LOG_INFO <= log_level)
		log_guest_printf("%s", line);
}

__noreturn void panic(const char *fmt, ...)
{
	char msg[LOG_LINE_MAX - 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("PANIC: %s", msg);
	if (backend) {
		backend->backtrace();
		backend->after_panic();
	}
	cpu_halt_forever();
}
