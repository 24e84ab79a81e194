/* The per-VM APICv inhibit set (hv/apicv.c): the reasons a VM starts with,
 * transitions only when the set empties or stops being empty, each counted,
 * logged and requested of every vCPU; reasons added to an inhibited VM or
 * cleared while others hold change nothing else. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "hv/vendor.h"
#include "hv/vm.h"
#include "lib/log.h"
#include "tests/unit/host.h"

#define NR_VCPUS 3

static bool cpu_has_apicv;
static unsigned requested[NR_VCPUS];
static struct vcpu vcpus[NR_VCPUS];
static struct vm_config config = { .name = "t" };
static struct vm vm = { .name = "t", .config = &config, .nr_vcpus = NR_VCPUS, .vcpus = vcpus };

static bool apicv_supported(void)
{
	return cpu_has_apicv;
}

static const struct vendor_ops ops = { .name = "test", .apicv_supported = apicv_supported };
const struct vendor_ops *vendor = &ops;

void vcpu_request(struct vcpu *v, uint32_t req)
{
	assert_int_equal(req, VCPU_REQ_APICV);
	requested[v - vcpus]++;
}

static int setup(void **state)
{
	memset(requested, 0, sizeof(requested));
	for (unsigned i = 0; i < NR_VCPUS; i++)
		vcpus[i] = (struct vcpu){ .vm = &vm, .id = i };
	cpu_has_apicv = true;
	config.apicv_off = false;
	log_level = LOG_DEBUG;
	host_last_log[0] = '\0';
	return 0;
}

static void expect_requests(unsigned n)
{
	for (unsigned i = 0; i < NR_VCPUS; i++)
		assert_int_equal(requested[i], n);
}

static void test_initial_reasons(void **state)
{
	vm_apicv_init(&vm);
	assert_true(vm_apicv_active(&vm));
	config.apicv_off = true;
	vm_apicv_init(&vm);
	assert_false(vm_apicv_active(&vm));
	assert_int_equal(vm.apicv.inhibits, 1u << APICV_INHIBIT_DISABLED);
	cpu_has_apicv = false;
	config.apicv_off = false;
	vm_apicv_init(&vm);
	assert_int_equal(vm.apicv.inhibits, 1u << APICV_INHIBIT_ABSENT);
	assert_int_equal(vm.apicv.transitions, 0);
	expect_requests(0);
}

static void test_transitions(void **state)
{
	vm_apicv_init(&vm);
	vm_apicv_inhibit(&vm, APICV_INHIBIT_HYPERV_AUTOEOI, true);
	assert_false(vm_apicv_active(&vm));
	assert_string_equal(host_last_log, "apicv: vm t inhibited (hyperv-autoeoi)");
	assert_int_equal(vm.apicv.transitions, 1);
	expect_requests(1);
	/* Already inhibited: a second reason is no transition. */
	host_last_log[0] = '\0';
	vm_apicv_inhibit(&vm, APICV_INHIBIT_EXTINT, true);
	vm_apicv_inhibit(&vm, APICV_INHIBIT_HYPERV_AUTOEOI, true);
	vm_apicv_inhibit(&vm, APICV_INHIBIT_HYPERV_AUTOEOI, false);
	assert_false(vm_apicv_active(&vm));
	assert_string_equal(host_last_log, "");
	assert_int_equal(vm.apicv.transitions, 1);
	expect_requests(1);
	/* The last reason goes: active again, every vCPU asked. */
	vm_apicv_inhibit(&vm, APICV_INHIBIT_EXTINT, false);
	assert_true(vm_apicv_active(&vm));
	assert_string_equal(host_last_log, "apicv: vm t active");
	assert_int_equal(vm.apicv.transitions, 2);
	expect_requests(2);
	/* Clearing what is not set changes nothing. */
	vm_apicv_inhibit(&vm, APICV_INHIBIT_NESTED, false);
	assert_int_equal(vm.apicv.transitions, 2);
	expect_requests(2);
}

static void test_apply_follows_the_vm(void **state)
{
	vm_apicv_init(&vm);
	vcpu_apicv_apply(&vcpus[1]);
	assert_true(vcpus[1].apicv_active);
	vm_apicv_inhibit(&vm, APICV_INHIBIT_APIC_ID, true);
	vcpu_apicv_apply(&vcpus[1]);
	assert_false(vcpus[1].apicv_active);
}

static void test_names(void **state)
{
	assert_string_equal(apicv_inhibit_name(APICV_INHIBIT_DISABLED), "disabled");
	assert_string_equal(apicv_inhibit_name(APICV_INHIBIT_DEBUG_STEP), "debugger-step");
	assert_string_equal(apicv_inhibit_name(APICV_INHIBIT_COUNT), "?");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_initial_reasons),
		T(test_transitions),
		T(test_apply_follows_the_vm),
		T(test_names),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
