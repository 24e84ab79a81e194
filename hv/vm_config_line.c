/* One module2 line: split it into key=value settings and the guest text
 * after "--", convert and range-check each value. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/vm_config_line.h"
#include "lib/cmdline.h"
#include "lib/cpu.h"

/* Longest key=value setting; longer ones are rejected, not cut. */
#define SETTING_MAX 64

enum vm_key { KEY_VM, KEY_MEM, KEY_VCPUS, KEY_CPUS, KEY_KIND, KEY_ROLE, KEY_ON_REBOOT,
	      KEY_ON_EXIT, KEY_DEBUG, KEY_HYPERV, KEY_APICV };
#define KEY_BIT(k)	(1u << (k))
#define KERNEL_ONLY_KEYS (KEY_BIT(KEY_MEM) | KEY_BIT(KEY_VCPUS) | KEY_BIT(KEY_CPUS) | \
			  KEY_BIT(KEY_KIND) | KEY_BIT(KEY_ON_REBOOT) | KEY_BIT(KEY_ON_EXIT) | \
			  KEY_BIT(KEY_DEBUG) | KEY_BIT(KEY_HYPERV) | KEY_BIT(KEY_APICV))

static const char *const key_names[] = { "vm", "mem", "vcpus", "cpus", "kind", "role",
					 "on_reboot", "on_exit", "debug", "hyperv", "apicv",
					 NULL };
static const char *const on_reboot_names[] = { "end", "restart", NULL };
static const char *const on_exit_names[] = { "stop", "restart", NULL };
static const char *const off_on_names[] = { "off", "on", NULL };
static const char *const debug_names[] = { "off", "on", "wait", NULL };
static_assert(ARRAY_SIZE(debug_names) == VM_DEBUG_WAIT + 2, "a name for every vm_debug_mode");
static const char *const kind_names[] = { "auto", "multiboot", "multiboot2", "flat", "linux",
					  NULL };
static const char *const role_names[] = { "kernel", "module", "initrd", NULL };
static_assert(ARRAY_SIZE(kind_names) == VM_KIND_LINUX + 2, "a name for every vm_kind");
static_assert(ARRAY_SIZE(role_names) == VM_ROLE_INITRD + 2, "a name for every vm_role");

const char *vm_kind_name(enum vm_kind kind)
{
	return kind_names[kind];
}

const char *vm_role_name(enum vm_role role)
{
	return role_names[role];
}

/* Record the line's first problem as "module N: <reason>". */
static __printf(2, 3) void line_fail(struct vm_line *l, const char *fmt, ...)
{
	va_list ap;
	int used;

	if (l->bad)
		return;
	l->bad = true;
	used = snprintf(l->error, sizeof(l->error), "module %zu: ", l->index);
	va_start(ap, fmt);
	vsnprintf(l->error + used, sizeof(l->error) - used, fmt, ap);
	va_end(ap);
}

/* Index of `word` in the NULL-terminated `names`, or -1. */
static int lookup(const char *const *names, const char *word)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], word))
			return i;
	return -1;
}

/* Read the decimal digits at s into *value; returns the first byte after
 * them, or NULL when s does not start with a digit or the number overflows. */
static const char *parse_decimal(const char *s, uint64_t *value)
{
	unsigned long long number;
	char *end;

	/* strtoull alone would take leading spaces, signs and "". */
	if (!isdigit((unsigned char)*s))
		return NULL;
	errno = 0;
	number = strtoull(s, &end, 10);
	if (errno)
		return NULL;
	*value = number;
	return end;
}

/* A whole decimal number with an optional K, M, G or T suffix (either case). */
static bool parse_size(const char *s, uint64_t *out)
{
	const char *suffixes = "KMGT";
	const char *unit;
	unsigned shift = 0;
	uint64_t value;

	s = parse_decimal(s, &value);
	if (!s)
		return false;
	unit = *s ? strchr(suffixes, toupper((unsigned char)*s)) : NULL;
	if (unit) {
		shift = 10 * (unit - suffixes + 1);
		s++;
	}
	if (*s || value > UINT64_MAX >> shift)
		return false;
	*out = value << shift;
	return true;
}

static void set_mem(struct vm_line *l, const char *value)
{
	uint64_t bytes;

	if (!parse_size(value, &bytes))
		line_fail(l, "mem=%.16s is not a size like 32M", value);
	else if (bytes < VM_MEM_MIN)
		line_fail(l, "mem=%.16s is below the minimum 1M", value);
	else if (bytes > VM_MEM_MAX)
		line_fail(l, "mem=%.16s is above the maximum %lluG", value,
			  (unsigned long long)(VM_MEM_MAX >> 30));
	else
		l->mem = ALIGN_UP(bytes, VM_MEM_ALIGN);
}

static void set_vcpus(struct vm_line *l, const char *value)
{
	const char *end;
	uint64_t n;

	end = parse_decimal(value, &n);
	if (!end || *end || n < 1 || n > VM_VCPUS_MAX)
		line_fail(l, "vcpus=%.16s is not a number from 1 to %d", value, VM_VCPUS_MAX);
	else
		l->vcpus = n;
}

/* cpus=LIST: comma-separated CPU numbers and ranges A-B, at most
 * VM_VCPUS_MAX of them, each below MAX_CPUS (whether the CPU is online is
 * known only at boot: vm_create checks). */
static void set_cpus(struct vm_line *l, const char *value)
{
	const char *p = value;

	l->nr_cpus = 0;
	for (;;) {
		uint64_t first, last;

		p = parse_decimal(p, &first);
		last = first;
		if (p && *p == '-')
			p = parse_decimal(p + 1, &last);
		if (!p || first > last || last >= MAX_CPUS) {
			line_fail(l, "cpus=%.16s is not a list like 0,2-3 of CPUs below %d",
				  value, MAX_CPUS);
			return;
		}
		for (uint64_t cpu = first; cpu <= last; cpu++) {
			if (l->nr_cpus == VM_VCPUS_MAX) {
				line_fail(l, "cpus=%.16s names more than %d CPUs", value,
					  VM_VCPUS_MAX);
				return;
			}
			l->cpus[l->nr_cpus++] = cpu;
		}
		if (!*p)
			return;
		if (*p++ != ',') {
			line_fail(l, "cpus=%.16s is not a list like 0,2-3 of CPUs below %d",
				  value, MAX_CPUS);
			return;
		}
	}
}

static void set_name(struct vm_line *l, const char *value)
{
	size_t len = strlen(value);

	if (len < 1 || len > VM_NAME_MAX ||
	    strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_-") != len)
		line_fail(l, "bad VM name '%.16s' (1-15 of a-z 0-9 _ -)", value);
	else
		strcpy(l->name, value);
}

/* The index of `value` in `names`, or -1 with the line reported bad. */
static int choose(struct vm_line *l, const char *key, const char *value,
		  const char *const *names, const char *allowed)
{
	int i = lookup(names, value);

	if (i < 0)
		line_fail(l, "%s=%.16s is not %s", key, value, allowed);
	return i;
}

/* on_reboot= or on_exit=: the second of `names` (restart) sets *restart. */
static void set_restart(struct vm_line *l, const char *key, const char *value,
			const char *const *names, const char *allowed, bool *restart)
{
	int choice = choose(l, key, value, names, allowed);

	if (choice >= 0)
		*restart = choice == 1;
}

/* Apply one key=value setting; `seen` collects the keys given so far. */
static void apply_setting(struct vm_line *l, char *setting, unsigned *seen)
{
	char *value = strchr(setting, '=');
	int key, choice;

	if (!value) {
		line_fail(l, "'%.32s' is not key=value", setting);
		return;
	}
	*value++ = '\0';
	key = lookup(key_names, setting);
	if (key < 0) {
		line_fail(l, "unknown key '%.32s'", setting);
		return;
	}
	if (*seen & KEY_BIT(key)) {
		line_fail(l, "%s= given twice", setting);
		return;
	}
	*seen |= KEY_BIT(key);

	switch ((enum vm_key)key) {
	case KEY_VM:
		set_name(l, value);
		break;
	case KEY_MEM:
		set_mem(l, value);
		break;
	case KEY_VCPUS:
		set_vcpus(l, value);
		break;
	case KEY_CPUS:
		set_cpus(l, value);
		break;
	case KEY_KIND:
		choice = choose(l, setting, value, kind_names, "auto|multiboot|multiboot2|flat|linux");
		if (choice >= 0)
			l->kind = choice;
		break;
	case KEY_ROLE:
		choice = choose(l, setting, value, role_names, "kernel|module|initrd");
		if (choice >= 0)
			l->role = choice;
		break;
	case KEY_ON_REBOOT:
		set_restart(l, setting, value, on_reboot_names, "end|restart",
			    &l->restart_on_reboot);
		break;
	case KEY_ON_EXIT:
		set_restart(l, setting, value, on_exit_names, "stop|restart",
			    &l->restart_on_exit);
		break;
	case KEY_DEBUG:
		choice = choose(l, setting, value, debug_names, "off|on|wait");
		if (choice >= 0)
			l->debug = choice;
		break;
	case KEY_HYPERV:
		choice = choose(l, setting, value, off_on_names, "off|on");
		if (choice >= 0)
			l->hyperv = choice;
		break;
	case KEY_APICV:
		choice = choose(l, setting, value, off_on_names, "off|on");
		if (choice >= 0)
			l->apicv_off = !choice;
		break;
	}
}

/* Checks that need the whole line: required keys and keys out of place. */
static void check_line(struct vm_line *l, unsigned seen)
{
	if (!(seen & KEY_BIT(KEY_VM)))
		line_fail(l, "no vm=NAME");
	else if (l->role == VM_ROLE_KERNEL && !(seen & KEY_BIT(KEY_MEM)))
		line_fail(l, "no mem= (e.g. mem=32M)");
	else if (l->role != VM_ROLE_KERNEL && (seen & KERNEL_ONLY_KEYS))
		line_fail(l, "%s= belongs on the kernel line",
			  key_names[__builtin_ctz(seen & KERNEL_ONLY_KEYS)]);
}

static const char *skip_spaces(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

void vm_line_parse(const char *line, size_t index, struct vm_line *out)
{
	char setting[SETTING_MAX];
	const char *p;
	unsigned seen = 0;
	size_t len;

	memset(out, 0, sizeof(*out));
	out->index = index;
	out->vcpus = 1;
	out->tail = "";
	for (p = skip_spaces(cmdline_skip_path(line)); *p; p = skip_spaces(p + len)) {
		for (len = 0; p[len] && !isspace((unsigned char)p[len]); len++)
			;
		if (len == 2 && !memcmp(p, "--", 2)) {
			out->tail = skip_spaces(p + len);
			break;
		}
		if (len >= sizeof(setting)) {
			line_fail(out, "setting '%.16s...' longer than %d characters",
				  p, SETTING_MAX - 1);
			continue;
		}
		memcpy(setting, p, len);
		setting[len] = '\0';
		apply_setting(out, setting, &seen);
	}
	check_line(out, seen);
}
