/* boot_main: the boot CPU's path from the 64-bit entry to a running system. */
#include <stdlib.h>

#include "boot/boot_memory.h"
#include "boot/mb2_info.h"
#include "boot/options.h"
#include "boot/panic.h"
#include "boot/smp.h"
#include "boot/vendor.h"
#include "cpu/fpu.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "cpu/percpu.h"
#include "cpu/timer.h"
#include "cpu/traps.h"
#include "cpu/tsc_sync.h"
#include "drivers/acpi.h"
#include "drivers/pic8259.h"
#include "drivers/power.h"
#include "drivers/reset.h"
#include "drivers/rtc.h"
#include "drivers/tsc.h"
#include "drivers/uart16550.h"
#include "hv/console/console.h"
#include "hv/console/console_input.h"
#include "hv/console/gdb_stub.h"
#include "hv/console/mux.h"
#include "hv/exit_trace.h"
#include "hv/sched.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "lib/log.h"
#include "lib/multiboot2.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#define MB2_INFO_MAX MiB(1)

static struct boot_info boot_info;
static struct acpi_info acpi;
static uint64_t ap_start_page;	/* where the APs' start-up code goes; 0: none free */

/* Validate and parse the loader's info block, or stop with the reason. */
static void boot_info_load(uint32_t boot_info_pa)
{
	const void *block = (const void *)(uintptr_t)boot_info_pa;
	char err[128];

	if (!boot_info_pa || boot_info_pa & 7)
		panic("multiboot2: info block at %#x is not 8-byte aligned", boot_info_pa);
	if (mb2_info_size(block) > MB2_INFO_MAX)
		panic("multiboot2: info block claims %zu bytes (limit %llu)",
		      mb2_info_size(block), (unsigned long long)MB2_INFO_MAX);
	if (mb2_parse(block, &boot_info, err, sizeof(err)))
		panic("%s", err);
}

/* Say what the loader's block told about the firmware, for the record. */
static void boot_info_report(void)
{
	log_debug("boot: memory map from the %s tag: %zu entries, %zu ranges",
		  boot_info.mem_tag == MB2_TAG_EFI_MMAP ? "EFI memory map" : "basic memory map",
		  boot_info.mem_tag_entries, boot_info.mem_count);
	for (size_t i = 0; i < boot_info.mem_count; i++)
		log_debug("boot: mem %#llx-%#llx type %u",
			  (unsigned long long)boot_info.mem[i].base,
			  (unsigned long long)(boot_info.mem[i].base + boot_info.mem[i].length),
			  boot_info.mem[i].type);
	if (boot_info.efi_system_table)
		log_debug("boot: EFI system table at %#llx",
			  (unsigned long long)boot_info.efi_system_table);
}

/* Build the final page tables, the page allocator and the heap, and pick
 * the APs' start-up page from the same map. */
static void memory_init(void)
{
	struct pmm_boot_map map;
	uint64_t root;

	if (boot_memory_map(&boot_info, &map))
		panic("mm: the memory map's reserved ranges and the %zu boot modules lie in more than %d separate ranges",
		      boot_info.module_count, PMM_MAX_RANGES);
	ap_start_page = boot_memory_low_page(&map);
	root = pmm_early_init(&map);
	if (!root)
		panic("mm: cannot build the hypervisor's page tables");
	paging_load(root);
	if (pmm_init())
		panic("mm: no usable memory for the page allocator");
	if (heap_init(heap_default_bytes(pmm_total_bytes())))
		panic("mm: no memory for the heap");
	log_info("mem: usable=%llu MiB free=%llu MiB heap=%llu KiB",
		 (unsigned long long)(pmm_total_bytes() >> 20),
		 (unsigned long long)(pmm_free_bytes() >> 20),
		 (unsigned long long)(heap_size_bytes() >> 10));
	log_debug("smp: the APs' start-up page is %#llx", (unsigned long long)ap_start_page);
}

/* Read the MADT and FADT from the first RSDP tag that checks out (ACPI 2.0+
 * before 1.0); without them the machine runs on one CPU and cannot power
 * itself off, which is reported, not fatal. No RSDP is searched for in
 * BIOS memory: GRUB passes the one it found, from EFI or BIOS alike. */
static void acpi_init(void)
{
	static const char *const tag_names[BOOT_RSDP_TAGS] = {
		[BOOT_RSDP_NEW] = "ACPI 2.0", [BOOT_RSDP_OLD] = "ACPI 1.0",
	};
	size_t tag = 0;
	char err[128];

	for (; tag < BOOT_RSDP_TAGS; tag++) {
		const struct boot_rsdp *r = &boot_info.rsdp[tag];

		if (!r->len)
			continue;
		if (!acpi_parse(r->bytes, r->len, boot_memory_access, &boot_info,
				&acpi, err, sizeof(err)))
			break;
		log_warn("%s (the loader's %s RSDP tag)", err, tag_names[tag]);
	}
	if (tag == BOOT_RSDP_TAGS) {
		log_warn("acpi: no usable RSDP from the loader: one CPU, no power-off");
		return;
	}
	log_debug("acpi: RSDP from the loader's %s tag", tag_names[tag]);
	tsc_calibrate_pm_timer(acpi.fadt.pm_timer_port, acpi.fadt.pm_timer_32bit);
	if (acpi.fadt.s5_present)
		power_init(acpi.fadt.pm1a_cnt_port, acpi.fadt.s5_slp_typa);
	if (acpi.fadt.reset_port)
		reset_init(acpi.fadt.reset_port, acpi.fadt.reset_value);
	log_info("acpi: revision %u, %zu CPUs, %zu IOAPICs, PM1a control port %#x",
		 acpi.revision, acpi.madt.cpu_count, acpi.madt.ioapic_count,
		 acpi.fadt.pm1a_cnt_port);
}

/* The table of boot modules, sized to the modules present. */
static void boot_modules_load(void)
{
	size_t n = boot_info.module_count, cursor = 0;

	boot_info.modules = calloc(MAX(n, 1), sizeof(*boot_info.modules));
	if (!boot_info.modules)
		panic("boot: no memory for the table of %zu modules", n);
	for (size_t i = 0; i < n; i++)
		mb2_next_module(&boot_info, &cursor, &boot_info.modules[i]);
}

/* Build a VM for every configuration on the module lines; a VM that
 * cannot be built is kept so that its error is reported when it "runs".
 * Each module line makes at most one VM, so that many slots suffice. */
static size_t vms_create(struct vm **vms)
{
	size_t slots = MAX(boot_info.module_count, 1), n;
	struct vm_config *configs = calloc(slots, sizeof(*configs));

	*vms = calloc(slots, sizeof(**vms));
	if (!configs || !*vms)
		panic("vm: no memory for %zu VM configurations", slots);
	if (vm_configs_parse(boot_info.modules, boot_info.module_count, configs, slots, &n))
		panic("vm: more module lines than VM slots");
	for (size_t i = 0; i < n; i++)
		vm_create(&(*vms)[i], &configs[i], boot_info.modules);
	return n;
}

/* Log lines go to the serial console, stamped by the TSC. */
static const struct log_backend console_log = {
	.write = mux_log_write,
	.drain = console_drain,
	.now_us = tsc_us_since_boot,
	.backtrace = backtrace_here,
	.after_panic = panic_finish,
};

__noreturn void boot_main(uint32_t boot_info_pa);

__noreturn void boot_main(uint32_t boot_info_pa)
{
	uint64_t tsc_entry = rdtsc();	/* for the time to `hv: ready` */
	struct percpu *bsp = percpu_init_bsp();

	console_init(COM1_PORT, 115200);
	log_set_backend(&console_log);
	boot_info_load(boot_info_pa);
	options_parse(boot_info.cmdline);
	if (!console_init(hv_options.console_port, hv_options.console_baud))
		log_warn("console: no UART at %#x, staying on COM1", hv_options.console_port);
	log_info("hv: x86-64 micro-hypervisor, cmdline \"%s\"", boot_info.cmdline);
	boot_info_report();
	tsc_calibrate();
	rtc_init();

	pic8259_mask_all();
	idt_init();
	panic_init();
	cpu_tables_load(bsp);
	percpu_activate(bsp);
	memory_init();
	boot_modules_load();
	acpi_init();
	smp_init_bsp();
	fpu_init_cpu();
	timers_init_cpu();
	if (hv_options.selftest != SELFTEST_NONE && hv_options.selftest != SELFTEST_PANIC)
		traps_selftest(selftest_name(hv_options.selftest));
	smp_boot(acpi.madt.apic_ids, acpi.madt.cpu_count, hv_options.smp_max, ap_start_page);
	tsc_sync_report();
	if (exit_trace_init(cpu_count()))
		log_warn("trace: no memory for the exit traces of %u CPUs", cpu_count());
	vendor_probe();
	struct vm *vms;
	size_t nr_vms = vms_create(&vms);

	log_debug("hv: ready %llu us after boot_main's first instruction",
		  (unsigned long long)((rdtsc() - tsc_entry) * 1000 / READ_ONCE(tsc_khz)));
	log_info("hv: ready cpus=%u free=%llu MiB", cpu_count(),
		 (unsigned long long)(pmm_free_bytes() >> 20));
	gdb_boot(hv_options.gdb_port, vms, nr_vms);
	console_input_start(vms, nr_vms, hv_options.focus, hv_options.history_kib << 10);
	if (hv_options.selftest == SELFTEST_PANIC)
		panic_selftest_arm();
	sched_start(vms, nr_vms, hv_options.idle == IDLE_POWEROFF);
	sched_loop();
}
