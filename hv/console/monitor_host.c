/* Monitor commands about the host and the platforms: exit counters and
 * the exit trace, a VM's interrupt controllers, the log level, memory,
 * what each CPU runs, and powering the machine off or resetting it. */
#include <string.h>

#include "drivers/power.h"
#include "drivers/reset.h"
#include "hv/console/monitor_cmd.h"
#include "hv/console/mux.h"
#include "hv/dev/vdev.h"
#include "hv/dev/vioapic.h"
#include "hv/dev/vlapic.h"
#include "hv/dev/vlapic_regs.h"
#include "hv/exit_trace.h"
#include "hv/vm.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "mm/heap.h"
#include "mm/pmm.h"

#define TRACE_DEFAULT 20

/* One VM's exits by reason, over its vCPUs: counts and handling cycles. */
static void vm_exit_stats(struct vm *vm)
{
	mon_printf("vm %s:\n  %-14s %12s %14s %10s\n", vm->name, "reason", "exits", "cycles",
		   "per exit");
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++) {
		uint64_t cycles, n = vm_exits_by_reason(vm, r, &cycles);

		if (n)
			mon_printf("  %-14s %12llu %14llu %10llu\n", vm_exit_reason_name(r),
				   (unsigned long long)n, (unsigned long long)cycles,
				   (unsigned long long)(cycles / n));
	}
}

static enum mon_result stats(int argc, char **argv)
{
	struct vm *only = argc > 1 ? mon_vm(argv[1]) : NULL;

	if (argc > 1 && !only)
		return MON_USAGE;
	for (size_t i = 1; i <= mux_vm_count(); i++) {
		struct vm *vm = mux_vm(i);

		if (only && vm != only)
			continue;
		spin_lock(&vm->input_lock);
		if (vm->nr_vcpus)
			vm_exit_stats(vm);
		else if (only)
			mon_printf("vm %s is not running\n", vm->name);
		spin_unlock(&vm->input_lock);
	}
	return MON_DONE;
}

static void print_line(void *ctx, const char *line)
{
	mon_printf("%s\n", line);
}

static enum mon_result trace(int argc, char **argv)
{
	uint64_t cpu = cpu_id(), n = TRACE_DEFAULT;

	if (argc > 1 && !mon_number(argv[1], "CPU", cpu_count() - 1, &cpu))
		return MON_USAGE;
	if (argc > 2 && !mon_number(argv[2], "N", EXIT_TRACE_LEN, &n))
		return MON_USAGE;
	exit_trace_print(cpu, n, print_line, NULL);
	return MON_DONE;
}

static void print_lapic(const struct vcpu *v)
{
	const uint32_t *r = vlapic_regs(v->lapic);

	mon_printf("  vcpu%u lapic: base=%#llx id=%u tpr=%#x svr=%#x lvt-timer=%#x "
		   "lint0=%#x lint1=%#x pending=%d\n", v->id,
		   (unsigned long long)vlapic_base(v->lapic), r[APIC_ID / 4] >> 24,
		   vlapic_tpr(v->lapic), r[APIC_SVR / 4], r[APIC_LVT_TIMER / 4],
		   r[APIC_LVT_LINT0 / 4], r[APIC_LVT_LINT1 / 4], vlapic_pending_vector(v->lapic));
}

/* "apicv: active" or "apicv: inhibited (REASON ...)", and the transitions. */
static void print_apicv(struct vm *vm)
{
	uint32_t set = __atomic_load_n(&vm->apicv.inhibits, __ATOMIC_ACQUIRE);

	mon_printf("  apicv: %s", set ? "inhibited (" : "active");
	for (unsigned r = 0, first = 1; r < APICV_INHIBIT_COUNT; r++) {
		if (set & (1u << r)) {
			mon_printf("%s%s", first ? "" : " ", apicv_inhibit_name(r));
			first = 0;
		}
	}
	mon_printf("%s, %llu transitions\n", set ? ")" : "",
		   (unsigned long long)__atomic_load_n(&vm->apicv.transitions, __ATOMIC_RELAXED));
}

static enum mon_result irq(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);
	struct vdev_pic_view pic;

	if (!vm)
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	mon_printf("vm %s:\n", vm->name);
	print_apicv(vm);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		print_lapic(&vm->vcpus[i]);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t e = vioapic_entry(vm->ioapic, pin);

		if (!(e & RTE_MASK))
			mon_printf("  ioapic pin %2u: vector 0x%02x dest %u %s %s\n", pin,
				   (unsigned)(e & RTE_VECTOR), (unsigned)(e >> RTE_DEST_SHIFT),
				   e & RTE_LEVEL ? "level" : "edge",
				   e & RTE_REMOTE_IRR ? "remote-irr" : "");
	}
	vdev_pic_view(vm->devices, &pic);
	for (unsigned i = 0; i < 2; i++)
		mon_printf("  pic %s: base 0x%02x irr 0x%02x isr 0x%02x imr 0x%02x\n",
			   i ? "slave " : "master", pic.vector_base[i], pic.irr[i], pic.isr[i],
			   pic.imr[i]);
	mon_vm_unlock(vm);
	return MON_DONE;
}

static enum mon_result loglevel(int argc, char **argv)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(argv[1], names[i])) {
			log_level = (enum log_level)i;
			mon_printf("log level: %s\n", names[i]);
			return MON_DONE;
		}
	}
	mon_printf("loglevel: '%s' is not error, warn, info or debug\n", argv[1]);
	return MON_USAGE;
}

static enum mon_result free_cmd(int argc, char **argv)
{
	mon_printf("host pages: %llu KiB free of %llu KiB\n",
		   (unsigned long long)(pmm_free_bytes() >> 10),
		   (unsigned long long)(pmm_total_bytes() >> 10));
	mon_printf("heap: %llu bytes used of %llu\n", (unsigned long long)heap_used_bytes(),
		   (unsigned long long)heap_size_bytes());
	mon_printf("console history: %zu KiB per console; exit trace: %zu KiB per CPU\n",
		   mux_history_bytes() >> 10, exit_trace_bytes_per_cpu() >> 10);
	for (size_t i = 1; i <= mux_vm_count(); i++) {
		struct vm *vm = mux_vm(i);

		spin_lock(&vm->input_lock);
		if (vm->nr_vcpus)
			mon_printf("  vm %-16s %6llu MiB of RAM, %llu KiB of memory-core metadata\n",
				   vm->name, (unsigned long long)(vm->ram_bytes >> 20),
				   (unsigned long long)(mm_stats_metadata_bytes(&vm->mmu.stats) >> 10));
		spin_unlock(&vm->input_lock);
	}
	return MON_DONE;
}

static enum mon_result cpus(int argc, char **argv)
{
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++) {
		unsigned found = 0;

		mon_printf("cpu%-3u", cpu);
		for (size_t i = 1; i <= mux_vm_count(); i++) {
			struct vm *vm = mux_vm(i);

			spin_lock(&vm->input_lock);
			for (unsigned j = 0; j < vm->nr_vcpus; j++) {
				const struct vcpu *v = &vm->vcpus[j];

				if (v->cpu != cpu)
					continue;
				found++;
				mon_printf(" %s/vcpu%u%s", vm->name, j,
					   __atomic_load_n(&v->in_guest, __ATOMIC_SEQ_CST) ? "*" : "");
			}
			spin_unlock(&vm->input_lock);
		}
		mon_printf("%s\n", found ? "" : " idle");
	}
	mon_printf("(* in the guest now)\n");
	return MON_DONE;
}

static enum mon_result poweroff(int argc, char **argv)
{
	mon_printf("powering the machine off\n");
	power_off();
}

static enum mon_result reboot(int argc, char **argv)
{
	mon_printf("resetting the machine\n");
	machine_reset();
}

const struct mon_cmd mon_host_cmds[] = {
	{ "stats", "[VM]", "exits by reason: counts, cycles handling them", 0, 1, stats },
	{ "trace", "[CPU] [N]", "a CPU's last N exits (default: this CPU, 20)", 0, 2, trace },
	{ "irq", "VM", "its local APICs, IOAPIC routes and 8259s", 1, 1, irq },
	{ "loglevel", "LEVEL", "print log lines up to error|warn|info|debug", 1, 1, loglevel },
	{ "free", "", "host pages, heap, console and trace memory, per-VM memory", 0, 0,
	  free_cmd },
	{ "cpus", "", "the vCPUs each CPU runs", 0, 0, cpus },
	{ "poweroff", "", "turn the machine off", 0, 0, poweroff },
	{ "reboot", "", "reset the machine", 0, 0, reboot },
	{ 0 },
};
