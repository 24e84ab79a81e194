/* The post-mortem GDB stub (hv/console/gdb_postmortem.h). The hypervisor
 * cannot go on, so the target never runs: a continue or a step (with a
 * signal or without) is answered with the stop again. Memory is read only
 * where the hypervisor's own page tables map RAM, so no read faults and
 * none touches a device register. */
#include <stdio.h>
#include <string.h>

#include "drivers/uart16550.h"
#include "hv/console/gdb_link.h"
#include "hv/console/gdb_postmortem.h"
#include "hv/console/gdb_regs.h"
#include "hv/console/gdb_target.h"
#include "mm/paging.h"
#include "x86/insn.h"
#include "x86/regs.h"

#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGFPE		8
#define SIGSEGV		11

static struct {
	struct gdb_link link;
	struct gdb_regs regs;
	int signal;			/* what gdb is told stopped the target */
	char reply[GDB_LINK_REPLY_MAX];
} pm;

/* The signal a Unix kernel would send a process for the same exception;
 * SIGABRT for a panic() call. */
static int trap_signal(uint64_t vector)
{
	switch (vector) {
	case TRAP_VECTOR_CALL:
		return SIGABRT;
	case VECTOR_DIVIDE_ERROR:
		return SIGFPE;
	case VECTOR_DEBUG:
	case VECTOR_BREAKPOINT:
		return SIGTRAP;
	case VECTOR_INVALID_OPCODE:
		return SIGILL;
	default:
		return SIGSEGV;
	}
}

/* The frame's registers, and the rest as this CPU has them now: nothing
 * on the way from the panic changed them (a fault would have stopped this
 * CPU before it got here). */
static void regs_of_frame(const struct trap_frame *tf, struct gdb_regs *r)
{
	*r = (struct gdb_regs){
		.gpr = { tf->rax, tf->rbx, tf->rcx, tf->rdx, tf->rsi, tf->rdi, tf->rbp, tf->rsp,
			 tf->r8, tf->r9, tf->r10, tf->r11, tf->r12, tf->r13, tf->r14, tf->r15 },
		.rip = tf->rip,
		.rflags = tf->rflags,
		.selector = { (uint16_t)tf->cs, (uint16_t)tf->ss, read_ds(), read_es(), read_fs(),
			      read_gs() },
		.fs_base = rdmsr(MSR_FS_BASE),
		.gs_base = rdmsr(MSR_GS_BASE),
		.cr0 = read_cr0(),
		.cr2 = read_cr2(),
		.cr3 = read_cr3(),
		.cr4 = read_cr4(),
		.efer = rdmsr(MSR_EFER),
	};
}

bool gdb_postmortem_init(uint16_t port, const struct trap_frame *tf)
{
	regs_of_frame(tf, &pm.regs);
	pm.signal = trap_signal(tf->vector);
	pm.link.port = port;
	return uart_init(port, 115200);
}

/* Send `payload` as a packet (the link keeps it for a resend). */
static void send(const char *payload)
{
	gdb_link_send(&pm.link, payload);
}

/* `T`: the signal of the panic, on thread 1. */
static void send_stop_reply(void)
{
	char reply[32];

	snprintf(reply, sizeof(reply), "T%02xthread:1;", pm.signal);
	send(reply);
}

/* Whether the hypervisor's tables map the page of `va` as RAM. */
static bool readable(uint64_t va)
{
	uint64_t leaf = paging_lookup(pm.regs.cr3 & PTE_ADDR_MASK, va);

	return (leaf & PTE_PRESENT) && !(leaf & PTE_PCD);
}

/* `m ADDR,LEN`: all of it, or E14 if any page of it is not readable(). */
static void read_memory(const char *p)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	uint64_t addr, len, n;

	if (!gdb_parse_range(&p, &addr, &len) || *p || len > sizeof(buf)) {
		send("E01");
		return;
	}
	for (uint64_t done = 0, va = addr; done < len; done += n, va += n) {
		n = MIN(len - done, PT_PAGE_SIZE - va % PT_PAGE_SIZE);
		if (va < addr || !readable(va)) {	/* wrapped past the top, or not RAM */
			send("E14");
			return;
		}
		memcpy(buf + done, (const void *)(uintptr_t)va, n);
	}
	gdb_to_hex(pm.reply, buf, len);
	send(pm.reply);
}

/* `p N`. */
static void reg_packet(const char *p)
{
	uint64_t n;

	if (!gdb_parse_hex(&p, &n) || *p || n >= GDB_NR_REGS) {
		send("E01");
		return;
	}
	gdb_reg_read(&pm.regs, (unsigned)n, pm.reply);
	send(pm.reply);
}

/* `H{g,c}TID` (`alive` clear) and `TTID`: thread 1 is the only one; 0
 * (any) and -1 (all) name it too, except to `T`. */
static void thread_packet(const char *p, bool alive)
{
	int64_t tid;

	send(gdb_parse_thread(p, &tid) && (tid == 1 || (!alive && tid <= 0)) ? "OK" : "E01");
}

/* `qNAME`: what the stub is and its one thread; nothing else is known. */
static void query(const char *p)
{
	if (!strncmp(p, "Supported", 9)) {
		send("PacketSize=1000;qXfer:features:read+");
	} else if (!strncmp(p, "Xfer:features:read:", 19)) {
		gdb_target_read(p + 19, pm.reply);
		send(pm.reply);
	} else if (!strcmp(p, "fThreadInfo")) {
		send("m1");
	} else if (!strcmp(p, "sThreadInfo")) {
		send("l");
	} else if (!strcmp(p, "C")) {
		send("QC1");
	} else if (!strcmp(p, "Attached")) {
		send("1");
	} else {
		send("");
	}
}

/* Answer one packet; true for `k`, which wants no answer. */
static bool handle_packet(const char *p)
{
	switch (p[0]) {
	case '?':
	case 'c':
	case 'C':
	case 's':
	case 'S':
		send_stop_reply();
		break;
	case 'g':
		gdb_regs_read_all(&pm.regs, pm.reply);
		send(pm.reply);
		break;
	case 'p':
		reg_packet(p + 1);
		break;
	case 'm':
		read_memory(p + 1);
		break;
	case 'H':
		thread_packet(p[1] ? p + 2 : p + 1, false);
		break;
	case 'T':
		thread_packet(p + 1, true);
		break;
	case 'q':
		query(p + 1);
		break;
	case 'D':
		send("OK");
		break;
	case 'k':
		return true;
	default:
		send("");	/* vCont? among them: gdb then uses c and s */
	}
	return false;
}

void gdb_postmortem_serve(void)
{
	cli();	/* no timer may run a console poll that reads this UART */
	for (;;) {
		enum gdb_rx_event event = gdb_link_poll(&pm.link);

		if (event == GDB_RX_PACKET && handle_packet(pm.link.rx.buf)) {
			uart_drain(pm.link.port);	/* the ack of the `k` */
			return;
		}
		if (event == GDB_RX_NONE)
			cpu_relax();
	}
}
