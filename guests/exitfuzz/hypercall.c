/* Hypercalls (docs/hypercalls.md) with random numbers and arguments:
 * ping, add, counter and unmap with their results checked (HC_EINVAL for
 * a counter that does not exist and for every unmap whose range is not
 * page-aligned guest RAM), HC_ENOSYS for unknown numbers; the registers
 * that carry no result come back unchanged. The other vendor's hypercall
 * instruction is #UD, as on a CPU of this one. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define NR_COUNTERS	6	/* enum hc_counter */
#define PAGE_MASK	0xfffu

struct hc_try {
	struct hc_regs r;
	void (*call)(struct hc_regs *r);
};

/* The hypercall of a struct hc_try, for fuzz_try. */
static void call(void *arg)
{
	struct hc_try *t = arg;

	t->call(&t->r);
}

/* Arguments for `nr`: mostly plausible, sometimes anything. */
static struct hc_regs random_args(uint32_t nr)
{
	struct hc_regs r = { nr, rng32(), rng32(), rng32(), rng32(), rng32() };

	if (nr == HC_COUNTER && !rng_one_in(4))
		r.ebx = rng_below(NR_COUNTERS);
	if (nr == HC_UNMAP && !rng_one_in(4)) {
		r.ebx = rng_below(fuzz_cpu.ram_bytes) & ~PAGE_MASK;
		r.ecx = (1 + rng_below(64)) << 12;
	}
	return r;
}

/* Whether HC_UNMAP of [gpa, gpa + bytes) is a valid request. */
static bool unmap_valid(uint32_t gpa, uint32_t bytes)
{
	return !((gpa | bytes) & PAGE_MASK) && bytes && gpa < fuzz_cpu.ram_bytes &&
	       bytes <= fuzz_cpu.ram_bytes - gpa;
}

/* What the call must leave in the registers, given what went in. */
static void check_result(const struct hc_regs *in, const struct hc_regs *out)
{
	bool kept = out->ecx == in->ecx && out->edx == in->edx && out->esi == in->esi &&
		    out->edi == in->edi;

	switch (in->eax) {
	case HC_PING:
		fuzz_expect(out->eax == HC_PING_MAGIC && out->ebx == HC_ABI_VERSION && kept,
			    "ping: eax 0x%x ebx 0x%x", out->eax, out->ebx);
		break;
	case HC_ADD:
		fuzz_expect(out->eax == in->ebx + in->ecx && out->ebx == in->ebx && kept,
			    "add 0x%x + 0x%x gave 0x%x", in->ebx, in->ecx, out->eax);
		break;
	case HC_COUNTER:
		fuzz_expect(kept && (in->ebx < NR_COUNTERS || out->eax == HC_EINVAL),
			    "counter 0x%x gave 0x%x", in->ebx, out->eax);
		break;
	case HC_UNMAP:
		fuzz_expect(out->eax == (unmap_valid(in->ebx, in->ecx) ? 0 : HC_EINVAL) &&
			    out->ebx == in->ebx && kept,
			    "unmap 0x%x + 0x%x gave 0x%x", in->ebx, in->ecx, out->eax);
		break;
	default:
		fuzz_expect(out->eax == HC_ENOSYS && out->ebx == in->ebx && kept,
			    "hypercall 0x%x gave 0x%x", in->eax, out->eax);
		break;
	}
}

/* A random hypercall, or (once in 16) the other vendor's instruction. */
static void step(void)
{
	uint32_t nr = rng_one_in(8) ? rng32() : rng_below(6);
	struct hc_try t = { random_args(nr), fuzz_cpu.amd ? hypercall_vmmcall : hypercall_vmcall };
	struct hc_regs in = t.r;
	int v;

	if (rng_one_in(16)) {
		t.call = fuzz_cpu.amd ? hypercall_vmcall : hypercall_vmmcall;
		fuzz_expect_vector(fuzz_try(call, &t), VEC_UD, "the other vendor's hypercall");
		return;
	}
	v = fuzz_try(call, &t);
	fuzz_expect_vector(v, TRAP_NONE, "hypercall 0x%x", nr);
	if (v == TRAP_NONE)
		check_result(&in, &t.r);
}

const struct fuzz_class fuzz_hypercall = { "hypercall", 8, step, NULL };
