/*
 * Exits in a loop, for the VM-exit round-trip figure: iters (default 10000,
 * cmdline iters=N) CPUIDs, OUTs to port 0x80 and, under the hypervisor,
 * ping hypercalls. Prints the TSC cycles per iteration of each as
 *   bench: cpuid_cycles=N io_cycles=N vmcall_cycles=N
 * (vmcall_cycles only with expect=hv: bare, the instruction raises #UD).
 */
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/div64.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/x86.h"

const char guest_name[] = "exitloop";

#define DEFAULT_ITERS	10000
#define POST_PORT	0x80

/* Returns cycles per CPUID; counts results differing from the first. */
static uint64_t time_cpuid(uint32_t iters, uint32_t *unstable)
{
	uint32_t first = cpuid(0, 0).ebx;
	uint64_t t0 = rdtsc();

	for (uint32_t i = 0; i < iters; i++)
		if (cpuid(0, 0).ebx != first)
			(*unstable)++;
	return div_u64(rdtsc() - t0, iters);
}

static uint64_t time_io(uint32_t iters)
{
	uint64_t t0 = rdtsc();

	for (uint32_t i = 0; i < iters; i++)
		outb(POST_PORT, (uint8_t)i);
	return div_u64(rdtsc() - t0, iters);
}

/* Returns cycles per ping; counts wrong answers. */
static uint64_t time_ping(uint32_t iters, uint32_t *wrong)
{
	struct hypercall_insn hc = hypercall_for_cpu();
	uint64_t t0 = rdtsc();

	for (uint32_t i = 0; i < iters; i++) {
		struct hc_regs r = { .eax = HC_PING };

		hc.call(&r);
		if (r.eax != HC_PING_MAGIC)
			(*wrong)++;
	}
	return div_u64(rdtsc() - t0, iters);
}

void guest_main(const struct boot_info *bi)
{
	bool hv = cmdline_expect_hv(bi->cmdline);
	uint32_t iters = cmdline_number(bi->cmdline, "iters", DEFAULT_ITERS);
	uint32_t unstable = 0, wrong = 0;
	uint64_t cpuid_cycles, io_cycles, ping_cycles = 0;

	if (!iters) {
		fail("iters=0");
		return;
	}
	cpuid_cycles = time_cpuid(iters, &unstable);
	check(!unstable, "%u CPUIDs, %u with a different vendor", iters, unstable);
	io_cycles = time_io(iters);
	pass("%u writes to port 0x%x", iters, POST_PORT);
	if (hv) {
		ping_cycles = time_ping(iters, &wrong);
		check(!wrong, "%u ping hypercalls, %u wrong answers", iters, wrong);
		kprintf("bench: cpuid_cycles=%llu io_cycles=%llu vmcall_cycles=%llu\n",
			cpuid_cycles, io_cycles, ping_cycles);
	} else {
		pass("hypercall loop not run bare (it would raise #UD)");
		kprintf("bench: cpuid_cycles=%llu io_cycles=%llu\n", cpuid_cycles, io_cycles);
	}
}
