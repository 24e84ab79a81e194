/* Monitor commands about VMs and their vCPUs: the list, vCPU states and
 * registers, pause/resume/kill/restart, and focusing a VM's console. */
#include "drivers/tsc.h"
#include "hv/console/gdb_stub.h"
#include "hv/console/monitor_cmd.h"
#include "hv/console/mux.h"
#include "hv/dev/vlapic.h"
#include "hv/dev/vlapic_regs.h"
#include "hv/guest_mem.h"
#include "hv/sched.h"
#include "hv/vm.h"
#include "x86/regs.h"

/* A locked VM's state, as `vms` shows it. */
static const char *vm_state(const struct vm *vm)
{
	if (!vm->nr_vcpus)
		return vm->created_tsc || vm->killed || vm->exited ? "ended" : "not built";
	if (__atomic_load_n(&vm->ending, __ATOMIC_ACQUIRE))
		return "ending";
	return __atomic_load_n(&vm->paused, __ATOMIC_ACQUIRE) ? "paused" : "running";
}

static enum mon_result vms_list(int argc, char **argv)
{
	mon_printf("  #  %-16s %-9s %5s %9s %12s %10s %8s\n", "name", "state", "vcpus", "memory",
		   "exits", "uptime", "restarts");
	for (size_t i = 1; i <= mux_vm_count(); i++) {
		struct vm *vm = mux_vm(i);
		uint64_t exits, up_ms = 0;

		spin_lock(&vm->input_lock);
		exits = vm_counter_read(vm, VM_COUNTER_EXITS);
		if (vm->nr_vcpus)
			up_ms = (tsc_now() - vm->created_tsc) / READ_ONCE(tsc_khz);
		mon_printf("%3zu  %-16s %-9s %5u %5llu MiB %12llu %8llu.%01llu s %8u\n", i, vm->name,
			   vm_state(vm), vm->nr_vcpus, (unsigned long long)(vm->ram_bytes >> 20),
			   (unsigned long long)exits, (unsigned long long)(up_ms / 1000),
			   (unsigned long long)(up_ms % 1000 / 100), vm->restarts);
		spin_unlock(&vm->input_lock);
	}
	return MON_DONE;
}

/* The paging mode a paused vCPU's registers say it is in. */
static const char *vcpu_mode(const struct vcpu *v)
{
	const struct vcpu_sregs *s = &v->paused_sregs;

	if (!(s->cr0 & CR0_PE))
		return "real";
	if (v->efer & EFER_LMA)
		return s->seg[SEG_CS].attrib & SEG_ATTR_L ? "long" : "compat";
	return s->cr0 & CR0_PG ? (s->cr4 & CR4_PAE ? "prot-pae" : "prot-paged") : "protected";
}

static enum mon_result vcpus_list(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);

	if (!vm)
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	mon_printf("vcpu  cpu  %-10s %-18s %-10s %s\n", "state", "rip (last exit)", "mode",
		   "pending");
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		bool paused = __atomic_load_n(&v->state, __ATOMIC_SEQ_CST) == VCPU_PAUSED;
		int vector = vlapic_pending_vector(v->lapic);

		mon_printf("%4u %4u  %-10s %#-18llx %-10s", i, v->cpu, vcpu_state_name(v),
			   (unsigned long long)READ_ONCE(v->rip), paused ? vcpu_mode(v) : "-");
		if (vector >= 0)
			mon_printf(" irq %#x", vector);
		if (__atomic_load_n(&v->nmi_pending, __ATOMIC_ACQUIRE))
			mon_printf(" nmi");
		mon_printf("%s\n", vector < 0 && !v->nmi_pending ? " none" : "");
	}
	mon_vm_unlock(vm);
	return MON_DONE;
}

static void print_segment(const char *name, const struct vcpu_segment *s)
{
	mon_printf("  %-4s sel=%04x base=%016llx limit=%08x attr=%03x\n", name, s->selector,
		   (unsigned long long)s->base, s->limit, s->attrib);
}

/* The highest vector set in one of the APIC's 256-bit registers, or -1. */
static int apic_highest(const uint32_t *regs, unsigned offset)
{
	for (int i = 7; i >= 0; i--) {
		uint32_t word = regs[(offset + i * 0x10) / 4];

		if (word)
			return i * 32 + 31 - __builtin_clz(word);
	}
	return -1;
}

static void print_regs(struct vcpu *v)
{
	static const char *const seg_names[SEG_COUNT] = { "es", "cs", "ss", "ds", "fs", "gs",
							  "ldtr", "tr" };
	/* In the encoding's order, which vcpu_gpr() numbers. */
	static const char *const gpr_names[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp",
						   "rsi", "rdi", "r8", "r9", "r10", "r11",
						   "r12", "r13", "r14", "r15" };
	const struct vcpu_sregs *s = &v->paused_sregs;
	const uint32_t *apic = vlapic_regs(v->lapic);

	mon_printf("vm %s vcpu%u, %s mode, cpl %u\n", v->vm->name, v->id, vcpu_mode(v), s->cpl);
	for (unsigned i = 0; i < 16; i++)
		mon_printf("%s%-3s=%016llx%s", i % 4 ? " " : "  ", gpr_names[i],
			   (unsigned long long)*vcpu_gpr(v, i), i % 4 == 3 ? "\n" : "");
	mon_printf("  rip=%016llx rflags=%016llx efer=%016llx\n", (unsigned long long)v->rip,
		   (unsigned long long)v->rflags, (unsigned long long)v->efer);
	mon_printf("  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx\n",
		   (unsigned long long)s->cr0, (unsigned long long)s->cr2,
		   (unsigned long long)s->cr3, (unsigned long long)s->cr4);
	for (unsigned i = 0; i < SEG_COUNT; i++)
		print_segment(seg_names[i], &s->seg[i]);
	mon_printf("  gdt  base=%016llx limit=%04x\n  idt  base=%016llx limit=%04x\n",
		   (unsigned long long)s->gdt_base, s->gdt_limit,
		   (unsigned long long)s->idt_base, s->idt_limit);
	mon_printf("  apic base=%#llx id=%u tpr=%#x highest isr=%d irr=%d\n",
		   (unsigned long long)vlapic_base(v->lapic), apic[APIC_ID / 4] >> 24,
		   vlapic_tpr(v->lapic), apic_highest(apic, APIC_ISR), apic_highest(apic, APIC_IRR));
}

static enum mon_result regs(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);
	struct vcpu *v;

	if (!vm)
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	v = mon_paused_vcpu(vm, argc > 2 ? argv[2] : NULL);
	if (v)
		print_regs(v);
	mon_vm_unlock(vm);
	return MON_DONE;
}

/* The VM a waiting lifecycle command watches, and what it saw before. */
static struct {
	struct vm *vm;
	unsigned restarts;
} watched;

static bool pause_done(void *ctx)
{
	return vm_pause_done(watched.vm);
}

static void pause_finish(void *ctx, bool ok)
{
	mon_printf(ok ? "vm %s: paused\n" : "vm %s: not all vCPUs have paused yet\n",
		   watched.vm->name);
}

static enum mon_result pause(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);

	if (!vm)
		return MON_USAGE;
	if (!vm_pause(vm)) {
		mon_printf("vm %s is %s\n", vm->name, vm->paused ? "paused already" : "not running");
		return MON_DONE;
	}
	watched.vm = vm;
	mon_wait(pause_done, pause_finish, NULL);
	return MON_WAIT;
}

static enum mon_result resume(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);

	if (!vm)
		return MON_USAGE;
	if (vm_resume(vm))
		mon_printf("vm %s: running\n", vm->name);
	else
		mon_printf("vm %s is not paused\n", vm->name);
	return MON_DONE;
}

/* The watched VM's vCPUs are gone (a kill is through), or for a restart
 * its build is through (vm_restart() counts it after vm_create()). */
static bool kill_done(void *ctx)
{
	struct vm *vm = watched.vm;
	bool restart = ctx != NULL;
	bool done;

	spin_lock(&vm->input_lock);
	done = restart ? vm->restarts != watched.restarts : !vm->nr_vcpus;
	spin_unlock(&vm->input_lock);
	return done;
}

static void kill_finish(void *ctx, bool ok)
{
	struct vm *vm = watched.vm;

	if (!ok)
		mon_printf("vm %s: still ending\n", vm->name);
	else if (!ctx)
		mon_printf("vm %s: killed, its memory is free\n", vm->name);
	else
		mon_printf(vm->nr_vcpus ? "vm %s: restarted\n" : "vm %s: its rebuild failed\n",
			   vm->name);
}

static enum mon_result kill_or_restart(int argc, char **argv)
{
	bool restart = argv[0][0] == 'r';
	struct vm *vm = mon_vm(argv[1]);

	if (!vm)
		return MON_USAGE;
	watched.vm = vm;
	watched.restarts = vm->restarts;
	if (!vm_kill(vm, restart)) {
		mon_printf("vm %s is not running\n", vm->name);
		return MON_DONE;
	}
	mon_wait(kill_done, kill_finish, restart ? vm : NULL);
	return MON_WAIT;
}

static enum mon_result console(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);

	if (!vm)
		return MON_USAGE;
	mux_focus_vm(vm - mux_vm(1) + 1);
	return MON_DONE;	/* the prompt waits until the monitor has focus again */
}

static enum mon_result gdb_target(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);

	if (!vm)
		return MON_USAGE;
	if (gdb_set_target(vm))
		mon_printf("gdb: vm %s is the target from gdb's next attach\n", vm->name);
	else
		mon_printf("gdb: attached to another VM; detach first\n");
	return MON_DONE;
}

const struct mon_cmd mon_vm_cmds[] = {
	{ "vms", "", "every VM: number, name, state, vCPUs, memory, exits, uptime", 0, 0,
	  vms_list },
	{ "vcpus", "VM", "its vCPUs: host CPU, state, rip, mode, pending interrupts", 1, 1,
	  vcpus_list },
	{ "regs", "VM [VCPU]", "a paused vCPU's registers, segments, tables and APIC", 1, 2,
	  regs },
	{ "pause", "VM", "stop all its vCPUs at their next exit", 1, 1, pause },
	{ "resume", "VM", "let a paused VM run on", 1, 1, resume },
	{ "kill", "VM", "end it and free everything it had", 1, 1, kill_or_restart },
	{ "restart", "VM", "kill it and start it anew from its images", 1, 1, kill_or_restart },
	{ "console", "VM", "give the console's focus to its COM1 (as Ctrl-] 1..9)", 1, 1,
	  console },
	{ "gdb", "VM", "the VM the GDB stub (gdb=com2) debugs", 1, 1, gdb_target },
	{ 0 },
};
