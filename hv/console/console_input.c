/* The operator's keystrokes: the console UART is polled every
 * INPUT_POLL_MS (INPUT_BURST_US while bytes keep coming) from a timer of
 * the boot CPU. Ctrl-] and a key move the
 * focus (hv/console/mux.h); other bytes go to what has focus: the focused
 * VM's COM1, the monitor, or (for the log) nowhere, with a hint. Bytes a
 * VM's FIFO cannot take yet wait here, and nothing more is read from the
 * UART until they are in, so nothing typed is lost and none reaches a VM
 * it was not typed for; once a VM has ended, its input is discarded (and
 * that is said once). Ctrl-] g lends the line to the GDB stub, which
 * reads it itself until gdb detaches. */
#include <stdio.h>
#include <string.h>

#include "cpu/timer.h"
#include "drivers/tsc.h"
#include "hv/console/console.h"
#include "hv/console/console_input.h"
#include "hv/console/gdb_stub.h"
#include "hv/console/monitor.h"
#include "hv/console/mux.h"
#include "hv/exit_trace.h"
#include "hv/vm.h"
#include "lib/log.h"

#define INPUT_POLL_MS	2
#define INPUT_BURST_US	100		/* the next poll, while bytes keep coming */
#define INPUT_BUF	256
#define ESCAPE_KEY	0x1d		/* Ctrl-] */

static const char key_list[] =
	"console keys, after Ctrl-]:\n"
	"  c       the monitor (hv> prompt; `help` lists its commands)\n"
	"  n / p   the next / previous VM's console\n"
	"  1 .. 9  the console of VM 1 .. 9 (the monitor's `vms` numbers them)\n"
	"  l       the hypervisor log, every VM's lines prefixed with its name\n"
	"  g       the GDB stub, on this line until gdb detaches\n"
	"  ?       this list\n"
	"  Ctrl-]  a Ctrl-] for the focused VM\n";

static struct timer poll_timer;
static bool escape_armed;		/* Ctrl-] came; the next byte is a key */
static bool hint_given;			/* since the log got focus */
static struct vm *pending_vm;		/* whose bytes wait in pending */
static struct vm *told_ended;		/* the last VM said to have ended */
static uint8_t pending[INPUT_BUF];
static unsigned pending_len;

/* Hand what waits to its VM's FIFO, as much as it takes. */
static void deliver(void)
{
	int taken;

	if (!pending_len)
		return;
	taken = vm_console_input(pending_vm, pending, pending_len);
	if (taken < 0) {
		if (told_ended != pending_vm)
			log_info("console: vm %s has ended; what is typed for it is discarded",
				 pending_vm->name);
		told_ended = pending_vm;
		taken = (int)pending_len;
	}
	memmove(pending, pending + taken, pending_len - taken);
	pending_len -= taken;
}

/* A byte that is not a console key, for what has focus. */
static void typed(uint8_t c)
{
	static const char hint[] = "console: the log has focus and takes no input; "
				   "Ctrl-] ? lists the console keys\n";
	struct vm *vm;

	switch (mux_focused(&vm)) {
	case MUX_LOG:
		if (!hint_given)
			mux_say(hint, sizeof(hint) - 1);
		hint_given = true;
		break;
	case MUX_MONITOR:
		monitor_input(c);
		break;
	case MUX_VM:
		pending_vm = vm;
		pending[pending_len++] = c;
		break;
	case MUX_GDB:
		break;			/* the stub reads the line itself meanwhile */
	}
}

/* The key after Ctrl-]. */
static void escape_key(uint8_t c)
{
	char msg[96];

	switch (c) {
	case 'c':
		mux_focus_monitor();
		monitor_enter();
		return;
	case 'n':
	case 'p':
		mux_focus_step(c == 'n' ? 1 : -1);
		return;
	case 'l':
		mux_focus_log();
		hint_given = false;
		return;
	case '?':
		mux_say(key_list, sizeof(key_list) - 1);
		return;
	case 'g':
		if (gdb_line_available()) {
			mux_focus_gdb();
			gdb_take_line(console_uart());
		} else {
			mux_say(msg, snprintf(msg, sizeof(msg),
					      "console: gdb is attached on COM2; detach it there first\n"));
		}
		return;
	case ESCAPE_KEY:
		typed(c);
		return;
	}
	if (c >= '1' && c <= '9') {
		if (!mux_focus_vm(c - '0'))
			mux_say(msg, snprintf(msg, sizeof(msg), "console: there is no VM %c (%zu VMs)\n",
					      c, mux_vm_count()));
		return;
	}
	mux_say(msg, snprintf(msg, sizeof(msg), "console: Ctrl-] %#x is not a console key\n", c));
	mux_say(key_list, sizeof(key_list) - 1);
}

static void input_byte(uint8_t c)
{
	if (escape_armed) {
		escape_armed = false;
		escape_key(c);
	} else if (c == ESCAPE_KEY) {
		escape_armed = true;
	} else {
		typed(c);
	}
}

/* Whether another byte may be read now: room to keep it, no bytes still
 * waiting for a VM that lost focus, no monitor command at work. */
static bool may_read(void)
{
	struct vm *vm;

	if (pending_len == INPUT_BUF || monitor_busy() || mux_focused(&vm) == MUX_GDB)
		return false;
	return !pending_len || (mux_focused(&vm) == MUX_VM && vm == pending_vm);
}

/* Take what the UART holds while it may be taken, hand it on, come back. */
static void input_poll(struct timer *t)
{
	bool more = false;
	int c;

	monitor_poll();
	more |= gdb_poll();
	deliver();
	while (may_read() && (c = console_getc()) >= 0) {
		input_byte((uint8_t)c);
		more = true;
	}
	deliver();
	/* A 16-byte FIFO per poll would cap a paste or a gdb packet at some
	 * 8 KiB/s: while bytes come, the next poll comes sooner. */
	timer_arm(t, tsc_now() + (more ? INPUT_BURST_US : INPUT_POLL_MS * 1000) *
				    READ_ONCE(tsc_khz) / 1000);
}

/* Focus `name` at boot: log, monitor, a VM's name or its number. */
static void initial_focus(const char *name)
{
	for (size_t i = 1; i <= mux_vm_count(); i++) {
		struct vm *vm = mux_vm(i);

		if (!strcmp(vm->name, name)) {
			log_info("console: focus on vm %s (Ctrl-] ? lists the console keys)", name);
			mux_focus_vm(i);
			return;
		}
	}
	if (!strcmp(name, "monitor")) {
		mux_focus_monitor();
		monitor_enter();
		return;
	}
	if (strcmp(name, "log"))
		log_warn("console: focus=%s names no VM; the log has focus", name);
	log_info("console: the log has focus; Ctrl-] ? lists the console keys");
}

void console_input_start(struct vm *vms, size_t n, const char *focus, size_t history_bytes)
{
	if (mux_start(vms, n, history_bytes)) {
		log_error("console: no memory for %zu histories of %zu bytes; no console input",
			  n + 1, history_bytes);
		return;
	}
	log_debug("console: %zu KiB of history for each of %zu VMs and the log; exit trace: %zu KiB "
		  "per CPU", history_bytes >> 10, n, exit_trace_bytes_per_cpu() >> 10);
	initial_focus(focus && focus[0] ? focus : "log");
	timer_init(&poll_timer, input_poll);
	timer_arm(&poll_timer, tsc_now() + INPUT_POLL_MS * READ_ONCE(tsc_khz));
}
