/*
 * Triple-faults on purpose: int3 with an empty IDT cannot be delivered, nor
 * can the #GP or the #DF that follow. Bare QEMU (-no-reboot) then exits with
 * status 0; the hypervisor must stop the VM and report the triple fault.
 */
#include "guests/lib/boot.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/x86.h"

const char guest_name[] = "triplefault";

void guest_main(const struct boot_info *bi)
{
	const struct table_reg empty_idt = { 0, 0 };

	kprintf("triplefault: raising int3 with an empty IDT\n");
	lidt(&empty_idt);
	__asm__ volatile("int3");
	fail("still running after the triple fault");
}
