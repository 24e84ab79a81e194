/* Guest kernel loader: put a VM's kernel image, its modules and the boot
 * information it expects into the VM's guest RAM, and say how to start it.
 * Pure logic on host buffers; docs/guests.md is the guest writer's view. */
#pragma once

#include "lib/compiler.h"

#define GUEST_RAM_MIN		MiB(2)	/* vm_config's smallest mem, rounded */
#define GUEST_RAM_MAX		GiB(4)	/* multiboot addresses are 32-bit */
#define GUEST_MODULES_MAX	8	/* role=module lines per VM */
#define GUEST_FLAT_MAX		KiB(64)	/* a flat binary ends at 1 MiB, within CS */

/* The reset state a GUEST_REAL_MODE guest starts in: CS selector 0xF000,
 * CS base 0xF0000 (the 1 MiB alias of the reset vector), IP 0xFFF0, so the
 * first instruction is at guest-physical 0xFFFF0. */
#define GUEST_RESET_CS_SELECTOR	0xF000
#define GUEST_RESET_CS_BASE	0xF0000
#define GUEST_RESET_IP		0xFFF0

/* What a VM's kernel image is, as its kind= option names it. */
enum vm_kind {
	VM_KIND_AUTO,		/* bzImage, else multiboot2 header, else multiboot1 */
	VM_KIND_MULTIBOOT,
	VM_KIND_MULTIBOOT2,
	VM_KIND_FLAT,		/* real-mode binary started at the reset vector */
	VM_KIND_LINUX,		/* bzImage by the Linux x86 boot protocol */
};

enum guest_mode {
	/* Real mode at the reset vector (GUEST_RESET_*), other registers as
	 * after INIT; rax/rbx are 0. */
	GUEST_REAL_MODE,
	/* Multiboot entry state: CR0.PE=1, paging off, CS a 32-bit flat
	 * execute/read segment, DS/ES/FS/GS/SS 32-bit flat read/write,
	 * EFLAGS.IF=0 and VM=0, EIP = rip, EAX = rax (boot magic),
	 * EBX = rbx (guest-physical address of the boot information),
	 * ESI = rsi (Linux: the zero page). */
	GUEST_PROTECTED_FLAT,
};

struct guest_entry {
	enum guest_mode mode;
	enum vm_kind kind;	/* what was loaded: never VM_KIND_AUTO */
	uint64_t rip;
	uint64_t rax;
	uint64_t rbx;
	uint64_t rsi;
};

struct guest_module {
	const void *data;
	size_t size;		/* must not be 0 */
	const char *string;	/* given to the guest; NULL means "" */
};

struct guest_kernel {
	enum vm_kind kind;	/* VM_KIND_AUTO: multiboot2 header, else multiboot1 */
	const void *image;
	size_t image_size;
	const char *cmdline;	/* NULL means "" */
	const struct guest_module *modules;
	size_t module_count;	/* at most GUEST_MODULES_MAX */
	const void *initrd;	/* Linux only */
	size_t initrd_size;	/* 0: none */
};

/* Load `kernel` into the guest RAM at `ram`, which holds guest-physical
 * [0, ram_size) and which the caller has zeroed; fill *entry. Returns 0, or
 * -1 with "guest_load: <reason>" in err, in which case ram is untouched. */
int guest_load(uint8_t *ram, uint64_t ram_size, const struct guest_kernel *kernel,
	       struct guest_entry *entry, char *err, size_t errlen);
