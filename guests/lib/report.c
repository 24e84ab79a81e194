/* PASS/FAIL bookkeeping and the guest's exit. */
#include "guests/lib/report.h"
#include "guests/lib/print.h"
#include "guests/lib/x86.h"

static unsigned passed, failed;

static void verdict(bool ok, const char *fmt, va_list ap)
{
	if (ok)
		passed++;
	else
		failed++;
	kprintf("%s %s: ", ok ? "PASS" : "FAIL", guest_name);
	kvprintf(fmt, ap);
	kprintf("\n");
}

void pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict(true, fmt, ap);
	va_end(ap);
}

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict(false, fmt, ap);
	va_end(ap);
}

void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict(ok, fmt, ap);
	va_end(ap);
}

void report_add(unsigned n_passed, unsigned n_failed)
{
	passed += n_passed;
	failed += n_failed;
}

void report_exit(void)
{
	kprintf("DONE %s: %u passed, %u failed\n", guest_name, passed, failed);
	guest_exit(failed ? 1 : 0);
}

void guest_exit(uint8_t status)
{
	outb(DEBUG_EXIT_PORT, status);
	/* No exit device: stop here rather than run off into nothing. */
	cli();
	for (;;)
		hlt();
}
