/* The modes guest's 64-bit part: check long mode is really on, then exit. */
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/x86.h"

const char guest_name[] = "modes";

#define SEL_CODE64	0x18	/* boot.S */

__noreturn void long_main(unsigned passed, unsigned failed);

void long_main(unsigned passed, unsigned failed)
{
	uint64_t efer = rdmsr(MSR_EFER);
	unsigned long cr0 = read_cr0(), cr4 = read_cr4();
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	report_add(passed, failed);
	check((efer & EFER_LMA) && (cr0 & CR0_PG) && (cr4 & CR4_PAE) && cs == SEL_CODE64,
	      "long mode, EFER 0x%llx, CR0 0x%lx, CR4 0x%lx, CS 0x%x", (unsigned long long)efer, cr0, cr4, cs);
	report_exit();
}
