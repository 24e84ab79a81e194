/* The console multiplexer (hv/console/mux.h). One lock covers the UART
 * and the rings, so a VM's bytes, log lines and replays never mix mid-way.
 * It is taken inside the log's lock and inside a VM's device lock, never
 * the other way round. A CPU that faults while holding it still prints. */
#include <stdio.h>
#include <stdlib.h>

#include "hv/console/console.h"
#include "hv/console/history.h"
#include "hv/console/mux.h"
#include "hv/vm.h"
#include "lib/cpu.h"
#include "lib/spinlock.h"

#define NO_OWNER	(~0u)
#define REPLAY_CHUNK	256

static struct {
	struct spinlock lock;
	unsigned owner;			/* the CPU holding lock */
	bool started;
	struct vm *vms;
	size_t nr_vms;
	size_t history_bytes;
	struct history *vm_history;	/* one per VM */
	struct history log;
	uint64_t log_mark;		/* where the log was when it lost focus */
	enum mux_focus focus;
	size_t focus_vm;		/* index in vms, for MUX_VM */
	bool at_line_start;		/* the last byte sent was a newline */
} mux = { .lock = SPINLOCK_INIT, .owner = NO_OWNER, .at_line_start = true };

/* Take the lock unless this CPU holds it already; returns whether it did. */
static bool mux_lock(void)
{
	if (__atomic_load_n(&mux.owner, __ATOMIC_RELAXED) == cpu_id())
		return false;
	spin_lock(&mux.lock);
	__atomic_store_n(&mux.owner, cpu_id(), __ATOMIC_RELAXED);
	return true;
}

static void mux_unlock(bool taken)
{
	if (!taken)
		return;
	__atomic_store_n(&mux.owner, NO_OWNER, __ATOMIC_RELAXED);
	spin_unlock(&mux.lock);
}

/* Send text (newlines as CR LF) or raw bytes to the line; lock held. */
static void send_text(const char *s, size_t n)
{
	if (!n)
		return;
	console_write(s, n);
	mux.at_line_start = s[n - 1] == '\n';
}

static void send_raw(const uint8_t *bytes, size_t n)
{
	if (!n)
		return;
	console_write_raw(bytes, n);
	mux.at_line_start = bytes[n - 1] == '\n';
}

/* Start a line of our own, even in the middle of a VM's. */
static void send_line_break(void)
{
	if (!mux.at_line_start)
		send_text("\n", 1);
}

int mux_start(struct vm *vms, size_t n, size_t history_bytes)
{
	struct history *rings = calloc(MAX(n, 1), sizeof(*rings));
	bool taken;

	if (!rings || history_init(&mux.log, history_bytes))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (history_init(&rings[i], history_bytes))
			return -1;
	taken = mux_lock();
	mux.vms = vms;
	mux.nr_vms = n;
	mux.vm_history = rings;
	mux.history_bytes = history_bytes;
	mux.focus = MUX_LOG;
	mux.started = true;
	mux_unlock(taken);
	vm_console_output = mux_vm_output;
	return 0;
}

/* Whether a log line shows now: everything in the log; the hypervisor's
 * own lines in a VM's console too (its lifecycle, warnings), but not
 * other VMs' output; warnings and errors only, in the monitor; nothing
 * while gdb has the line. */
static bool log_line_shows(enum log_level level, enum log_source from)
{
	switch (mux.focus) {
	case MUX_LOG:
		return true;
	case MUX_VM:
		return from == LOG_FROM_HV;
	case MUX_MONITOR:
		break;
	case MUX_GDB:
		return false;
	}
	return level <= LOG_WARN;
}

void mux_log_write(enum log_level level, enum log_source from, const char *s, size_t n)
{
	bool taken = mux_lock();

	if (!mux.started) {
		send_text(s, n);
	} else {
		history_write(&mux.log, s, n);
		if (log_line_shows(level, from)) {
			send_line_break();
			send_text(s, n);
		}
	}
	mux_unlock(taken);
}

void mux_vm_output(struct vm *vm, const uint8_t *bytes, unsigned n)
{
	size_t i;
	bool taken;

	if (!mux.started)
		return;
	i = vm - mux.vms;
	if (i >= mux.nr_vms)
		return;
	taken = mux_lock();
	history_write(&mux.vm_history[i], bytes, n);
	if (mux.focus == MUX_VM && mux.focus_vm == i)
		send_raw(bytes, n);
	mux_unlock(taken);
}

enum mux_focus mux_focused(struct vm **vm)
{
	enum mux_focus focus = READ_ONCE(mux.focus);

	*vm = focus == MUX_VM ? &mux.vms[READ_ONCE(mux.focus_vm)] : NULL;
	return focus;
}

/* Send what `h` holds from position `from` on; lock held. */
static void replay(const struct history *h, uint64_t from, bool text)
{
	uint8_t chunk[REPLAY_CHUNK];
	size_t got;

	while ((got = history_read(h, &from, chunk, sizeof(chunk)))) {
		if (text)
			send_text((const char *)chunk, got);
		else
			send_raw(chunk, got);
	}
}

/* Move the focus to `focus` (VM index `vm`), announcing it; lock held. */
static void refocus(enum mux_focus focus, size_t vm, const char *banner, size_t len)
{
	if (mux.focus == MUX_LOG && focus != MUX_LOG)
		mux.log_mark = mux.log.end;
	mux.focus = focus;
	mux.focus_vm = vm;
	send_line_break();
	send_text(banner, len);
}

void mux_focus_log(void)
{
	static const char banner[] = "--- the hypervisor log (Ctrl-] ? lists the keys) ---\n";
	bool taken = mux_lock();

	if (mux.focus != MUX_LOG) {
		uint64_t since = mux.log_mark;

		refocus(MUX_LOG, 0, banner, sizeof(banner) - 1);
		replay(&mux.log, since, true);
	}
	mux_unlock(taken);
}

void mux_focus_monitor(void)
{
	static const char banner[] = "--- the monitor: `help` lists its commands, Ctrl-] l "
				     "goes back to the log ---\n";
	bool taken = mux_lock();

	refocus(MUX_MONITOR, 0, banner, sizeof(banner) - 1);
	mux_unlock(taken);
}

void mux_focus_gdb(void)
{
	static const char banner[] = "--- the GDB stub has this line until gdb detaches "
				     "(Ctrl-] before gdb connects gives it back) ---\n";
	bool taken = mux_lock();

	refocus(MUX_GDB, 0, banner, sizeof(banner) - 1);
	mux_unlock(taken);
}

bool mux_focus_vm(size_t number)
{
	char banner[96];
	int len;
	bool taken;

	if (number < 1 || number > mux.nr_vms)
		return false;
	len = snprintf(banner, sizeof(banner), "--- vm %zu of %zu: %s (Ctrl-] ? lists the keys) ---\n",
		       number, mux.nr_vms, mux.vms[number - 1].name);
	taken = mux_lock();
	refocus(MUX_VM, number - 1, banner, (size_t)len);
	replay(&mux.vm_history[number - 1], 0, false);
	mux_unlock(taken);
	return true;
}

void mux_focus_step(int step)
{
	size_t n = mux.nr_vms, next;

	if (!n)
		return;
	if (READ_ONCE(mux.focus) != MUX_VM)
		next = step > 0 ? 0 : n - 1;
	else
		next = (READ_ONCE(mux.focus_vm) + n + (size_t)step) % n;
	mux_focus_vm(next + 1);
}

struct vm *mux_vm(size_t number)
{
	return number >= 1 && number <= mux.nr_vms ? &mux.vms[number - 1] : NULL;
}

size_t mux_vm_count(void)
{
	return mux.nr_vms;
}

void mux_say(const char *s, size_t n)
{
	bool taken = mux_lock();

	if (mux.focus != MUX_GDB) {
		send_line_break();
		send_text(s, n);
	}
	mux_unlock(taken);
}

void mux_monitor_write(const char *s, size_t n)
{
	bool taken = mux_lock();

	if (mux.focus == MUX_MONITOR)
		send_text(s, n);
	mux_unlock(taken);
}

size_t mux_history_bytes(void)
{
	return mux.history_bytes;
}
