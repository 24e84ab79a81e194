/*
 * Ordinary MSRs: the TSC, APIC base, EFER.NXE, a PAT round trip, and an MSR
 * that does not exist. QEMU's TCG (the bare environment) neither keeps
 * IA32_TSC in step with RDTSC nor raises #GP for unknown MSRs (it reads 0 and
 * drops writes), so those two checks are strict only with expect=hv.
 */
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/report.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "msr";

#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_ENABLE	(1ull << 11)
#define APIC_BASE_ADDR_MASK	0xfffff000ull
#define APIC_DEFAULT_BASE	0xfee00000ull
#define BOGUS_MSR		0xdeadbeefu
#define TSC_READS		1000
/* Power-on PAT (WB WT UC- UC, twice) and a variant with entry 1 = WC, 6 = WP. */
#define PAT_DEFAULT		0x0007040600070406ull
#define PAT_VARIANT		0x0007050600070106ull

/* RDTSC never goes backwards and does advance. */
static void check_rdtsc(void)
{
	uint64_t first = rdtsc(), prev = first, now = first;
	unsigned backwards = 0;

	for (unsigned i = 0; i < TSC_READS; i++) {
		now = rdtsc();
		if (now < prev)
			backwards++;
		prev = now;
	}
	check(!backwards && now > first, "rdtsc: %u reads, %u backwards, advanced 0x%llx",
	      TSC_READS, backwards, now - first);
}

static void read_tsc_msr(void *value)
{
	*(uint64_t *)value = rdmsr(MSR_TSC);
}

/* Under the hypervisor IA32_TSC must read what RDTSC counts; bare, just read it. */
static void check_tsc_msr(bool hv)
{
	uint64_t before = rdtsc(), msr = 0, after;
	int vector = trap_run(read_tsc_msr, &msr);

	after = rdtsc();
	if (hv)
		check(vector == TRAP_NONE && before <= msr && msr <= after,
		      "IA32_TSC 0x%llx between rdtsc 0x%llx and 0x%llx (vector %d)",
		      msr, before, after, vector);
	else
		check(vector == TRAP_NONE,
		      "IA32_TSC reads 0x%llx (vector %d; QEMU TCG keeps it apart from RDTSC)",
		      msr, vector);
}

static void check_apic_base(void)
{
	uint64_t v = rdmsr(MSR_APIC_BASE);

	check((v & APIC_BASE_ADDR_MASK) == APIC_DEFAULT_BASE &&
	      (v & APIC_BASE_ENABLE) && (v & APIC_BASE_BSP),
	      "IA32_APIC_BASE 0x%llx: 0xfee00000, enabled, BSP", v);
}

static void check_efer(void)
{
	uint64_t efer = rdmsr(MSR_EFER), set, cleared;

	if (efer & (EFER_LME | EFER_LMA)) {
		fail("EFER 0x%llx claims long mode in a 32-bit guest", efer);
		return;
	}
	if (!(cpuid(0x80000001u, 0).edx & CPUID80000001_EDX_NX)) {
		pass("EFER 0x%llx, no NX to toggle", efer);
		return;
	}
	wrmsr(MSR_EFER, efer | EFER_NXE);
	set = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, efer & ~EFER_NXE);
	cleared = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, efer);
	check(set == (efer | EFER_NXE) && cleared == (efer & ~EFER_NXE),
	      "EFER.NXE round trip: 0x%llx -> set 0x%llx, clear 0x%llx", efer, set, cleared);
}

static void check_pat(void)
{
	uint64_t old = rdmsr(MSR_PAT), got;

	wrmsr(MSR_PAT, PAT_VARIANT);
	got = rdmsr(MSR_PAT);
	wrmsr(MSR_PAT, old);
	check(old == PAT_DEFAULT && got == PAT_VARIANT && rdmsr(MSR_PAT) == old,
	      "IA32_PAT 0x%llx, wrote 0x%llx, read 0x%llx", old, PAT_VARIANT, got);
}

static void read_bogus(void *value)
{
	*(uint64_t *)value = rdmsr(BOGUS_MSR);
}

static void write_bogus(void *unused)
{
	wrmsr(BOGUS_MSR, 0);
}

/*
 * Under the hypervisor fn must raise #GP(0); bare, QEMU TCG runs it without a
 * fault (reads give 0).
 */
static void check_bogus_msr(bool hv, const char *what, void (*fn)(void *))
{
	uint64_t value = 0;
	int vector = trap_run(fn, &value);

	if (hv)
		check(vector == VEC_GP && trap_last.error_code == 0,
		      "%s 0x%x raises #GP(0) (vector %d, error 0x%x)", what, BOGUS_MSR,
		      vector, vector == TRAP_NONE ? 0 : trap_last.error_code);
	else
		check(vector == TRAP_NONE && value == 0,
		      "%s 0x%x ignored as QEMU TCG does (vector %d, value 0x%llx)",
		      what, BOGUS_MSR, vector, value);
}

void guest_main(const struct boot_info *bi)
{
	bool hv = cmdline_expect_hv(bi->cmdline);

	if (!(cpuid(1, 0).edx & CPUID1_EDX_MSR)) {
		fail("CPUID says no RDMSR/WRMSR");
		return;
	}
	check_rdtsc();
	check_tsc_msr(hv);
	check_apic_base();
	check_efer();
	check_pat();
	check_bogus_msr(hv, "rdmsr", read_bogus);
	check_bogus_msr(hv, "wrmsr", write_bogus);
}
