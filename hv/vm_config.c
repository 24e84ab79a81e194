/* VM configurations from the module2 lines: each line is parsed on its own
 * (hv/vm_config_line.c), then kernel lines make VMs and the other lines
 * attach to them. A problem marks only the VM it belongs to bad. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hv/vm_config.h"
#include "hv/vm_config_line.h"

struct vm_set {
	struct vm_config *vms;
	size_t count;
};

/* Mark vm bad with the reason, unless an earlier reason is already there. */
static __printf(2, 3) void vm_fail(struct vm_config *vm, const char *fmt, ...)
{
	va_list ap;

	if (vm->bad)
		return;
	vm->bad = true;
	va_start(ap, fmt);
	vsnprintf(vm->error, sizeof(vm->error), fmt, ap);
	va_end(ap);
}

static struct vm_config *find_vm(struct vm_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (!strcmp(set->vms[i].name, name))
			return &set->vms[i];
	return NULL;
}

/* A new configuration named `name` whose kernel is module `index`. The
 * caller guaranteed one free slot per module line. */
static struct vm_config *add_vm(struct vm_set *set, const char *name, size_t index)
{
	struct vm_config *vm = &set->vms[set->count++];

	memset(vm, 0, sizeof(*vm));
	strcpy(vm->name, name);
	vm->kernel.index = index;
	vm->kernel.string = "";
	return vm;
}

/* A kernel line: a new VM, unless the name is taken. */
static void add_kernel(struct vm_set *set, const struct vm_line *l)
{
	struct vm_config *vm = find_vm(set, l->name);

	if (vm) {
		vm_fail(vm, "module %zu: second kernel line (the first is module %zu)",
			l->index, vm->kernel.index);
		return;
	}
	vm = add_vm(set, l->name, l->index);
	vm->mem = l->mem;
	vm->vcpus = l->vcpus;
	vm->nr_cpus = l->nr_cpus;
	memcpy(vm->cpus, l->cpus, sizeof(vm->cpus));
	vm->kind = l->kind;
	vm->restart_on_reboot = l->restart_on_reboot;
	vm->restart_on_exit = l->restart_on_exit;
	vm->debug = l->debug;
	vm->hyperv = l->hyperv;
	vm->apicv_off = l->apicv_off;
	vm->kernel.string = l->tail;
	if (l->bad)
		vm_fail(vm, "%s", l->error);
	for (size_t i = 0; l->debug && i + 1 < set->count; i++)
		if (set->vms[i].debug)
			vm_fail(vm, "module %zu: debug= on a second VM (vm %s has it)", l->index,
				set->vms[i].name);
}

/* A role=module or role=initrd line: attach it to its VM's kernel. */
static void add_extra(struct vm_set *set, const struct vm_line *l)
{
	struct vm_config *vm = find_vm(set, l->name);
	struct vm_module_ref ref = { .index = l->index, .string = l->tail };

	if (!vm) {
		vm = add_vm(set, l->name, l->index);
		vm_fail(vm, "module %zu: role=%s but the VM has no kernel line",
			l->index, vm_role_name(l->role));
	} else if (l->bad) {
		vm_fail(vm, "%s", l->error);
	} else if (l->role == VM_ROLE_INITRD && vm->has_initrd) {
		vm_fail(vm, "module %zu: second initrd (the first is module %zu)",
			l->index, vm->initrd.index);
	} else if (l->role == VM_ROLE_INITRD) {
		vm->has_initrd = true;
		vm->initrd = ref;
	} else if (vm->module_count == VM_MODULES_MAX) {
		vm_fail(vm, "module %zu: more than %d modules", l->index, VM_MODULES_MAX);
	} else {
		vm->modules[vm->module_count++] = ref;
	}
}

int vm_configs_parse(const struct boot_module *mods, size_t n,
		     struct vm_config *out, size_t max, size_t *count)
{
	struct vm_set set = { .vms = out, .count = 0 };
	struct vm_line line;
	size_t i;

	*count = 0;
	if (max < n)
		return -1;
	/* Kernels first, so a module line may come before its kernel's line. */
	for (i = 0; i < n; i++) {
		vm_line_parse(mods[i].string ? mods[i].string : "", i, &line);
		if (!line.name[0])
			vm_fail(add_vm(&set, "", i), "%s", line.error);
		else if (line.role == VM_ROLE_KERNEL)
			add_kernel(&set, &line);
	}
	for (i = 0; i < n; i++) {
		vm_line_parse(mods[i].string ? mods[i].string : "", i, &line);
		if (line.name[0] && line.role != VM_ROLE_KERNEL)
			add_extra(&set, &line);
	}
	*count = set.count;
	return 0;
}
