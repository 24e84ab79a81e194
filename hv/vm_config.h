/* Virtual machine configurations, read from the GRUB module2 lines:
 *
 *   module2 /boot/t.elf vm=NAME mem=32M [vcpus=1] [cpus=0,2-3] [kind=auto]
 *           [on_reboot=end] [on_exit=stop] [debug=off]
 *           [hyperv=off] [apicv=on] -- guest args
 *   module2 /boot/m.bin vm=NAME role=module -- module string
 *   module2 /boot/rd.img vm=NAME role=initrd
 *
 * A mistake makes only its own VM bad (recorded with a reason); the other
 * VMs still run. docs/guests.md is the user's reference. */
#pragma once

#include "hv/boot_module.h"
#include "hv/load/guest_load.h"
#include "lib/compiler.h"

#define VM_NAME_MAX	15		/* characters, from [a-z0-9_-] */
#define VM_MEM_MIN	MiB(1)		/* smallest mem= accepted */
#define VM_MEM_MAX	GiB(1024)	/* largest mem= accepted; free memory decides */
#define VM_MEM_ALIGN	MiB(2)		/* mem= is rounded up to this (NPT/EPT huge pages) */
#define VM_VCPUS_MAX	64
#define VM_MODULES_MAX	GUEST_MODULES_MAX	/* role=module lines per VM */
#define VM_ERROR_MAX	96

/* One boot module a VM uses. */
struct vm_module_ref {
	size_t index;		/* into the boot modules given to vm_configs_parse */
	const char *string;	/* the text after " -- " on its line, "" if none */
};

/* debug=: the GDB stub's target (on), stopped at its first instruction
 * until gdb lets it go (wait). One VM at most. */
enum vm_debug_mode { VM_DEBUG_OFF, VM_DEBUG_ON, VM_DEBUG_WAIT };

struct vm_config {
	char name[VM_NAME_MAX + 1];	/* "" when the bad line named no valid VM */
	uint64_t mem;			/* bytes, a multiple of VM_MEM_ALIGN */
	unsigned vcpus;
	unsigned nr_cpus;		/* cpus=: 0 means spread over all CPUs */
	uint16_t cpus[VM_VCPUS_MAX];	/* vCPU i runs on cpus[i % nr_cpus] */
	enum vm_kind kind;
	bool restart_on_reboot;		/* on_reboot=restart: a reset builds it anew */
	bool restart_on_exit;		/* on_exit=restart: so does an exit or a power-off */
	enum vm_debug_mode debug;
	bool hyperv;			/* hyperv=on: the Hyper-V enlightenments */
	bool apicv_off;			/* apicv=off: never use APIC virtualization */
	struct vm_module_ref kernel;	/* kernel.string is the guest command line */
	size_t module_count;
	struct vm_module_ref modules[VM_MODULES_MAX];	/* in module2 line order */
	bool has_initrd;
	struct vm_module_ref initrd;
	bool bad;			/* do not run: error says why */
	char error[VM_ERROR_MAX];	/* e.g. "module 2: unknown key 'foo'" */
};

/* Turn the `n` boot modules' lines into VM configurations in `out` (in the
 * order their kernel lines appear) and set *count. Every module line
 * yields at most one entry, so `max` must be at least `n`: otherwise
 * returns -1 and parses nothing. Returns 0 otherwise, bad VMs included
 * (their `bad` flag set). The configs point into the modules' strings. */
int vm_configs_parse(const struct boot_module *mods, size_t n,
		     struct vm_config *out, size_t max, size_t *count);

/* The kind's name as written after kind=. */
const char *vm_kind_name(enum vm_kind kind);
