/* Starting the APs (guests/lib/smp.h). */
#include "guests/lib/apic.h"
#include "guests/lib/smp.h"
#include "guests/lib/string.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

extern const char smp_trampoline_start[], smp_trampoline_end[];

static smp_ap_fn ap_fn;
static volatile unsigned aps_up;

/* Called by the trampoline on the AP's own stack. */
__noreturn void smp_ap_main(void);

__noreturn void smp_ap_main(void)
{
	trap_load();
	apic_enable(apic_x2);
	atomic_inc(&aps_up);
	ap_fn(apic_id());
	for (;;)
		__asm__ volatile("cli; hlt");
}

unsigned smp_start(unsigned n, smp_ap_fn fn)
{
	uint64_t deadline;

	ap_fn = fn;
	memcpy((void *)SMP_TRAMPOLINE, smp_trampoline_start,
	       smp_trampoline_end - smp_trampoline_start);
	for (unsigned id = 1; id < n && id < SMP_MAX_CPUS; id++) {
		apic_send_ipi(id, ICR_INIT | ICR_ASSERT);
		udelay(10000);
		apic_send_ipi(id, ICR_STARTUP | (SMP_TRAMPOLINE >> 12));
		udelay(200);
		apic_send_ipi(id, ICR_STARTUP | (SMP_TRAMPOLINE >> 12));
	}
	deadline = rdtsc() + tsc_khz() * 1000;
	while (aps_up < n - 1 && rdtsc() < deadline)
		cpu_relax();
	return aps_up;
}
