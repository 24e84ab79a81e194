/* Guest kernel loader: put a VM's kernel image, its modules and the boot
 * information it expects into the VM's guest RAM, and say how to start it.
 * Pure logic on host buffers; docs/guests.md is the guest writer's view. */
#pragma once

#include "lib/compiler.h"

#define GUEST_RAM_MIN		MiB(2)	/* vm_config's smallest mem, rounded */
#define GUEST_PCI_HOLE		GiB(3)	/* [3 GiB, 4 GiB): MMIO, never RAM */
#define GUEST_HIGH_RAM		GiB(4)	/* where RAM beyond 3 GiB continues */
#define GUEST_MODULES_MAX	8	/* role=module lines per VM */
#define GUEST_FLAT_MAX		KiB(64)	/* a flat binary ends at 1 MiB, within CS */

/* The reset state a GUEST_REAL_MODE guest starts in: CS selector 0xF000,
 * CS base 0xF0000 (the 1 MiB alias of the reset vector), IP 0xFFF0, so the
 * first instruction is at guest-physical 0xFFFF0. */
#define GUEST_RESET_CS_SELECTOR	0xF000
#define GUEST_RESET_CS_BASE	0xF0000
#define GUEST_RESET_IP		0xFFF0

/* Every VM's ACPI tables (guest_acpi_build) lie in the reserved hole below
 * 1 MiB, below where a flat binary may go: the RSDP first, where a scan of
 * [0xe0000, 0x100000) finds it. */
#define GUEST_ACPI_RSDP		0xe0000
#define GUEST_ACPI_END		0xf0000
#define GUEST_ACPI_VCPUS_MAX	254	/* local APIC entries hold 8-bit IDs */

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

/* A VM's RAM as pieces of host memory: `size` bytes at guest-physical
 * [0, min(size, 3 GiB)) and, for the rest, from 4 GiB up. Each piece backs
 * one guest-physical range; in address order they cover all of it. */
struct guest_ram_piece {
	uint64_t gpa;
	uint64_t bytes;
	uint8_t *host;
};

struct guest_ram {
	uint64_t size;
	size_t nr_pieces;
	const struct guest_ram_piece *pieces;
};

/* The RAM below the PCI hole, which every loader places things in. */
static inline uint64_t guest_ram_low(uint64_t size)
{
	return MIN(size, GUEST_PCI_HOLE);
}

/* Where guest RAM byte number `offset` (0 .. size-1) is: the hole skipped. */
static inline uint64_t guest_ram_gpa(uint64_t offset)
{
	return offset < GUEST_PCI_HOLE ? offset : offset - GUEST_PCI_HOLE + GUEST_HIGH_RAM;
}

/* Copy `len` bytes of `src` (NULL: zeros) to guest RAM at `gpa`, across
 * pieces; [gpa, gpa + len) must be RAM. */
void guest_ram_write(const struct guest_ram *ram, uint64_t gpa, const void *src, uint64_t len);

/* Load `kernel` into `ram`, which the caller has zeroed; fill *entry.
 * Returns 0, or -1 with "guest_load: <reason>" in err, in which case ram
 * is untouched. */
int guest_load(const struct guest_ram *ram, const struct guest_kernel *kernel,
	       struct guest_entry *entry, char *err, size_t errlen);

/* Write the ACPI tables of a VM with `vcpus` vCPUs (1..GUEST_ACPI_VCPUS_MAX,
 * APIC IDs 0..vcpus-1) into its zeroed guest RAM, at GUEST_ACPI_RSDP.
 * Returns 0, or -ENOMEM (nothing written). */
int guest_acpi_build(const struct guest_ram *ram, unsigned vcpus);
