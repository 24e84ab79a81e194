/*
 * The Hyper-V SynIC and synthetic timers from inside (hyperv=on), in the
 * manner of kvm-unit-tests' hyperv_synic and hyperv_stimer: SynIC MSRs and
 * their #GP rules, SINTs raised through QEMU's hyperv-testdev arriving on
 * the right vCPU with the right vector, AutoEOI (no ISR bit, no EOI),
 * stimer expirations in message mode (one-shot, periodic, a busy slot and
 * EOM, lazy against non-lazy) and in direct mode. The AutoEOI part prints
 * phase markers the autoeoi system case matches against the hypervisor's
 * APICv log lines.
 */
#include "guests/lib/apic.h"
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/div64.h"
#include "guests/lib/fw_cfg.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/smp.h"
#include "guests/lib/string.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "synic";

#define MSR_SCONTROL		0x40000080
#define MSR_SVERSION		0x40000081
#define MSR_SIEFP		0x40000082
#define MSR_SIMP		0x40000083
#define MSR_EOM			0x40000084
#define MSR_SINT(n)		(0x40000090 + (n))
#define MSR_STIMER_CONFIG(n)	(0x400000b0 + 2 * (n))
#define MSR_STIMER_COUNT(n)	(0x400000b1 + 2 * (n))
#define SINT_MASKED		(1ull << 16)
#define SINT_AUTO_EOI		(1ull << 17)
#define ST_ENABLE		(1ull << 0)
#define ST_PERIODIC		(1ull << 1)
#define ST_LAZY			(1ull << 2)
#define ST_AUTO_ENABLE		(1ull << 3)
#define ST_DIRECT		(1ull << 12)
#define ST_VECTOR(v)		((uint64_t)(v) << 4)
#define ST_SINT(s)		((uint64_t)(s) << 16)
#define HVMSG_TIMER_EXPIRED	0x80000010u
#define MSG_PENDING		1u

#define TESTDEV_PORT		0x3000
#define ROUTE_CREATE		1
#define ROUTE_DESTROY		2
#define ROUTE_SET		3

/* SINTs and vectors the checks use. */
#define SINT_PLAIN	2	/* 0x50 on vCPU 0, 0x52 on vCPU 1 */
#define SINT_AUTO	3	/* AutoEOI, 0x51 */
#define SINT_TIMER	4	/* stimer messages, interrupt 0x60 */
#define SINT_POLL	5	/* stimer messages, masked: polled */
#define SINT_OFF	6	/* masked, 0x53 */
#define VEC_PLAIN	0x50
#define VEC_AUTO	0x51
#define VEC_AP		0x52
#define VEC_OFF		0x53
#define VEC_TIMER	0x60
#define VEC_DIRECT	0x61

#define REF_PER_MS	10000ull	/* reference time: 100 ns units */

struct hv_message {
	uint32_t type;
	uint8_t size;
	uint8_t flags;
	uint8_t reserved[2];
	uint64_t origin;
	uint32_t timer_index;
	uint32_t reserved2;
	uint64_t expiration;
	uint64_t delivery;
	uint8_t rest[240 - 24];
};

struct synic_pages {
	volatile struct hv_message sim[16];
	uint8_t sief[4096];
};

static struct synic_pages pages[2] __aligned(4096);
static volatile unsigned hits[2][256];
static volatile bool in_service[256];
static volatile uint32_t timer_seen;	/* timer index of the last VEC_TIMER message */
static volatile uint64_t timer_delivered, timer_guest_ref;	/* its delivery, and our clock then */
static volatile unsigned ap_ready;

static void synic_ctl(unsigned ctl, unsigned vp, unsigned sint)
{
	outl(TESTDEV_PORT, (ctl << 16) | (vp << 8) | sint);
}

/* Reference time as the guest reckons it: its TSC starts at 0 with the VM. */
static uint64_t ref_now(void)
{
	return div_u64(rdtsc() * REF_PER_MS, (uint32_t)tsc_khz());
}

static void wait_ms(unsigned ms)
{
	udelay(ms * 1000);
}

/* Wait up to `ms` for *counter to reach `want`, interrupts on. */
static bool wait_count(volatile unsigned *counter, unsigned want, unsigned ms)
{
	uint64_t deadline = rdtsc() + tsc_khz() * ms;

	while (*counter < want && rdtsc() < deadline)
		__asm__ volatile("sti; nop; cli");
	return *counter >= want;
}

/* Empty a message slot; a pending flag asks for EOM. */
static void slot_consume(unsigned cpu, unsigned sint)
{
	volatile struct hv_message *m = &pages[cpu].sim[sint];
	bool pending = m->flags & MSG_PENDING;

	m->type = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (pending)
		wrmsr(MSR_EOM, 0);
}

static void on_plain(struct trap_frame *f)
{
	unsigned cpu = apic_id() ? 1 : 0;

	hits[cpu][f->vector]++;
	in_service[f->vector] = apic_isr((uint8_t)f->vector);
	apic_eoi();
}

/* AutoEOI: no EOI here, on purpose. */
static void on_auto(struct trap_frame *f)
{
	hits[0][f->vector]++;
	in_service[f->vector] = apic_isr((uint8_t)f->vector);
}

static void on_timer(struct trap_frame *f)
{
	timer_seen = pages[0].sim[SINT_TIMER].timer_index;
	timer_delivered = pages[0].sim[SINT_TIMER].delivery;
	timer_guest_ref = ref_now();
	hits[0][f->vector]++;
	slot_consume(0, SINT_TIMER);
	apic_eoi();
}

static void synic_enable(unsigned cpu)
{
	wrmsr(MSR_SIMP, (uint32_t)(uintptr_t)pages[cpu].sim | 1);
	wrmsr(MSR_SIEFP, (uint32_t)(uintptr_t)pages[cpu].sief | 1);
	wrmsr(MSR_SCONTROL, 1);
}

static void ap_main(unsigned id)
{
	synic_enable(1);
	wrmsr(MSR_SINT(SINT_PLAIN), VEC_AP);
	ap_ready = 1;
	for (;;)
		__asm__ volatile("sti; hlt; cli");
}

struct msr_op {
	uint32_t msr;
	uint64_t value;
	bool write;
};

static void do_msr(void *arg)
{
	struct msr_op *op = arg;

	if (op->write)
		wrmsr(op->msr, op->value);
	else
		op->value = rdmsr(op->msr);
}

static int try_msr(uint32_t msr, uint64_t value, bool write)
{
	struct msr_op op = { msr, value, write };

	return trap_run(do_msr, &op);
}

static void check_registers(void)
{
	uint64_t simp = (uint32_t)(uintptr_t)pages[0].sim | 1;

	check(rdmsr(MSR_SVERSION) == 1 && rdmsr(MSR_SCONTROL) == 0 &&
	      rdmsr(MSR_SINT(0)) == SINT_MASKED && rdmsr(MSR_SINT(15)) == SINT_MASKED,
	      "reset: SVERSION %llu, SCONTROL %llu, SINT0 0x%llx, SINT15 0x%llx",
	      rdmsr(MSR_SVERSION), rdmsr(MSR_SCONTROL), rdmsr(MSR_SINT(0)), rdmsr(MSR_SINT(15)));
	pages[0].sim[1].type = 0x1234;		/* enabling a page clears it */
	synic_enable(0);
	check(rdmsr(MSR_SCONTROL) == 1 && rdmsr(MSR_SIMP) == simp && pages[0].sim[1].type == 0,
	      "SynIC enabled: SCONTROL %llu, SIMP 0x%llx, the page cleared",
	      rdmsr(MSR_SCONTROL), rdmsr(MSR_SIMP));
}

static void check_bad_input(void)
{
	static const struct msr_op bad[] = {
		{ MSR_SCONTROL, 3, true },
		{ MSR_SVERSION, 1, true },
		{ MSR_SIEFP, 0x20, true },
		{ MSR_SIMP, 0x2, true },
		{ MSR_SIMP, 0xf0000001ull, true },	/* not guest RAM */
		{ MSR_SIEFP, 0x100000000001ull, true },	/* not guest RAM */
		{ MSR_EOM, 0, false },			/* write-only */
		{ MSR_SINT(0), 15, true },		/* unmasked below 16 */
		{ MSR_SINT(1), SINT_MASKED | (1ull << 19), true },
		{ MSR_SINT(1), 1ull << 40, true },
		{ MSR_STIMER_CONFIG(0), 1ull << 13, true },
		{ MSR_STIMER_CONFIG(1), 1ull << 20, true },
		{ MSR_STIMER_CONFIG(2), ST_ENABLE | ST_DIRECT | ST_VECTOR(8), true },
		{ 0x40000085, 0, false },		/* a hole in the range */
	};
	unsigned gp = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		int vector = try_msr(bad[i].msr, bad[i].value, bad[i].write);

		if (vector == VEC_GP)
			gp++;
		else
			kprintf("msr 0x%x value 0x%llx %s: vector %d\n", bad[i].msr, bad[i].value,
			      bad[i].write ? "write" : "read", vector);
	}
	check(gp == ARRAY_SIZE(bad) && rdmsr(MSR_SINT(0)) == SINT_MASKED &&
	      rdmsr(MSR_SINT(1)) == SINT_MASKED && rdmsr(MSR_STIMER_CONFIG(0)) == 0,
	      "%u of %zu bad SynIC/stimer accesses raised #GP and changed nothing", gp,
	      ARRAY_SIZE(bad));
	/* A SINT masked may hold any vector; 0xff is what Linux leaves. */
	check(try_msr(MSR_SINT(7), SINT_MASKED | 0x05, true) == TRAP_NONE,
	      "a masked SINT takes vector 5");
}

/* Raise a SINT through the testdev, interrupts off, then let it in. */
static void signal_sint(unsigned vp, unsigned sint)
{
	synic_ctl(ROUTE_SET, vp, sint);
	__asm__ volatile("sti; nop; cli");
}

static void check_sints(unsigned ncpus)
{
	wrmsr(MSR_SINT(SINT_PLAIN), VEC_PLAIN);
	wrmsr(MSR_SINT(SINT_OFF), SINT_MASKED | VEC_OFF);
	synic_ctl(ROUTE_CREATE, 0, SINT_PLAIN);
	synic_ctl(ROUTE_CREATE, 0, SINT_OFF);
	signal_sint(0, SINT_PLAIN);
	check(hits[0][VEC_PLAIN] == 1 && in_service[VEC_PLAIN] && !apic_isr(VEC_PLAIN),
	      "SINT%u: vector 0x%x %u time(s), in service until EOI", SINT_PLAIN, VEC_PLAIN,
	      hits[0][VEC_PLAIN]);
	signal_sint(0, SINT_OFF);
	check(hits[0][VEC_OFF] == 0 && !apic_irr(VEC_OFF), "masked SINT%u raises nothing",
	      SINT_OFF);
	synic_ctl(ROUTE_DESTROY, 0, SINT_OFF);
	synic_ctl(ROUTE_DESTROY, 0, SINT_OFF);	/* no such route: refused */
	synic_ctl(9, 0, 0);			/* unknown ctl: refused */
	if (ncpus < 2)
		return;
	synic_ctl(ROUTE_CREATE, 1, SINT_PLAIN);
	signal_sint(1, SINT_PLAIN);
	wait_count(&hits[1][VEC_AP], 1, 1000);
	check(hits[1][VEC_AP] == 1 && hits[0][VEC_AP] == 0 && hits[0][VEC_PLAIN] == 1,
	      "SINT%u of VP 1: vector 0x%x on vCPU 1 only", SINT_PLAIN, VEC_AP);
}

/* The phases the autoeoi case matches with the hypervisor's APICv log,
 * each marker printed before what the phase does: only unmasking the
 * AutoEOI SINT inhibits APICv, and clearing its AutoEOI bit ends that. */
static void check_auto_eoi(void)
{
	kprintf("phase: synic-enabled\n");
	signal_sint(0, SINT_PLAIN);
	kprintf("phase: mask-autoeoi\n");
	wrmsr(MSR_SINT(SINT_AUTO), SINT_MASKED | SINT_AUTO_EOI | VEC_AUTO);
	synic_ctl(ROUTE_CREATE, 0, SINT_AUTO);
	signal_sint(0, SINT_PLAIN);
	check(hits[0][VEC_PLAIN] == 3 && hits[0][VEC_AUTO] == 0,
	      "SynIC on, AutoEOI SINT masked: plain SINT %u times, masked one none",
	      hits[0][VEC_PLAIN]);
	kprintf("phase: unmask-autoeoi\n");
	wrmsr(MSR_SINT(SINT_AUTO), SINT_AUTO_EOI | VEC_AUTO);
	signal_sint(0, SINT_AUTO);
	signal_sint(0, SINT_AUTO);	/* an ISR bit left set would hold this one */
	signal_sint(0, SINT_PLAIN);	/* ... and this lower class */
	check(hits[0][VEC_AUTO] == 2 && !in_service[VEC_AUTO] && !apic_isr(VEC_AUTO) &&
	      hits[0][VEC_PLAIN] == 4,
	      "AutoEOI SINT%u: vector 0x%x twice without EOI, never in service; plain after it",
	      SINT_AUTO, VEC_AUTO);
	kprintf("phase: clear-autoeoi\n");
	wrmsr(MSR_SINT(SINT_AUTO), VEC_AUTO);
	trap_set_handler(VEC_AUTO, on_plain);
	signal_sint(0, SINT_AUTO);
	signal_sint(0, SINT_PLAIN);
	check(hits[0][VEC_AUTO] == 3 && in_service[VEC_AUTO] && hits[0][VEC_PLAIN] == 5,
	      "AutoEOI cleared: vector 0x%x in service again until EOI", VEC_AUTO);
	kprintf("phase: done\n");
}

static void check_oneshot(void)
{
	uint64_t due = ref_now() + 20 * REF_PER_MS, t0 = rdtsc();
	volatile struct hv_message *m = &pages[0].sim[SINT_POLL];

	wrmsr(MSR_SINT(SINT_TIMER), VEC_TIMER);
	wrmsr(MSR_SINT(SINT_POLL), SINT_MASKED | 0xff);
	wrmsr(MSR_STIMER_CONFIG(0), ST_ENABLE | ST_SINT(SINT_POLL));	/* waits for COUNT */
	wait_ms(2);
	check(!m->type, "stimer 0 enabled with COUNT 0 does not fire");
	wrmsr(MSR_STIMER_COUNT(0), due);
	while (!m->type && rdtsc() - t0 < tsc_khz() * 1000)
		;
	check(m->type == HVMSG_TIMER_EXPIRED && m->size == 24 && m->timer_index == 0 &&
	      m->expiration == due && m->delivery >= due &&
	      m->delivery - due < 5 * REF_PER_MS && ref_now() + 2 * REF_PER_MS >= due &&
	      !(rdmsr(MSR_STIMER_CONFIG(0)) & ST_ENABLE),
	      "one-shot stimer 0: message 0x%x size %u timer %u, due %llu, delivered %llu, "
	      "then disabled", m->type, m->size, m->timer_index, due, m->delivery);
	slot_consume(0, SINT_POLL);
}

static void check_periodic(void)
{
	unsigned want = hits[0][VEC_TIMER] + 5;

	wrmsr(MSR_STIMER_CONFIG(1), ST_PERIODIC | ST_AUTO_ENABLE | ST_SINT(SINT_TIMER));
	wrmsr(MSR_STIMER_COUNT(1), 2 * REF_PER_MS);	/* AutoEnable starts it */
	wait_count(&hits[0][VEC_TIMER], want, 2000);
	wrmsr(MSR_STIMER_CONFIG(1), 0);
	check(hits[0][VEC_TIMER] >= want && timer_seen == 1,
	      "periodic stimer 1 (auto-enabled by COUNT): %u messages, timer index %u "
	      "(last delivered at %llu, guest clock %llu)", hits[0][VEC_TIMER] - want + 5,
	      timer_seen, timer_delivered, timer_guest_ref);
}

/* A message waits while its slot is busy; EOM posts it. */
static void check_busy_slot(void)
{
	volatile struct hv_message *m = &pages[0].sim[SINT_POLL];
	uint64_t now = ref_now();
	bool busy_flag;

	wrmsr(MSR_STIMER_CONFIG(2), ST_ENABLE | ST_SINT(SINT_POLL));
	wrmsr(MSR_STIMER_COUNT(2), now + 2 * REF_PER_MS);
	wrmsr(MSR_STIMER_CONFIG(3), ST_ENABLE | ST_SINT(SINT_POLL));
	wrmsr(MSR_STIMER_COUNT(3), now + 4 * REF_PER_MS);
	wait_ms(10);
	busy_flag = m->type == HVMSG_TIMER_EXPIRED && m->timer_index == 2 &&
		    (m->flags & MSG_PENDING);
	slot_consume(0, SINT_POLL);	/* EOM */
	wait_ms(2);
	check(busy_flag && m->type == HVMSG_TIMER_EXPIRED && m->timer_index == 3,
	      "busy slot: timer 2's message flagged pending, timer 3's posted after EOM (%u)",
	      m->timer_index);
	slot_consume(0, SINT_POLL);
}

/* Hold the slot for ten periods: a non-lazy timer then delivers each
 * missed expiry in turn, a lazy one skips to the next period ahead. */
static void check_lazy(bool lazy)
{
	volatile struct hv_message *m = &pages[0].sim[SINT_POLL];
	uint64_t period = 2 * REF_PER_MS, e[3];
	uint64_t t0 = rdtsc();

	wrmsr(MSR_STIMER_CONFIG(0), ST_ENABLE | ST_PERIODIC | (lazy ? ST_LAZY : 0) |
				    ST_SINT(SINT_POLL));
	wrmsr(MSR_STIMER_COUNT(0), period);
	while (!m->type && rdtsc() - t0 < tsc_khz() * 1000)
		;
	wait_ms(20);
	for (unsigned i = 0; i < 3; i++) {
		slot_consume(0, SINT_POLL);
		t0 = rdtsc();
		while (!m->type && rdtsc() - t0 < tsc_khz() * 1000)
			;
		e[i] = m->expiration;
	}
	wrmsr(MSR_STIMER_CONFIG(0), 0);
	slot_consume(0, SINT_POLL);
	if (lazy)
		check(e[1] - e[0] > 4 * period && e[2] - e[1] == period,
		      "lazy periodic: after a held slot, missed periods skipped (+%llu, +%llu)",
		      e[1] - e[0], e[2] - e[1]);
	else
		check(e[1] - e[0] == period && e[2] - e[1] == period,
		      "non-lazy periodic: after a held slot, each missed period delivered (+%llu, +%llu)",
		      e[1] - e[0], e[2] - e[1]);
}

static void check_direct(void)
{
	uint64_t due = ref_now() + 3 * REF_PER_MS;

	pages[0].sim[0].type = 0;
	wrmsr(MSR_STIMER_COUNT(2), due);	/* not enabled: no AutoEnable */
	wrmsr(MSR_STIMER_CONFIG(2), ST_ENABLE | ST_DIRECT | ST_VECTOR(VEC_DIRECT));
	wait_count(&hits[0][VEC_DIRECT], 1, 1000);
	wait_ms(5);
	check(hits[0][VEC_DIRECT] == 1 && !pages[0].sim[0].type && ref_now() + REF_PER_MS >= due,
	      "direct-mode stimer 2: vector 0x%x %u time(s), no message", VEC_DIRECT,
	      hits[0][VEC_DIRECT]);
}

/* hyperv=off: every MSR of the range raises #GP, and the testdev is absent. */
static void check_off(void)
{
	unsigned gp = 0, n = 0;

	for (uint32_t msr = MSR_SCONTROL; msr <= MSR_STIMER_COUNT(3); msr++, n++)
		gp += try_msr(msr, 0, false) == VEC_GP && try_msr(msr, 0, true) == VEC_GP;
	check(gp == n, "hyperv=off: %u of %u SynIC/stimer MSRs raise #GP on read and write", gp, n);
	check(inl(TESTDEV_PORT) == 0xffffffffu, "hyperv=off: no hyperv-testdev at port 0x%x",
	      TESTDEV_PORT);
}

void guest_main(const struct boot_info *bi)
{
	unsigned ncpus = (unsigned)fw_cfg_read(FW_CFG_NB_CPUS, 2);

	if (cmdline_number(bi->cmdline, "off", 0)) {
		check_off();
		return;
	}

	trap_set_handler(VEC_PLAIN, on_plain);
	trap_set_handler(VEC_AP, on_plain);
	trap_set_handler(VEC_OFF, on_plain);
	trap_set_handler(VEC_AUTO, on_auto);
	trap_set_handler(VEC_TIMER, on_timer);
	trap_set_handler(VEC_DIRECT, on_plain);
	apic_enable(false);
	check_registers();
	check_bad_input();
	if (ncpus >= 2) {
		smp_start(2, ap_main);
		wait_count(&ap_ready, 1, 1000);
	}
	check_sints(ncpus);
	check_auto_eoi();
	if (cmdline_number(bi->cmdline, "autoeoi-only", 0))
		return;
	check_oneshot();
	check_periodic();
	check_busy_slot();
	check_lazy(false);
	check_lazy(true);
	check_direct();
}
