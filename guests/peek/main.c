/*
 * A guest for the monitor's tests: it turns paging on (the library's
 * identity map), writes a known marker at MARK_ADDR and then spins on one
 * instruction whose address it prints, or with count=1 counts in the word
 * at COUNT_ADDR forever. The test reads
 * them back through the monitor (`xp`, `x`, `walk`, `regs`) and watches
 * the count stop under `pause` and go on after `resume`. It never ends by
 * itself.
 */
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/paging.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"

#define MARK_ADDR	0x380000u	/* in the 4 KiB-mapped first 4 MiB */
#define MARK		"peek: the monitor reads this"
#define COUNT_ADDR	(MARK_ADDR + 0x40)

const char guest_name[] = "peek";

/* One instruction at a known address, so a paused vCPU's rip is exact. */
void spin_here(void);
__asm__(".globl spin_here\nspin_here: jmp spin_here");

void guest_main(const struct boot_info *bi)
{
	volatile uint32_t *count = (volatile uint32_t *)COUNT_ADDR;

	if (!paging_enable()) {
		fail("no PSE: cannot turn paging on");
		return;
	}
	memcpy((void *)MARK_ADDR, MARK, sizeof(MARK));
	if (cmdline_number(bi->cmdline, "count", 0)) {
		kprintf("peek: counting at 0x%x\n", (unsigned)(uintptr_t)count);
		for (;;)
			(*count)++;
	}
	kprintf("peek: marker at 0x%x, spinning at 0x%x\n", MARK_ADDR, (unsigned)(uintptr_t)spin_here);
	spin_here();
}
