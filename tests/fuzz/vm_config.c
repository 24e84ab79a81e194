/* The module2 lines (hv/vm_config*.c): the input's lines are the boot
 * modules' strings. Every VM that comes out good must hold values its
 * checks allow, name a unique VM, and refer only to modules that exist. */
#include <stdlib.h>
#include <string.h>

#include "hv/vm_config.h"
#include "lib/cpu.h"
#include "tests/fuzz/fuzz.h"

#define MAX_LINES	48

/* `s` is in one of the module strings (the configs point into them). */
static bool in_lines(const struct boot_module *mods, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (s >= mods[i].string && s <= mods[i].string + strlen(mods[i].string))
			return true;
	return false;
}

/* A module reference names an existing module and points into its line. */
static void check_ref(const struct boot_module *mods, size_t n, const struct vm_module_ref *r)
{
	FUZZ_CHECK(r->index < n);
	FUZZ_CHECK(!r->string[0] || in_lines(mods, n, r->string));
}

/* A VM not marked bad: every value one its checks allow. */
static void check_good(const struct boot_module *mods, size_t n, const struct vm_config *vm)
{
	size_t len = strlen(vm->name);

	FUZZ_CHECK(len >= 1 && len <= VM_NAME_MAX);
	FUZZ_CHECK(strspn(vm->name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == len);
	FUZZ_CHECK(vm->mem >= VM_MEM_MIN && vm->mem <= VM_MEM_MAX);
	FUZZ_CHECK(vm->mem % VM_MEM_ALIGN == 0);
	FUZZ_CHECK(vm->vcpus >= 1 && vm->vcpus <= VM_VCPUS_MAX);
	FUZZ_CHECK(vm->nr_cpus <= VM_VCPUS_MAX);
	for (unsigned i = 0; i < vm->nr_cpus; i++)
		FUZZ_CHECK(vm->cpus[i] < MAX_CPUS);
	FUZZ_CHECK(vm->kind <= VM_KIND_LINUX && vm_kind_name(vm->kind));
	FUZZ_CHECK(vm->module_count <= VM_MODULES_MAX);
	check_ref(mods, n, &vm->kernel);
	for (size_t i = 0; i < vm->module_count; i++)
		check_ref(mods, n, &vm->modules[i]);
	if (vm->has_initrd)
		check_ref(mods, n, &vm->initrd);
	FUZZ_CHECK(!vm->error[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_module mods[MAX_LINES];
	static struct vm_config vms[MAX_LINES];
	char *text = fuzz_string(data, size), *line = text;
	size_t n = 0, count;

	while (line && n < MAX_LINES) {
		char *newline = strchr(line, '\n');

		if (newline)
			*newline = '\0';
		mods[n] = (struct boot_module){ KiB(4) * (n + 1), KiB(4) * (n + 2), line };
		n++;
		line = newline ? newline + 1 : NULL;
	}
	FUZZ_CHECK(vm_configs_parse(mods, n, vms, n, &count) == 0);
	FUZZ_CHECK(count <= n);
	for (size_t i = 0; i < count; i++) {
		FUZZ_CHECK(memchr(vms[i].error, '\0', sizeof(vms[i].error)));
		FUZZ_CHECK(!vms[i].bad || vms[i].error[0]);
		if (!vms[i].bad)
			check_good(mods, n, &vms[i]);
		for (size_t j = 0; j < i && vms[i].name[0]; j++)
			FUZZ_CHECK(strcmp(vms[i].name, vms[j].name));
	}
	FUZZ_CHECK(n == 0 || vm_configs_parse(mods, n, vms, n - 1, &count) == -1);
	free(text);
	return 0;
}
