/* The operator's keystrokes: the console UART is polled every
 * INPUT_POLL_MS from a timer of the boot CPU, and what it received goes
 * to one VM's COM1. Bytes that VM's FIFO cannot take yet wait here, so
 * nothing typed is lost while the VM runs; once it has ended, input is
 * discarded (and that is said once). */
#include <string.h>

#include "cpu/timer.h"
#include "drivers/tsc.h"
#include "hv/console/console.h"
#include "hv/console/console_input.h"
#include "hv/vm.h"
#include "lib/log.h"

#define INPUT_POLL_MS	10
#define INPUT_BUF	256

static struct timer poll_timer;
static struct vm *target;		/* NULL: input is discarded */
static bool focused;			/* target shows its prompts */
static uint8_t pending[INPUT_BUF];
static unsigned pending_len;

/* Take what the UART holds, hand what fits to the target VM, come back. */
static void input_poll(struct timer *t)
{
	int c, taken;

	while (pending_len < INPUT_BUF && (c = console_getc()) >= 0)
		pending[pending_len++] = (uint8_t)c;
	if (target && pending_len) {
		if (!focused) {
			vm_console_focus(target);
			focused = true;
		}
		taken = vm_console_input(target, pending, pending_len);
		if (taken < 0) {
			log_info("console: vm %s has ended; input is discarded", target->name);
			target = NULL;
			taken = (int)pending_len;
		}
		memmove(pending, pending + taken, pending_len - taken);
		pending_len -= taken;
	}
	if (!target)
		pending_len = 0;
	timer_arm(t, tsc_now() + INPUT_POLL_MS * READ_ONCE(tsc_khz));
}

/* The VM called `name`, or the first that was built. */
static struct vm *input_target(struct vm *vms, size_t n, const char *name)
{
	struct vm *first = NULL;

	for (size_t i = 0; i < n; i++) {
		if (!vms[i].nr_vcpus)
			continue;
		if (name && name[0] && !strcmp(vms[i].name, name))
			return &vms[i];
		if (!first)
			first = &vms[i];
	}
	if (name && name[0])
		log_warn("console: input=%s names no VM that runs; input goes to %s%s", name,
			 first ? "vm " : "nowhere", first ? first->name : "");
	return first;
}

void console_input_start(struct vm *vms, size_t n, const char *name)
{
	target = input_target(vms, n, name);
	if (!target)
		return;
	log_info("console: input goes to vm %s", target->name);
	/* Named, it shows its prompts from the start; chosen by default,
	 * once the operator types (until then its lines stay whole). */
	if (name && name[0] && !strcmp(target->name, name)) {
		vm_console_focus(target);
		focused = true;
	}
	timer_init(&poll_timer, input_poll);
	timer_arm(&poll_timer, tsc_now() + INPUT_POLL_MS * READ_ONCE(tsc_khz));
}
