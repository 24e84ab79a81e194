/* boot_main: the BSP's path from the 64-bit entry to a running system. */
#include "hv/console.h"
#include "hv/log.h"
#include "hv/percpu.h"
#include "drivers/tsc.h"
#include "drivers/uart16550.h"

__noreturn void boot_main(uint32_t boot_info_pa);

__noreturn void boot_main(uint32_t boot_info_pa)
{
	percpu_init_bsp();
	console_init(COM1_PORT, 115200);
	tsc_calibrate();
	log_info("hv: x86-64 micro-hypervisor, boot info at %#x", boot_info_pa);
	cpu_halt_forever();
}
