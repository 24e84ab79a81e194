/* The GDB stub (hv/console/gdb_stub.h). It runs in the console's poll on
 * the boot CPU and never waits there: a stop is a vm_pause() whose end a
 * later poll reports. gdb sees the target VM's vCPUs as threads 1..n; all
 * of them stop and go together, other VMs run on, except that a step runs
 * only the stepped vCPU. Registers and memory are those of the paused
 * snapshot (hv/vm_control.c). Breakpoints, watchpoints and steps are the
 * VM's struct vm_debug (hv/vcpu_debug.h), changed only while it is
 * paused; a vCPU that stops for one of them pauses the VM itself. */
#include <stdio.h>
#include <string.h>

#include "drivers/uart16550.h"
#include "hv/console/gdb_break.h"
#include "hv/console/gdb_link.h"
#include "hv/console/gdb_regs.h"
#include "hv/console/gdb_stub.h"
#include "hv/console/gdb_target.h"
#include "hv/console/monitor.h"
#include "hv/console/mux.h"
#include "hv/guest_mem.h"
#include "hv/sched.h"
#include "hv/vm.h"
#include "lib/log.h"

#define SIGINT		2
#define SIGTRAP		5
#define REPLY_MAX	GDB_LINK_REPLY_MAX

enum gdb_state {
	GDB_DETACHED,		/* no gdb session, the VM runs */
	GDB_STOPPING,		/* a stop was asked for: its reply comes when all vCPUs paused */
	GDB_STOPPED,		/* the VM is paused for gdb */
	GDB_RUNNING,		/* continued or stepping: gdb waits for the next stop */
};

static struct {
	bool started;
	struct gdb_link link;
	struct vm *vm;			/* the target; NULL: the first VM at attach */
	unsigned thread;		/* the vCPU g, m and friends use */
	enum gdb_state state;
	int stop_signal;		/* for the reply of the stop under way */
	bool reply_owed;		/* gdb waits for a stop reply ('?', continue) */
	bool detaching;			/* 'D' came while the VM ran: finish it once stopped */
	uint16_t own_port;		/* gdb=com2's, while the console's line is lent */
	bool on_console;		/* serving on the console's line (Ctrl-] g) */
	char reply[REPLY_MAX];
	size_t reply_len;		/* console output of a qRcmd, as hex */
} gdb;

/* Send `payload` as a packet (the link keeps it for a resend). */
static void send_packet(const char *payload)
{
	gdb_link_send(&gdb.link, payload);
}

void gdb_boot(uint16_t port, struct vm *vms, size_t n)
{
	struct vm *target = NULL;

	for (size_t i = 0; i < n; i++)
		if (vms[i].nr_vcpus && vms[i].config->debug != VM_DEBUG_OFF)
			target = &vms[i];
	if (port && !uart_init(port, 115200)) {
		log_warn("gdb: no UART at %#x: no GDB stub", port);
		port = 0;
	}
	gdb.link.port = port;
	gdb.started = port;
	if (!target)
		return;
	if (!port) {
		log_warn("vm %s: debug= but no GDB stub (gdb=com2): it runs undebugged", target->name);
		return;
	}
	gdb.vm = target;
	if (target->config->debug == VM_DEBUG_WAIT) {
		vm_hold(target);
		log_info("vm %s: held at its first instruction until gdb lets it go", target->name);
	}
}

bool gdb_line_available(void)
{
	return gdb.on_console || gdb.state == GDB_DETACHED;
}

void gdb_take_line(uint16_t port)
{
	if (gdb.on_console)
		return;
	gdb.own_port = gdb.link.port;
	gdb.link.port = port;
	gdb.link.rx = (struct gdb_rx){ 0 };
	gdb.on_console = true;
	gdb.started = true;
	log_info("gdb: on the console's line until gdb detaches");
}

/* The session ended: a lent console line goes back to the log. */
static void give_line_back(void)
{
	if (!gdb.on_console)
		return;
	gdb.on_console = false;
	gdb.link.port = gdb.own_port;
	gdb.started = gdb.own_port;
	mux_focus_log();
	log_info("gdb: the console's line is the console's again");
}

bool gdb_set_target(struct vm *vm)
{
	if (gdb.state != GDB_DETACHED && gdb.vm != vm)
		return false;
	gdb.vm = vm;
	return true;
}

/* The target's vCPU `tid` (gdb's thread id, 1-based), or NULL. */
static struct vcpu *thread_vcpu(uint64_t tid)
{
	return tid >= 1 && tid <= gdb.vm->nr_vcpus ? &gdb.vm->vcpus[tid - 1] : NULL;
}

/* Ask the target to stop; the stop reply follows once it has. */
static void stop(int signal)
{
	gdb.stop_signal = signal;
	if (vm_pause(gdb.vm) || gdb.vm->paused)
		gdb.state = GDB_STOPPING;
}

/* `T`: the signal, the thread, and what stopped it if a vCPU did (that
 * vCPU becomes the selected thread, as gdb then assumes). */
static void send_stop_reply(void)
{
	const struct vm_debug *d = &gdb.vm->debug;
	const char *why = "";
	char reply[64], addr[24] = "";

	if (__atomic_load_n(&d->stopped, __ATOMIC_ACQUIRE)) {
		gdb.thread = d->stop.vcpu + 1;
		gdb.stop_signal = SIGTRAP;
		if (d->stop.cause == DEBUG_STOP_SWBREAK)
			why = "swbreak";
		else if (d->stop.cause == DEBUG_STOP_HWBREAK || d->stop.cause == DEBUG_STOP_WATCH)
			why = gdb_break_hw_kind(d, d->stop.addr);
		if (d->stop.cause == DEBUG_STOP_WATCH)
			snprintf(addr, sizeof(addr), "%llx", (unsigned long long)d->stop.addr);
	}
	snprintf(reply, sizeof(reply), "T%02xthread:%x;%s%s%s%s", gdb.stop_signal, gdb.thread, why,
		 *why ? ":" : "", addr, *why ? ";" : "");
	send_packet(reply);
}

/* `m ADDR,LEN`: read through the selected vCPU's page tables. */
static void read_memory(const char *p, struct vcpu *v)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	uint64_t addr, len;
	struct gwalk_result r;

	if (!gdb_parse_range(&p, &addr, &len) || *p || len > sizeof(buf)) {
		send_packet("E01");
		return;
	}
	if (guest_virt_read(v, &v->paused_sregs, addr, buf, len, 0, &r) != GWALK_OK) {
		send_packet("E14");
		return;
	}
	gdb_break_unpatch(&gdb.vm->debug, addr, buf, len);
	gdb_to_hex(gdb.reply, buf, len);
	send_packet(gdb.reply);
}

/* `M ADDR,LEN:HEX` and `X ADDR,LEN:BINARY` (rx's buffer, `binary` set). */
static void write_memory(char *p, size_t packet_len, struct vcpu *v, bool binary)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	const char *q = p;
	struct gwalk_result r;
	uint64_t addr, len;
	char *data;
	int got;

	if (!gdb_parse_range(&q, &addr, &len) || *q++ != ':' || len > sizeof(buf)) {
		send_packet("E01");
		return;
	}
	data = (char *)q;
	if (binary) {
		got = gdb_unescape(data, packet_len - (size_t)(data - p) - 1);
		if (got != (int)len) {
			send_packet("E01");
			return;
		}
		memcpy(buf, data, len);
	} else if (strlen(data) != 2 * len || !gdb_from_hex(buf, data, len)) {
		send_packet("E01");
		return;
	}
	/* A debugger writes where the guest may only read (code, say). */
	send_packet(guest_virt_write(v, &v->paused_sregs, addr, buf, len, 0, &r) == GWALK_OK ?
		    "OK" : "E14");
}

/* Collects a monitor command's output for qRcmd, as hex. */
static void rcmd_out(const char *s, size_t n)
{
	n = MIN(n, (sizeof(gdb.reply) - 1 - gdb.reply_len) / 2);
	gdb_to_hex(gdb.reply + gdb.reply_len, s, n);
	gdb.reply_len += 2 * n;
}

/* `qRcmd,HEX`: one monitor line; its output as an O packet, then OK. */
static void monitor_command(const char *hex)
{
	char line[128], out[REPLY_MAX + 1];
	size_t n = strlen(hex) / 2;

	if (n >= sizeof(line) || strlen(hex) % 2 || !gdb_from_hex(line, hex, n)) {
		send_packet("E01");
		return;
	}
	line[n] = '\0';
	gdb.reply_len = 0;
	monitor_run(line, rcmd_out);
	if (gdb.reply_len) {
		snprintf(out, sizeof(out), "O%.*s", (int)gdb.reply_len, gdb.reply);
		send_packet(out);
	}
	send_packet("OK");
}

/* qThreadExtraInfo: "vcpuN STATE" as hex. */
static void thread_info(const char *p)
{
	char text[48];
	uint64_t tid;
	struct vcpu *v;

	spin_lock(&gdb.vm->input_lock);
	if (!gdb_parse_hex(&p, &tid) || !(v = thread_vcpu(tid))) {
		spin_unlock(&gdb.vm->input_lock);
		send_packet("E01");
		return;
	}
	snprintf(text, sizeof(text), "vcpu%u %s%s", v->id, vcpu_state_name(v),
		 v->wait_sipi ? " (waiting for a start-up IPI)" : "");
	spin_unlock(&gdb.vm->input_lock);
	gdb_to_hex(gdb.reply, text, strlen(text));
	send_packet(gdb.reply);
}

static void query(const char *p)
{
	char list[8 * VM_VCPUS_MAX];
	size_t len = 0;

	if (!strncmp(p, "Supported", 9)) {
		send_packet("PacketSize=1000;qXfer:features:read+;vContSupported+;swbreak+;hwbreak+");
	} else if (!strncmp(p, "Xfer:features:read:", 19)) {
		gdb_target_read(p + 19, gdb.reply);
		send_packet(gdb.reply);
	} else if (!strcmp(p, "fThreadInfo")) {
		unsigned n = READ_ONCE(gdb.vm->nr_vcpus);	/* 0 once it ended: an empty list */

		list[0] = 'l';
		list[1] = '\0';
		for (unsigned i = 0; i < n; i++)
			len += snprintf(list + len, sizeof(list) - len, "%s%x", i ? "," : "m", i + 1);
		send_packet(list);
	} else if (!strcmp(p, "sThreadInfo")) {
		send_packet("l");
	} else if (!strcmp(p, "C")) {
		snprintf(list, sizeof(list), "QC%x", gdb.thread);
		send_packet(list);
	} else if (!strcmp(p, "Attached")) {
		send_packet("1");
	} else if (!strncmp(p, "ThreadExtraInfo,", 16)) {
		thread_info(p + 16);
	} else if (!strncmp(p, "Rcmd,", 5)) {
		monitor_command(p + 5);
	} else {
		send_packet("");
	}
}

/* Publish what gdb set up while the VM was paused, with thread `step`
 * (0: none) to be stepped, and forget the last stop. */
static void debug_commit(unsigned step)
{
	struct vm_debug *d = &gdb.vm->debug;

	d->step_vcpu = step;
	d->stop = (struct debug_stop){ .cause = DEBUG_STOP_NONE };
	__atomic_store_n(&d->stopped, false, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&d->generation, 1, __ATOMIC_RELEASE);
}

/* Let the target run; gdb waits for the next stop. */
static void resume(void)
{
	if (gdb.state == GDB_STOPPED)
		debug_commit(0);
	vm_resume(gdb.vm);
	gdb.state = GDB_RUNNING;
	gdb.reply_owed = true;
}

/* Run thread `tid` alone for one instruction; the others stay paused. A
 * vCPU that is halted or waits for a start-up IPI has no instruction to
 * run: its step ends where it is. */
static void step(uint64_t tid)
{
	struct vcpu *v;

	spin_lock(&gdb.vm->input_lock);
	v = gdb.state == GDB_STOPPED && gdb.vm->nr_vcpus ? thread_vcpu(tid) : NULL;
	if (!v) {
		spin_unlock(&gdb.vm->input_lock);
		send_packet("E01");
		return;
	}
	gdb.thread = (unsigned)tid;
	gdb.stop_signal = SIGTRAP;
	gdb.reply_owed = true;
	debug_commit((unsigned)tid);
	if (v->halted || v->wait_sipi) {
		spin_unlock(&gdb.vm->input_lock);
		send_stop_reply();
		gdb.reply_owed = false;
		return;
	}
	gdb.state = GDB_RUNNING;
	vcpu_unpause(v);
	spin_unlock(&gdb.vm->input_lock);
}

/* `vCont;ACTION[:TID]...`: every thread goes or stops together, but a
 * step (`s`, for its thread or the selected one) runs its thread alone. */
static void vcont(const char *p)
{
	uint64_t tid = gdb.thread;

	if (!strcmp(p, "?")) {
		send_packet("vCont;c;C;s;S;t");
	} else if (!strncmp(p, ";s", 2) || !strncmp(p, ";S", 2)) {
		p += 2;
		if (*p == ':' && (++p, !gdb_parse_hex(&p, &tid)))
			send_packet("E01");
		else
			step(tid);
	} else if (!strncmp(p, ";c", 2) || !strncmp(p, ";C", 2)) {
		resume();
	} else if (!strncmp(p, ";t", 2)) {
		stop(0);
		gdb.reply_owed = true;
	} else {
		send_packet("");
	}
}

/* `Z`/`z`: only while the VM is paused, through the selected thread. */
static void break_packet(const char *p, bool insert)
{
	struct vcpu *v;

	spin_lock(&gdb.vm->input_lock);
	v = gdb.vm->nr_vcpus ? thread_vcpu(gdb.thread) : NULL;
	send_packet(gdb.state == GDB_STOPPED && v ? gdb_break_packet(&gdb.vm->debug, v, p, insert)
						  : "E01");
	spin_unlock(&gdb.vm->input_lock);
}

/* Give the VM back as gdb found it: no int3s, the guest's own debug
 * registers (each vCPU takes them back before it next runs). */
static void detach(void)
{
	spin_lock(&gdb.vm->input_lock);
	if (gdb.vm->nr_vcpus)
		gdb_break_clear(&gdb.vm->debug, thread_vcpu(1));
	spin_unlock(&gdb.vm->input_lock);
	debug_commit(0);
	vm_resume(gdb.vm);
	gdb.state = GDB_DETACHED;
	gdb.detaching = false;
	log_info("gdb: detached from vm %s", gdb.vm->name);
	send_packet("OK");
	give_line_back();
}

/* `H{g,c}TID` and `TTID`. */
static void select_thread(const char *p, bool select)
{
	int64_t tid;

	if (!gdb_parse_thread(p, &tid) || (tid > 0 && !thread_vcpu((uint64_t)tid))) {
		send_packet("E01");
		return;
	}
	if (select && tid > 0)
		gdb.thread = (unsigned)tid;
	send_packet("OK");
}

/* `p N` and `P N=VALUE`. */
static void reg_packet(const char *p, struct vcpu *v, bool write)
{
	struct gdb_regs regs;
	uint64_t n;

	if (!gdb_parse_hex(&p, &n) || (write ? *p++ != '=' : *p != '\0') || n >= GDB_NR_REGS) {
		send_packet("E01");
		return;
	}
	if (write) {
		send_packet(gdb_reg_write(v, (unsigned)n, p) ? "OK" : "E01");
		return;
	}
	gdb_regs_of_vcpu(v, &regs);
	gdb_reg_read(&regs, (unsigned)n, gdb.reply);
	send_packet(gdb.reply);
}

/* Commands that need the target stopped, on the selected thread. */
static void stopped_command(char *p, size_t len)
{
	struct gdb_regs regs;
	struct vcpu *v;

	spin_lock(&gdb.vm->input_lock);	/* the monitor may kill it meanwhile */
	v = gdb.vm->nr_vcpus ? thread_vcpu(gdb.thread) : NULL;
	if (gdb.state != GDB_STOPPED || !v) {
		spin_unlock(&gdb.vm->input_lock);
		send_packet("E01");
		return;
	}
	switch (p[0]) {
	case 'g':
		gdb_regs_of_vcpu(v, &regs);
		gdb_regs_read_all(&regs, gdb.reply);
		send_packet(gdb.reply);
		break;
	case 'G':
		send_packet(gdb_regs_write_all(v, p + 1) ? "OK" : "E01");
		break;
	case 'p':
	case 'P':
		reg_packet(p + 1, v, p[0] == 'P');
		break;
	case 'm':
		read_memory(p + 1, v);
		break;
	case 'M':
	case 'X':
		write_memory(p + 1, len, v, p[0] == 'X');
		break;
	}
	spin_unlock(&gdb.vm->input_lock);
}

/* Attach on gdb's first packet: the target is the chosen VM, else VM 1. */
static bool attach(void)
{
	if (gdb.state != GDB_DETACHED)
		return true;
	if (!gdb.vm)
		gdb.vm = mux_vm(1);
	if (!gdb.vm || !gdb.vm->nr_vcpus)
		return false;
	gdb.thread = 1;
	log_info("gdb: attached to vm %s", gdb.vm->name);
	stop(SIGTRAP);
	return true;
}

static void handle_packet(char *p, size_t len)
{
	if (!attach()) {
		send_packet(p[0] == '?' ? "W00" : "E01");
		return;
	}
	switch (p[0]) {
	case '?':
		if (gdb.state == GDB_STOPPED)
			send_stop_reply();
		else
			gdb.reply_owed = true;	/* when the stop is through */
		break;
	case 'g':
	case 'G':
	case 'p':
	case 'P':
	case 'm':
	case 'M':
	case 'X':
		stopped_command(p, len);
		break;
	case 'c':
		resume();
		break;
	case 's':
		step(gdb.thread);
		break;
	case 'v':
		if (!strncmp(p, "vCont", 5))
			vcont(p + 5);
		else
			send_packet("");
		break;
	case 'H':
		select_thread(p[1] ? p + 2 : p + 1, p[1] == 'g' || p[1] == 'c');
		break;
	case 'T':
		select_thread(p + 1, false);
		break;
	case 'q':
		query(p + 1);
		break;
	case 'Z':
	case 'z':
		break_packet(p + 1, p[0] == 'Z');
		break;
	case 'D':
		if (gdb.state == GDB_STOPPED) {
			detach();
		} else {
			gdb.detaching = true;	/* int3s come out only while it is paused */
			stop(0);
		}
		break;
	case 'k':
		vm_kill(gdb.vm, false);
		gdb.state = GDB_DETACHED;
		give_line_back();
		break;
	default:
		send_packet("");	/* not supported */
	}
}

/* Report what happened to the target since the last poll. */
static void advance(void)
{
	if (gdb.state == GDB_DETACHED)
		return;
	if (!gdb.vm->nr_vcpus || __atomic_load_n(&gdb.vm->ending, __ATOMIC_ACQUIRE)) {
		if (gdb.reply_owed)
			send_packet(gdb.vm->killed ? "X09" : "W00");
		gdb.reply_owed = false;
		gdb.state = GDB_DETACHED;
		give_line_back();
		return;
	}
	if (gdb.state == GDB_RUNNING && __atomic_load_n(&gdb.vm->debug.stopped, __ATOMIC_ACQUIRE))
		gdb.state = GDB_STOPPING;	/* a vCPU stopped it: wait for all of them */
	if (gdb.state == GDB_STOPPING && vm_pause_done(gdb.vm)) {
		gdb.state = GDB_STOPPED;
		if (gdb.detaching)
			detach();
		else if (gdb.reply_owed)
			send_stop_reply();
		gdb.reply_owed = false;
	}
}

bool gdb_poll(void)
{
	uint64_t before = gdb.link.bytes_in;
	enum gdb_rx_event event;

	if (!gdb.started)
		return false;
	while ((event = gdb_link_poll(&gdb.link)) != GDB_RX_NONE) {
		if (event == GDB_RX_PACKET)
			handle_packet(gdb.link.rx.buf, gdb.link.rx.len);
		else if (event == GDB_RX_ESCAPE && gdb.state == GDB_DETACHED)
			give_line_back();	/* the operator changed their mind */
		else if (event == GDB_RX_INTERRUPT && gdb.state == GDB_RUNNING)
			stop(SIGINT);
	}
	advance();
	return gdb.link.bytes_in != before;
}
