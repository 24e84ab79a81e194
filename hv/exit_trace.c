/* The per-CPU exit trace (hv/exit_trace.h). Each entry is a small seqlock
 * of its own: the writer makes its sequence odd, fills it, then makes it
 * the even value that names the exit; a reader that sees another value
 * before or after its copy knows the copy is torn or newer, and skips it. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "drivers/tsc.h"
#include "hv/exit_trace.h"
#include "hv/vm.h"
#include "lib/cpu.h"

#define LINE_MAX_CHARS	160

/* `detail` bits for an I/O exit (the low byte is its size). */
#define IO_IN		(1u << 8)
#define IO_STRING	(1u << 9)
/* `detail` bits for a TDP fault. */
#define FAULT_WRITE	(1u << 0)
#define FAULT_FETCH	(1u << 1)
/* `info` bit of an exception exit that has an error code (in `detail`). */
#define EXC_HAS_ERROR	(1u << 8)

static struct exit_trace_ring *rings;	/* one per CPU, contiguous */
static unsigned nr_rings;

int exit_trace_init(unsigned ncpus)
{
	struct exit_trace_ring *r = memalign(_Alignof(struct exit_trace_ring), ncpus * sizeof(*r));

	if (!r)
		return -ENOMEM;
	memset(r, 0, ncpus * sizeof(*r));
	rings = r;
	__atomic_store_n(&nr_rings, ncpus, __ATOMIC_RELEASE);
	return 0;
}

struct exit_trace_ring *exit_trace_ring(unsigned cpu)
{
	return cpu < __atomic_load_n(&nr_rings, __ATOMIC_ACQUIRE) ? &rings[cpu] : NULL;
}

size_t exit_trace_bytes_per_cpu(void)
{
	return sizeof(struct exit_trace_ring);
}

/* What the exit's reason has to say, in the entry's info and detail. */
static void record_info(struct exit_trace_entry *t, const struct vcpu *v,
			const struct vm_exit *e)
{
	t->info = 0;
	t->detail = 0;
	switch (e->reason) {
	case EXIT_IO:
		t->info = e->io.port;
		t->detail = e->io.size | (e->io.in ? IO_IN : 0) | (e->io.string ? IO_STRING : 0);
		break;
	case EXIT_TDP_FAULT:
		t->info = e->fault.gpa;
		t->detail = (e->fault.write ? FAULT_WRITE : 0) | (e->fault.fetch ? FAULT_FETCH : 0);
		break;
	case EXIT_MSR_READ:
	case EXIT_MSR_WRITE:
	case EXIT_XSETBV:
		t->info = (uint32_t)v->gprs.rcx;	/* the MSR or XCR */
		break;
	case EXIT_CPUID:
		t->info = (uint32_t)v->gprs.rax;
		t->detail = v->gprs.rcx;
		break;
	case EXIT_HYPERCALL:
		t->info = v->gprs.rax;
		break;
	case EXIT_EXCEPTION:
		t->info = e->exception.vector | (e->exception.has_error ? EXC_HAS_ERROR : 0);
		t->detail = e->exception.error;
		break;
	case EXIT_CR_ACCESS:
		t->info = (uint64_t)(int64_t)e->cr.gpr;
		t->detail = (uint32_t)e->cr.cr << 1 | e->cr.write;
		break;
	default:
		break;
	}
}

void exit_trace_record(const struct vcpu *v, const struct vm_exit *e)
{
	struct exit_trace_ring *ring = exit_trace_ring(cpu_id());
	struct exit_trace_entry *t;
	uint64_t k;

	if (!ring)
		return;
	k = ring->written;
	t = &ring->entries[k % EXIT_TRACE_LEN];
	__atomic_store_n(&t->seq, 2 * k + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t->tsc = tsc_now();
	t->rip = v->rip;
	t->vendor_code = e->vendor_code;
	t->vcpu = v->id;
	t->reason = e->reason;
	strncpy(t->vm, v->vm->name, VM_NAME_MAX);
	record_info(t, v, e);
	__atomic_store_n(&t->seq, 2 * k + 2, __ATOMIC_RELEASE);
	__atomic_store_n(&ring->written, k + 1, __ATOMIC_RELEASE);
}

/* Copy exit `k` of `ring` into `out`; false if that entry is being
 * written or already holds a later exit. */
static bool entry_read(const struct exit_trace_ring *ring, uint64_t k,
		       struct exit_trace_entry *out)
{
	const struct exit_trace_entry *t = &ring->entries[k % EXIT_TRACE_LEN];
	uint64_t seq = __atomic_load_n(&t->seq, __ATOMIC_ACQUIRE);

	if (seq != 2 * k + 2)
		return false;
	memcpy(out, t, sizeof(*out));
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&t->seq, __ATOMIC_RELAXED) == seq;
}

/* The entry's info and detail as " key=value ..." ("" if its reason
 * has none). */
static void format_info(const struct exit_trace_entry *t, char *buf, size_t len)
{
	unsigned long long info = t->info;

	buf[0] = '\0';
	switch (t->reason) {
	case EXIT_IO:
		snprintf(buf, len, " port=%#llx %s size=%u%s", info,
			 t->detail & IO_IN ? "in" : "out", t->detail & 0xff,
			 t->detail & IO_STRING ? " string" : "");
		break;
	case EXIT_TDP_FAULT:
		snprintf(buf, len, " gpa=%#llx %s", info,
			 t->detail & FAULT_WRITE ? "write" : t->detail & FAULT_FETCH ? "fetch" : "read");
		break;
	case EXIT_MSR_READ:
	case EXIT_MSR_WRITE:
		snprintf(buf, len, " msr=%#llx", info);
		break;
	case EXIT_XSETBV:
		snprintf(buf, len, " xcr=%#llx", info);
		break;
	case EXIT_CPUID:
		snprintf(buf, len, " leaf=%#llx subleaf=%#x", info, t->detail);
		break;
	case EXIT_HYPERCALL:
		snprintf(buf, len, " nr=%#llx", info);
		break;
	case EXIT_EXCEPTION:
		if (info & EXC_HAS_ERROR)
			snprintf(buf, len, " vector=%llu error=%#x", info & 0xff, t->detail);
		else
			snprintf(buf, len, " vector=%llu", info & 0xff);
		break;
	case EXIT_CR_ACCESS:
		if ((int64_t)info < 0)
			snprintf(buf, len, " cr%u %s", t->detail >> 1, t->detail & 1 ? "write" : "read");
		else
			snprintf(buf, len, " cr%u %s gpr=%llu", t->detail >> 1,
				 t->detail & 1 ? "write" : "read", info);
		break;
	default:
		break;
	}
}

void exit_trace_print(unsigned cpu, unsigned n, void (*print)(void *ctx, const char *line),
		      void *ctx)
{
	const struct exit_trace_ring *ring = exit_trace_ring(cpu);
	char line[LINE_MAX_CHARS], info[64];
	struct exit_trace_entry t;
	uint64_t written, first_tsc = 0;
	bool have_first = false;

	if (!ring) {
		snprintf(line, sizeof(line), "exit trace cpu%u: no such CPU, or no trace yet", cpu);
		print(ctx, line);
		return;
	}
	written = __atomic_load_n(&ring->written, __ATOMIC_ACQUIRE);
	n = MIN(n, EXIT_TRACE_LEN);
	n = MIN((uint64_t)n, written);
	snprintf(line, sizeof(line), "exit trace cpu%u: the last %u of %llu exits, oldest first",
		 cpu, n, (unsigned long long)written);
	print(ctx, line);
	for (uint64_t k = written - n; k < written; k++) {
		if (!entry_read(ring, k, &t)) {
			print(ctx, "  (skipped: written while it was read)");
			continue;
		}
		if (!have_first) {
			first_tsc = t.tsc;
			have_first = true;
		}
		t.vm[VM_NAME_MAX] = '\0';
		format_info(&t, info, sizeof(info));
		snprintf(line, sizeof(line), "  tsc+%llu vm %s vcpu%u %s%s rip=%#llx code=%#llx",
			 (unsigned long long)(t.tsc - first_tsc), t.vm, t.vcpu,
			 vm_exit_reason_name(t.reason), info, (unsigned long long)t.rip,
			 (unsigned long long)t.vendor_code);
		print(ctx, line);
	}
}
