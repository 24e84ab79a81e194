/* The monitor's command line: line editing, the command tables, help and
 * usage, argument decoding shared by the commands, and commands that wait
 * for VMs (hv/console/monitor.h). It runs in the console's poll timer on
 * the boot CPU, so a command never spins waiting for a vCPU (which may
 * need this very CPU); it polls instead (mon_wait()). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/tsc.h"
#include "hv/console/monitor.h"
#include "hv/console/monitor_cmd.h"
#include "hv/console/mux.h"
#include "hv/vm.h"

#define LINE_MAX	160
#define ARGS_MAX	8
#define PROMPT		"hv> "

static char line[LINE_MAX];
static unsigned line_len;
static struct {
	bool (*done)(void *ctx);
	void (*finish)(void *ctx, bool ok);
	void *ctx;
	uint64_t deadline;		/* TSC */
} waiting;

static void (*mon_out)(const char *s, size_t n) = mux_monitor_write;	/* see monitor_run() */
static const struct mon_cmd help_cmds[];
static const struct mon_cmd *const tables[] = { help_cmds, mon_vm_cmds, mon_mem_cmds,
						 mon_host_cmds };

void mon_printf(const char *fmt, ...)
{
	char out[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	mon_out(out, MIN((size_t)n, sizeof(out) - 1));
}

static const struct mon_cmd *cmd_find(const char *name)
{
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (const struct mon_cmd *c = tables[t]; c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

static void usage(const struct mon_cmd *c)
{
	mon_printf("usage: %s%s%s\n", c->name, c->args[0] ? " " : "", c->args);
}

static enum mon_result help(int argc, char **argv)
{
	const struct mon_cmd *c;

	if (argc == 2) {
		c = cmd_find(argv[1]);
		if (!c) {
			mon_printf("help: no command '%s'\n", argv[1]);
			return MON_USAGE;
		}
		usage(c);
		mon_printf("  %s\n", c->summary);
		return MON_DONE;
	}
	mon_printf("commands (VM: a name or the number `vms` shows; numbers decimal or 0x hex):\n");
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (c = tables[t]; c->name; c++)
			mon_printf("  %-8s %-18s %s\n", c->name, c->args, c->summary);
	return MON_DONE;
}

static const struct mon_cmd help_cmds[] = {
	{ "help", "[COMMAND]", "this list, or one command's usage", 0, 1, help },
	{ 0 },
};

struct vm *mon_vm(const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	for (size_t i = 1; i <= mux_vm_count(); i++)
		if (!strcmp(mux_vm(i)->name, arg))
			return mux_vm(i);
	if (*arg && !*end && mux_vm(n))
		return mux_vm(n);
	mon_printf("no VM '%s' (VMs are 1..%zu or their names; `vms` lists them)\n", arg,
		   mux_vm_count());
	return NULL;
}

bool mon_number(const char *arg, const char *what, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long n = strtoull(arg, &end, 0);

	if (!*arg || *end || arg[0] == '-') {
		mon_printf("%s: '%s' is not a number\n", what, arg);
		return false;
	}
	if (n > max) {
		mon_printf("%s: %s is more than %#llx\n", what, arg, (unsigned long long)max);
		return false;
	}
	*out = n;
	return true;
}

bool mon_vm_lock(struct vm *vm)
{
	spin_lock(&vm->input_lock);
	if (vm->nr_vcpus)
		return true;
	spin_unlock(&vm->input_lock);
	mon_printf("vm %s is not running\n", vm->name);
	return false;
}

void mon_vm_unlock(struct vm *vm)
{
	spin_unlock(&vm->input_lock);
}

struct vcpu *mon_paused_vcpu(struct vm *vm, const char *arg)
{
	uint64_t id = 0;
	struct vcpu *v;

	if (arg && !mon_number(arg, "VCPU", vm->nr_vcpus - 1, &id))
		return NULL;
	v = &vm->vcpus[id];
	if (__atomic_load_n(&v->state, __ATOMIC_SEQ_CST) != VCPU_PAUSED) {
		mon_printf("vm %s vcpu%u is not paused (its registers change as it runs): "
			   "`pause %s` first\n", vm->name, v->id, vm->name);
		return NULL;
	}
	return v;
}

void mon_wait(bool (*done)(void *ctx), void (*finish)(void *ctx, bool ok), void *ctx)
{
	waiting.done = done;
	waiting.finish = finish;
	waiting.ctx = ctx;
	waiting.deadline = tsc_now() + MON_WAIT_MS * READ_ONCE(tsc_khz);
}

bool monitor_busy(void)
{
	return waiting.done != NULL;
}

void monitor_poll(void)
{
	bool ok;

	if (!waiting.done)
		return;
	ok = waiting.done(waiting.ctx);
	if (!ok && tsc_now() < waiting.deadline)
		return;
	waiting.done = NULL;
	waiting.finish(waiting.ctx, ok);
	mon_printf(PROMPT);
}

void monitor_enter(void)
{
	mon_printf(waiting.done ? "(a command is at work)\n" : PROMPT);
	if (!waiting.done && line_len)
		mux_monitor_write(line, line_len);
}

/* Split `text` (changed in place) into words and run its command. */
static void run_line(char *text)
{
	char *argv[ARGS_MAX + 1], *save;
	const struct mon_cmd *c;
	int argc = 0;

	for (char *w = strtok_r(text, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (argc == ARGS_MAX + 1) {
			mon_printf("too many words (at most %d)\n", ARGS_MAX + 1);
			return;
		}
		argv[argc++] = w;
	}
	if (!argc)
		return;
	c = cmd_find(argv[0]);
	if (!c) {
		mon_printf("no command '%s'; `help` lists them\n", argv[0]);
		return;
	}
	if ((unsigned)argc - 1 < c->min_args || (unsigned)argc - 1 > c->max_args) {
		usage(c);
		return;
	}
	switch (c->run(argc, argv)) {
	case MON_DONE:
		break;
	case MON_USAGE:
		usage(c);
		break;
	case MON_WAIT:
		return;
	}
}

void monitor_input(uint8_t c)
{
	static bool after_cr;		/* a terminal may send CR LF for Enter */
	bool lf_of_crlf = c == '\n' && after_cr;

	after_cr = c == '\r';
	if (lf_of_crlf)
		return;
	if (c == '\r' || c == '\n') {
		mon_printf("\n");
		line[line_len] = '\0';
		run_line(line);
		line_len = 0;
		if (!waiting.done)
			mon_printf(PROMPT);
	} else if (c == 0x7f || c == '\b') {
		if (line_len) {
			line_len--;
			mon_printf("\b \b");
		}
	} else if (c == 0x15) {			/* Ctrl-U: the whole line */
		for (; line_len; line_len--)
			mon_printf("\b \b");
	} else if (c >= 0x20 && c < 0x7f && line_len < LINE_MAX - 1) {
		line[line_len++] = (char)c;
		mux_monitor_write((const char *)&c, 1);
	}
}

void monitor_run(const char *text, void (*out)(const char *s, size_t n))
{
	char copy[LINE_MAX];

	if (waiting.done) {
		out("the monitor is busy with a command\n", 35);
		return;
	}
	snprintf(copy, sizeof(copy), "%s", text);
	mon_out = out;
	run_line(copy);
	mon_out = mux_monitor_write;
}
