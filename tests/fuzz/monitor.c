/* The monitor's line editor and command line (hv/console/monitor.c), with
 * command tables of its own in place of the VM, memory and host ones. The
 * input is what the operator types; a 0xff byte is a tick of the console's
 * poll instead (time moves a second). Checked: the monitor only ever sends
 * printable text, newlines and the "\b \b" of an erase; a command gets
 * exactly the words of the line as a model of the editor has it, within
 * its table's argument counts; mon_number accepts what strtoull reads, no
 * more than its maximum; a waiting command keeps the monitor busy until it
 * finishes or times out, once. */
#include <stdlib.h>
#include <string.h>

#include "drivers/tsc.h"
#include "hv/console/monitor.h"
#include "hv/console/monitor_cmd.h"
#include "hv/console/mux.h"
#include "tests/fuzz/fuzz.h"

#define LINE_MAX	160		/* monitor.c's */
#define TICK		0xff
#define FAKE_KHZ	1000

uint64_t tsc_khz = FAKE_KHZ;
static uint64_t now;
static char model[LINE_MAX];
static size_t model_len;
static int waits_left;			/* polls until the waiting command is done */
static bool finished;

uint64_t tsc_now(void)
{
	return now;
}

struct vm *mux_vm(size_t number)
{
	return NULL;
}

size_t mux_vm_count(void)
{
	return 0;
}

void mux_monitor_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK((s[i] >= 0x20 && s[i] < 0x7f) || s[i] == '\n' || s[i] == '\b');
}

/* The words of the model's line must be argv. */
static enum mon_result words(int argc, char **argv)
{
	char copy[LINE_MAX], *save, *w;
	int i = 0;

	memcpy(copy, model, model_len);
	copy[model_len] = '\0';
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save), i++)
		FUZZ_CHECK(i < argc && !strcmp(w, argv[i]));
	FUZZ_CHECK(i == argc && argc >= 1 && argc <= 4);
	return argc == 3 ? MON_USAGE : MON_DONE;
}

static enum mon_result number(int argc, char **argv)
{
	uint64_t max = strtoull(argv[2], NULL, 0), value = 0;
	char *end;
	unsigned long long plain = strtoull(argv[1], &end, 0);

	if (mon_number(argv[1], "N", max, &value))
		FUZZ_CHECK(value == plain && value <= max && !*end && argv[1][0] != '-');
	return MON_DONE;
}

static bool wait_done(void *ctx)
{
	return --waits_left <= 0;
}

static void wait_finish(void *ctx, bool ok)
{
	FUZZ_CHECK(!finished);
	finished = true;
}

static enum mon_result wait_cmd(int argc, char **argv)
{
	waits_left = (int)strtoul(argv[1], NULL, 10) % 16;
	finished = false;
	mon_wait(wait_done, wait_finish, NULL);
	return MON_WAIT;
}

const struct mon_cmd mon_vm_cmds[] = {
	{ "words", "[A [B [C]]]", "its words", 0, 3, words },
	{ 0 },
};
const struct mon_cmd mon_mem_cmds[] = {
	{ "number", "N MAX", "mon_number", 2, 2, number },
	{ 0 },
};
const struct mon_cmd mon_host_cmds[] = {
	{ "wait", "POLLS", "mon_wait", 1, 1, wait_cmd },
	{ 0 },
};

/* What the editor should hold after `c`. */
static void model_key(uint8_t c)
{
	if (c == '\r' || c == '\n')
		model_len = 0;
	else if ((c == 0x7f || c == '\b') && model_len)
		model_len--;
	else if (c == 0x15)
		model_len = 0;
	else if (c >= 0x20 && c < 0x7f && model_len < LINE_MAX - 1)
		model[model_len++] = (char)c;
}

/* Time passes until a waiting command is over. */
static void settle(void)
{
	for (unsigned i = 0; monitor_busy(); i++) {
		FUZZ_CHECK(i <= 16 + MON_WAIT_MS / 1000 + 1);
		now += FAKE_KHZ * 1000;
		monitor_poll();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool after_cr = false;

	settle();
	monitor_input(0x15);
	model_len = 0;
	monitor_enter();
	for (size_t i = 0; i < size; i++) {
		uint8_t c = data[i];
		bool lf_of_crlf = c == '\n' && after_cr;

		if (c == TICK || monitor_busy()) {	/* no input is read while it is busy */
			now += FAKE_KHZ * 1000;
			monitor_poll();
			continue;
		}
		after_cr = c == '\r';
		monitor_input(c);	/* at Enter, the command checks argv against the model */
		if (!lf_of_crlf)
			model_key(c);
	}
	settle();
	return 0;
}
