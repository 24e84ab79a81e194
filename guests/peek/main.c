/*
 * A guest for the monitor's tests: it turns paging on (the library's
 * identity map), writes a known marker at MARK_ADDR and then spins on one
 * instruction whose address it prints, or with count=1 counts in the word
 * at COUNT_ADDR forever. With print=K it prints K KiB of text instead and
 * ends, reporting the TSC cycles each byte took (`make bench`: console
 * throughput). The test reads
 * them back through the monitor (`xp`, `x`, `walk`, `regs`) and watches
 * the count stop under `pause` and go on after `resume`. Otherwise it
 * never ends by itself.
 */
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/div64.h"
#include "guests/lib/paging.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"
#include "guests/lib/x86.h"

#define MARK_ADDR	0x380000u	/* in the 4 KiB-mapped first 4 MiB */
#define MARK		"peek: the monitor reads this"
#define COUNT_ADDR	(MARK_ADDR + 0x40)

const char guest_name[] = "peek";

/* One instruction at a known address, so a paused vCPU's rip is exact. */
void spin_here(void);
__asm__(".globl spin_here\nspin_here: jmp spin_here");

/* Print `kib` KiB in 64-byte lines; report the cycles per byte. */
static void print_kib(uint32_t kib)
{
	uint64_t t0 = rdtsc();

	for (uint32_t line = 0; line < kib * 16; line++)
		kprintf("peek: line %08u of the console throughput run .............\n", line);
	kprintf("bench: console_cycles_per_byte=%llu\n",
		(unsigned long long)div_u64(rdtsc() - t0, (uint64_t)kib * 1024));
	guest_exit(0);
}

void guest_main(const struct boot_info *bi)
{
	uint32_t kib = cmdline_number(bi->cmdline, "print", 0);

	volatile uint32_t *count = (volatile uint32_t *)COUNT_ADDR;

	if (!paging_enable()) {
		fail("no PSE: cannot turn paging on");
		return;
	}
	if (kib)
		print_kib(kib);
	memcpy((void *)MARK_ADDR, MARK, sizeof(MARK));
	/* Interrupts on, as an OS runs: Bochs 2.7 lets no host interrupt
	 * end a guest that spins with IF=0 (docs/console.md). None comes:
	 * nothing is routed to this guest. */
	__asm__ volatile("sti");
	if (cmdline_number(bi->cmdline, "count", 0)) {
		kprintf("peek: counting at 0x%x\n", (unsigned)(uintptr_t)count);
		for (;;)
			(*count)++;
	}
	kprintf("peek: marker at 0x%x, spinning at 0x%x\n", MARK_ADDR, (unsigned)(uintptr_t)spin_here);
	spin_here();
}
