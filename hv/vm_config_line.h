/* One module2 line's VM settings, checked on their own; hv/vm_config.c then
 * checks the lines against each other. Internal to the VM configuration. */
#pragma once

#include "hv/vm_config.h"

enum vm_role { VM_ROLE_KERNEL, VM_ROLE_MODULE, VM_ROLE_INITRD };

struct vm_line {
	size_t index;			/* the module's position, for messages */
	char name[VM_NAME_MAX + 1];	/* "" when vm= is missing or invalid */
	enum vm_role role;
	uint64_t mem;			/* rounded up to VM_MEM_ALIGN */
	unsigned vcpus;
	unsigned nr_cpus;
	uint16_t cpus[VM_VCPUS_MAX];
	enum vm_kind kind;
	bool restart_on_reboot;		/* on_reboot=restart */
	bool restart_on_exit;		/* on_exit=restart */
	enum vm_debug_mode debug;
	bool hyperv;			/* hyperv=on */
	bool apicv_off;			/* apicv=off */
	const char *tail;		/* the text after " -- ", "" if none */
	bool bad;
	char error[VM_ERROR_MAX];	/* the first problem, "module N: ..." */
};

/* Parse module `index`'s line (a leading "/path" word is skipped) into
 * *out. Parsing goes on after a problem so the VM name is still found;
 * out->bad and out->error report the first problem. */
void vm_line_parse(const char *line, size_t index, struct vm_line *out);

/* The role's name as written after role=. */
const char *vm_role_name(enum vm_role role);
