/* VM configuration from module2 lines: good lines of every shape, and every
 * mistake, which must mark only its own VM bad with the expected reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/vm_config.h"

#define MAX_LINES 24

static struct boot_module mods[MAX_LINES];
static struct vm_config vms[MAX_LINES];
static size_t nvms;

/* Parse the NULL-terminated lines; returns how many VM entries came out. */
static size_t parse_lines(const char *const *lines)
{
	size_t n;

	memset(vms, 0xa5, sizeof(vms));
	for (n = 0; lines[n]; n++) {
		assert_true(n < MAX_LINES);
		mods[n].start = 0x1000 * (n + 1);
		mods[n].end = mods[n].start + 0x100;
		mods[n].string = lines[n];
	}
	assert_int_equal(vm_configs_parse(mods, n, vms, MAX_LINES, &nvms), 0);
	return nvms;
}

#define PARSE(...) parse_lines((const char *const[]){ __VA_ARGS__, NULL })

/* The one line given must produce one bad VM with exactly `error`. */
static void expect_bad(const char *line, const char *name, const char *error)
{
	assert_int_equal(PARSE(line), 1);
	assert_true(vms[0].bad);
	assert_string_equal(vms[0].name, name);
	assert_string_equal(vms[0].error, error);
}

static void test_kernel_line_with_path(void **state)
{
	assert_int_equal(PARSE("/boot/t.elf vm=test mem=32M vcpus=2 kind=multiboot2 -- console=ttyS0 x=\"a b\""), 1);
	assert_false(vms[0].bad);
	assert_string_equal(vms[0].name, "test");
	assert_int_equal(vms[0].mem, MiB(32));
	assert_int_equal(vms[0].vcpus, 2);
	assert_int_equal(vms[0].kind, VM_KIND_MULTIBOOT2);
	assert_int_equal(vms[0].kernel.index, 0);
	assert_string_equal(vms[0].kernel.string, "console=ttyS0 x=\"a b\"");
	assert_int_equal(vms[0].module_count, 0);
	assert_false(vms[0].has_initrd);
}

static void test_kernel_line_without_path_defaults(void **state)
{
	assert_int_equal(PARSE("vm=a_b-9 mem=4M"), 1);
	assert_false(vms[0].bad);
	assert_string_equal(vms[0].name, "a_b-9");
	assert_int_equal(vms[0].vcpus, 1);
	assert_int_equal(vms[0].kind, VM_KIND_AUTO);
	assert_string_equal(vms[0].kernel.string, "");
	assert_string_equal(vm_kind_name(vms[0].kind), "auto");
}

static void test_whitespace_and_empty_tail(void **state)
{
	assert_int_equal(PARSE("  \t/boot/x  vm=w\tmem=2M   --   "), 1);
	assert_false(vms[0].bad);
	assert_string_equal(vms[0].kernel.string, "");
	/* "--" only ends the settings as a word of its own. */
	assert_int_equal(PARSE("vm=w mem=2M --x"), 1);
	assert_string_equal(vms[0].error, "module 0: '--x' is not key=value");
	/* Everything after "--" is the guest's, settings-like words included. */
	assert_int_equal(PARSE("vm=w mem=2M -- vm=other mem=9G --"), 1);
	assert_false(vms[0].bad);
	assert_string_equal(vms[0].kernel.string, "vm=other mem=9G --");
}

static void test_sizes(void **state)
{
	static const struct {
		const char *line;
		uint64_t mem;
	} cases[] = {
		{ "vm=a mem=1M", MiB(2) },		/* rounded up to 2 MiB */
		{ "vm=a mem=33M", MiB(34) },
		{ "vm=a mem=1024K", MiB(2) },
		{ "vm=a mem=4096k", MiB(4) },
		{ "vm=a mem=1G", GiB(1) },
		{ "vm=a mem=5G", GiB(5) },
		{ "vm=a mem=1t", GiB(1024) },
		{ "vm=a mem=1g", GiB(1) },
		{ "vm=a mem=64m", MiB(64) },
		{ "vm=a mem=16777216", MiB(16) },
		{ "vm=a mem=1048577", MiB(2) },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(PARSE(cases[i].line), 1);
		assert_false(vms[0].bad);
		assert_int_equal(vms[0].mem, cases[i].mem);
	}
}

static void test_bad_sizes(void **state)
{
	expect_bad("vm=a mem=1023K", "a", "module 0: mem=1023K is below the minimum 1M");
	expect_bad("vm=a mem=0", "a", "module 0: mem=0 is below the minimum 1M");
	expect_bad("vm=a mem=1048577M", "a", "module 0: mem=1048577M is above the maximum 1024G");
	expect_bad("vm=a mem=2T", "a", "module 0: mem=2T is above the maximum 1024G");
	expect_bad("vm=a mem=32X", "a", "module 0: mem=32X is not a size like 32M");
	expect_bad("vm=a mem=32MB", "a", "module 0: mem=32MB is not a size like 32M");
	expect_bad("vm=a mem=M", "a", "module 0: mem=M is not a size like 32M");
	expect_bad("vm=a mem=", "a", "module 0: mem= is not a size like 32M");
	expect_bad("vm=a mem=-1M", "a", "module 0: mem=-1M is not a size like 32M");
	expect_bad("vm=a mem=+4M", "a", "module 0: mem=+4M is not a size like 32M");
	expect_bad("vm=a mem=0x400000", "a", "module 0: mem=0x400000 is not a size like 32M");
	/* Overflow in the number, and in the suffix's multiplication. */
	expect_bad("vm=a mem=99999999999999999999", "a",
		   "module 0: mem=9999999999999999 is not a size like 32M");
	expect_bad("vm=a mem=99999999999G", "a", "module 0: mem=99999999999G is not a size like 32M");
}

static void test_vcpus(void **state)
{
	assert_int_equal(PARSE("vm=a mem=2M vcpus=64"), 1);
	assert_false(vms[0].bad);
	assert_int_equal(vms[0].vcpus, 64);
	expect_bad("vm=a mem=2M vcpus=0", "a", "module 0: vcpus=0 is not a number from 1 to 64");
	expect_bad("vm=a mem=2M vcpus=65", "a", "module 0: vcpus=65 is not a number from 1 to 64");
	expect_bad("vm=a mem=2M vcpus=2K", "a", "module 0: vcpus=2K is not a number from 1 to 64");
	expect_bad("vm=a mem=2M vcpus=", "a", "module 0: vcpus= is not a number from 1 to 64");
	expect_bad("vm=a mem=2M vcpus=one", "a", "module 0: vcpus=one is not a number from 1 to 64");
}

static void test_cpus(void **state)
{
	static const uint16_t want[] = { 0, 2, 3, 4, 1 };

	assert_int_equal(PARSE("vm=a mem=2M vcpus=4"), 1);
	assert_int_equal(vms[0].nr_cpus, 0);	/* spread */
	assert_int_equal(PARSE("vm=a mem=2M vcpus=4 cpus=0,2-4,1"), 1);
	assert_false(vms[0].bad);
	assert_int_equal(vms[0].nr_cpus, ARRAY_SIZE(want));
	assert_memory_equal(vms[0].cpus, want, sizeof(want));
	assert_int_equal(PARSE("vm=a mem=2M cpus=1023"), 1);
	assert_false(vms[0].bad);
	expect_bad("vm=a mem=2M cpus=1024", "a",
		   "module 0: cpus=1024 is not a list like 0,2-3 of CPUs below 1024");
	expect_bad("vm=a mem=2M cpus=3-1", "a",
		   "module 0: cpus=3-1 is not a list like 0,2-3 of CPUs below 1024");
	expect_bad("vm=a mem=2M cpus=1,", "a",
		   "module 0: cpus=1, is not a list like 0,2-3 of CPUs below 1024");
	expect_bad("vm=a mem=2M cpus=", "a",
		   "module 0: cpus= is not a list like 0,2-3 of CPUs below 1024");
	expect_bad("vm=a mem=2M cpus=1;2", "a",
		   "module 0: cpus=1;2 is not a list like 0,2-3 of CPUs below 1024");
	expect_bad("vm=a mem=2M cpus=0-63,0", "a", "module 0: cpus=0-63,0 names more than 64 CPUs");
}

static void test_kinds(void **state)
{
	static const char *const names[] = { "auto", "multiboot", "multiboot2", "flat" };
	char line[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(line, sizeof(line), "vm=k mem=2M kind=%s", names[i]);
		assert_int_equal(PARSE(line), 1);
		assert_false(vms[0].bad);
		assert_int_equal(vms[0].kind, i);
		assert_string_equal(vm_kind_name(vms[0].kind), names[i]);
	}
	expect_bad("vm=k mem=2M kind=elf", "k",
		   "module 0: kind=elf is not auto|multiboot|multiboot2|flat|linux");
	expect_bad("vm=k mem=2M kind=", "k",
		   "module 0: kind= is not auto|multiboot|multiboot2|flat|linux");
}

static void test_names(void **state)
{
	assert_int_equal(PARSE("vm=abcdefghijklmno mem=2M"), 1);	/* 15 characters */
	assert_false(vms[0].bad);
	expect_bad("vm=abcdefghijklmnop mem=2M", "",
		   "module 0: bad VM name 'abcdefghijklmnop' (1-15 of a-z 0-9 _ -)");
	expect_bad("vm= mem=2M", "", "module 0: bad VM name '' (1-15 of a-z 0-9 _ -)");
	expect_bad("vm=Linux mem=2M", "", "module 0: bad VM name 'Linux' (1-15 of a-z 0-9 _ -)");
	expect_bad("vm=a.b mem=2M", "", "module 0: bad VM name 'a.b' (1-15 of a-z 0-9 _ -)");
	expect_bad("mem=2M -- vm=a", "", "module 0: no vm=NAME");
	expect_bad("", "", "module 0: no vm=NAME");
	expect_bad("/boot/only.elf", "", "module 0: no vm=NAME");
}

static void test_line_mistakes(void **state)
{
	expect_bad("vm=a mem=2M colour=blue", "a", "module 0: unknown key 'colour'");
	/* The name is found even after the first problem. */
	expect_bad("colour=blue vm=a mem=2M", "a", "module 0: unknown key 'colour'");
	expect_bad("vm=a mem=2M noacpi", "a", "module 0: 'noacpi' is not key=value");
	expect_bad("vm=a mem=2M mem=4M", "a", "module 0: mem= given twice");
	expect_bad("vm=a vm=b mem=2M", "a", "module 0: vm= given twice");
	expect_bad("vm=a", "a", "module 0: no mem= (e.g. mem=32M)");
	expect_bad("vm=a vcpus=1 -- mem=2M", "a", "module 0: no mem= (e.g. mem=32M)");
	expect_bad("vm=a mem=2M role=initial", "a",
		   "module 0: role=initial is not kernel|module|initrd");
	expect_bad("vm=a mem=2M xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=1",
		   "a", "module 0: setting 'xxxxxxxxxxxxxxxx...' longer than 63 characters");
	/* The first problem is the one reported. */
	expect_bad("vm=a mem=1K vcpus=0 foo=1", "a", "module 0: mem=1K is below the minimum 1M");
}

static void test_modules_and_initrd(void **state)
{
	assert_int_equal(PARSE("/boot/k.elf vm=g mem=8M -- root=/dev/ram0",
			       "/boot/m1 vm=g role=module -- first arg",
			       "/boot/rd vm=g role=initrd",
			       "vm=g role=module"), 1);
	assert_false(vms[0].bad);
	assert_int_equal(vms[0].kernel.index, 0);
	assert_string_equal(vms[0].kernel.string, "root=/dev/ram0");
	assert_int_equal(vms[0].module_count, 2);
	assert_int_equal(vms[0].modules[0].index, 1);
	assert_string_equal(vms[0].modules[0].string, "first arg");
	assert_int_equal(vms[0].modules[1].index, 3);
	assert_string_equal(vms[0].modules[1].string, "");
	assert_true(vms[0].has_initrd);
	assert_int_equal(vms[0].initrd.index, 2);
}

static void test_module_before_kernel(void **state)
{
	assert_int_equal(PARSE("vm=g role=module -- m", "vm=g mem=2M role=kernel"), 1);
	assert_false(vms[0].bad);
	assert_int_equal(vms[0].kernel.index, 1);
	assert_int_equal(vms[0].module_count, 1);
	assert_int_equal(vms[0].modules[0].index, 0);
	assert_string_equal(vms[0].modules[0].string, "m");
}

static void test_several_vms_one_bad(void **state)
{
	assert_int_equal(PARSE("vm=one mem=2M -- 1",
			       "vm=two mem=2M vcpus=99 -- 2",
			       "vm=three mem=4M kind=flat",
			       "vm=two role=module",
			       "vm=one role=module -- for one"), 3);
	assert_string_equal(vms[0].name, "one");
	assert_false(vms[0].bad);
	assert_int_equal(vms[0].module_count, 1);
	assert_int_equal(vms[0].modules[0].index, 4);
	assert_string_equal(vms[1].name, "two");
	assert_true(vms[1].bad);
	assert_string_equal(vms[1].error, "module 1: vcpus=99 is not a number from 1 to 64");
	assert_string_equal(vms[2].name, "three");
	assert_false(vms[2].bad);
	assert_int_equal(vms[2].mem, MiB(4));
	assert_int_equal(vms[2].kind, VM_KIND_FLAT);
}

/* on_reboot= and on_exit= are set apart, default off, and each has its own words. */
static void test_on_reboot_and_on_exit(void **state)
{
	static const bool on_reboot[] = { true, false, false, false, false, true };
	static const bool on_exit[] = { false, false, false, true, false, true };

	assert_int_equal(PARSE("vm=a mem=2M on_reboot=restart", "vm=b mem=2M on_reboot=end",
			       "vm=c mem=2M", "vm=d mem=2M on_exit=restart", "vm=e mem=2M on_exit=stop",
			       "vm=f mem=2M on_exit=restart on_reboot=restart"), 6);
	for (size_t i = 0; i < ARRAY_SIZE(on_reboot); i++) {
		assert_false(vms[i].bad);
		assert_int_equal(vms[i].restart_on_reboot, on_reboot[i]);
		assert_int_equal(vms[i].restart_on_exit, on_exit[i]);
	}
	expect_bad("vm=a mem=2M on_reboot=again", "a", "module 0: on_reboot=again is not end|restart");
	expect_bad("vm=a mem=2M on_reboot=stop", "a", "module 0: on_reboot=stop is not end|restart");
	expect_bad("vm=a mem=2M on_exit=end", "a", "module 0: on_exit=end is not stop|restart");
	expect_bad("vm=a mem=2M on_exit=Restart", "a",
		   "module 0: on_exit=Restart is not stop|restart");
	expect_bad("vm=a mem=2M on_exit=", "a", "module 0: on_exit= is not stop|restart");
	expect_bad("vm=a mem=2M on_exit=stop on_exit=restart", "a", "module 0: on_exit= given twice");
	expect_bad("vm=a mem=2M on_exit", "a", "module 0: 'on_exit' is not key=value");
}

/* debug=: off by default, on or wait on one VM at most, on its kernel line. */
static void test_debug(void **state)
{
	assert_int_equal(PARSE("vm=a mem=2M", "vm=b mem=2M debug=wait"), 2);
	assert_int_equal(vms[0].debug, VM_DEBUG_OFF);
	assert_false(vms[1].bad);
	assert_int_equal(vms[1].debug, VM_DEBUG_WAIT);
	assert_int_equal(PARSE("vm=a mem=2M debug=on", "vm=b mem=2M debug=off"), 2);
	assert_int_equal(vms[0].debug, VM_DEBUG_ON);
	assert_false(vms[1].bad);
	assert_int_equal(PARSE("vm=a mem=2M debug=on", "vm=b mem=2M debug=wait"), 2);
	assert_false(vms[0].bad);
	assert_true(vms[1].bad);
	assert_string_equal(vms[1].error, "module 1: debug= on a second VM (vm a has it)");
	expect_bad("vm=a mem=2M debug=yes", "a", "module 0: debug=yes is not off|on|wait");
	assert_int_equal(PARSE("vm=a mem=2M", "vm=a role=module debug=on"), 1);
	assert_true(vms[0].bad);
}

/* hyperv=off|on (off by default) and apicv=on|off (on by default), on the kernel line. */
static void test_hyperv_apicv(void **state)
{
	assert_int_equal(PARSE("vm=a mem=2M", "vm=b mem=2M hyperv=on apicv=off"), 2);
	assert_false(vms[0].hyperv);
	assert_false(vms[0].apicv_off);
	assert_false(vms[1].bad);
	assert_true(vms[1].hyperv);
	assert_true(vms[1].apicv_off);
	assert_int_equal(PARSE("vm=a mem=2M hyperv=off apicv=on"), 1);
	assert_false(vms[0].hyperv);
	assert_false(vms[0].apicv_off);
	expect_bad("vm=a mem=2M hyperv=yes", "a", "module 0: hyperv=yes is not off|on");
	expect_bad("vm=a mem=2M apicv=1", "a", "module 0: apicv=1 is not off|on");
	expect_bad("vm=a mem=2M apicv=on apicv=off", "a", "module 0: apicv= given twice");
	assert_int_equal(PARSE("vm=a mem=2M", "vm=a role=module hyperv=on"), 1);
	assert_true(vms[0].bad);
	assert_string_equal(vms[0].error, "module 1: hyperv= belongs on the kernel line");
}

static void test_duplicate_kernel(void **state)
{
	assert_int_equal(PARSE("vm=a mem=2M", "vm=b mem=2M", "vm=a mem=4M"), 2);
	assert_true(vms[0].bad);
	assert_string_equal(vms[0].error, "module 2: second kernel line (the first is module 0)");
	assert_false(vms[1].bad);
}

static void test_module_without_kernel(void **state)
{
	assert_int_equal(PARSE("vm=a mem=2M", "vm=b role=module", "vm=c role=initrd"), 3);
	assert_false(vms[0].bad);
	assert_true(vms[1].bad);
	assert_string_equal(vms[1].name, "b");
	assert_string_equal(vms[1].error, "module 1: role=module but the VM has no kernel line");
	assert_true(vms[2].bad);
	assert_string_equal(vms[2].error, "module 2: role=initrd but the VM has no kernel line");
}

static void test_bad_module_line_spoils_its_vm(void **state)
{
	assert_int_equal(PARSE("vm=a mem=2M", "vm=a role=module mem=2M"), 1);
	assert_true(vms[0].bad);
	assert_string_equal(vms[0].error,
			    "module 1: mem= belongs on the kernel line");
	assert_int_equal(PARSE("vm=a mem=2M", "vm=a role=initrd kind=flat"), 1);
	assert_string_equal(vms[0].error,
			    "module 1: kind= belongs on the kernel line");
	assert_int_equal(PARSE("vm=a mem=2M", "vm=a role=initrd on_reboot=restart"), 1);
	assert_string_equal(vms[0].error,
			    "module 1: on_reboot= belongs on the kernel line");
	assert_int_equal(PARSE("vm=a mem=2M", "vm=a role=module on_exit=restart"), 1);
	assert_string_equal(vms[0].error,
			    "module 1: on_exit= belongs on the kernel line");
	assert_int_equal(PARSE("vm=a mem=2M", "vm=a role=module bogus=1"), 1);
	assert_string_equal(vms[0].error, "module 1: unknown key 'bogus'");
	/* A nameless line is its own bad entry; VM a is untouched. */
	assert_int_equal(PARSE("vm=a mem=2M", "role=module"), 2);
	assert_false(vms[0].bad);
	assert_true(vms[1].bad);
	assert_string_equal(vms[1].name, "");
	assert_int_equal(vms[1].kernel.index, 1);
	assert_string_equal(vms[1].error, "module 1: no vm=NAME");
}

static void test_second_initrd(void **state)
{
	assert_int_equal(PARSE("vm=a mem=2M", "vm=a role=initrd", "vm=a role=initrd"), 1);
	assert_true(vms[0].bad);
	assert_string_equal(vms[0].error, "module 2: second initrd (the first is module 1)");
	assert_int_equal(vms[0].initrd.index, 1);
}

static void test_too_many_modules(void **state)
{
	const char *lines[VM_MODULES_MAX + 3];
	size_t i;

	lines[0] = "vm=a mem=2M";
	for (i = 1; i <= VM_MODULES_MAX + 1; i++)
		lines[i] = "vm=a role=module";
	lines[i] = NULL;
	assert_int_equal(parse_lines(lines), 1);
	assert_true(vms[0].bad);
	assert_string_equal(vms[0].error, "module 9: more than 8 modules");
	assert_int_equal(vms[0].module_count, VM_MODULES_MAX);

	lines[VM_MODULES_MAX + 1] = NULL;	/* exactly the maximum is fine */
	assert_int_equal(parse_lines(lines), 1);
	assert_false(vms[0].bad);
	assert_int_equal(vms[0].module_count, VM_MODULES_MAX);
}

static void test_null_string_and_no_modules(void **state)
{
	struct boot_module m = { .start = 0x1000, .end = 0x2000, .string = NULL };

	assert_int_equal(vm_configs_parse(&m, 1, vms, 1, &nvms), 0);
	assert_int_equal(nvms, 1);
	assert_true(vms[0].bad);
	assert_string_equal(vms[0].error, "module 0: no vm=NAME");
	assert_int_equal(vm_configs_parse(NULL, 0, vms, 0, &nvms), 0);
	assert_int_equal(nvms, 0);
}

static void test_output_too_small(void **state)
{
	mods[0].string = "vm=a mem=2M";
	mods[1].string = "vm=b mem=2M";
	nvms = 99;
	assert_int_equal(vm_configs_parse(mods, 2, vms, 1, &nvms), -1);
	assert_int_equal(nvms, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_line_with_path),
		cmocka_unit_test(test_kernel_line_without_path_defaults),
		cmocka_unit_test(test_whitespace_and_empty_tail),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_vcpus),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_line_mistakes),
		cmocka_unit_test(test_modules_and_initrd),
		cmocka_unit_test(test_module_before_kernel),
		cmocka_unit_test(test_several_vms_one_bad),
		cmocka_unit_test(test_on_reboot_and_on_exit),
		cmocka_unit_test(test_debug),
		cmocka_unit_test(test_hyperv_apicv),
		cmocka_unit_test(test_duplicate_kernel),
		cmocka_unit_test(test_module_without_kernel),
		cmocka_unit_test(test_bad_module_line_spoils_its_vm),
		cmocka_unit_test(test_second_initrd),
		cmocka_unit_test(test_too_many_modules),
		cmocka_unit_test(test_null_string_and_no_modules),
		cmocka_unit_test(test_output_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
