/*
 * A guest that never exits for a long while: spin=S million iterations of
 * a loop with no exiting instruction, then one PASS line with the TSC ticks
 * it took. Other VMs sharing its CPU must still run and finish meanwhile:
 * the hypervisor preempts it at the end of each time slice.
 */
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/report.h"
#include "guests/lib/x86.h"

const char guest_name[] = "spinner";

void guest_main(const struct boot_info *bi)
{
	uint32_t millions = cmdline_number(bi->cmdline, "spin", 1000);
	uint64_t t0 = rdtsc();

	for (uint32_t i = 0; i < millions; i++)
		for (volatile uint32_t j = 0; j < 1000000; j++)
			;
	pass("spun %u million iterations without an exit in %llu TSC ticks", millions,
	     (unsigned long long)(rdtsc() - t0));
}
