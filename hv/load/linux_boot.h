/* The Linux x86 boot protocol (Documentation/arch/x86/boot.rst): where
 * the setup header and the zero page (struct boot_params) keep the fields
 * the loader reads and writes. Offsets are from the start of the image,
 * which is also the start of the zero page. */
#pragma once

#include "lib/compiler.h"

#define LINUX_SETUP_SECTS	0x1f1	/* u8: 512-byte setup sectors (0 means 4) */
#define LINUX_SYSSIZE		0x1f4	/* u32: protected-mode code in 16-byte units */
#define LINUX_BOOT_FLAG		0x1fe	/* u16: 0xaa55 */
#define LINUX_HEADER_END	0x201	/* u8: header length past LINUX_HEADER */
#define LINUX_HEADER		0x202	/* u32: "HdrS" */
#define LINUX_VERSION		0x206	/* u16: protocol version, major << 8 | minor */
#define LINUX_TYPE_OF_LOADER	0x210	/* u8 */
#define LINUX_LOADFLAGS		0x211	/* u8 */
#define LINUX_CODE32_START	0x214	/* u32: the 32-bit entry point */
#define LINUX_RAMDISK_IMAGE	0x218	/* u32 */
#define LINUX_RAMDISK_SIZE	0x21c	/* u32 */
#define LINUX_CMD_LINE_PTR	0x228	/* u32 */
#define LINUX_INITRD_ADDR_MAX	0x22c	/* u32: highest byte an initrd may use */
#define LINUX_KERNEL_ALIGNMENT	0x230	/* u32 */
#define LINUX_RELOCATABLE	0x234	/* u8 */
#define LINUX_XLOADFLAGS	0x236	/* u16 */
#define LINUX_CMDLINE_SIZE	0x238	/* u32: longest command line, NUL excluded */
#define LINUX_PREF_ADDRESS	0x258	/* u64 (2.10+) */
#define LINUX_INIT_SIZE		0x260	/* u32: memory the kernel needs from its load address (2.10+) */

#define LINUX_ACPI_RSDP_ADDR	0x070	/* u64 in boot_params (2.14+) */
#define LINUX_E820_ENTRIES	0x1e8	/* u8 in boot_params */
#define LINUX_E820_TABLE	0x2d0	/* struct linux_e820_entry[LINUX_E820_MAX] */
#define LINUX_E820_MAX		128
#define LINUX_ZERO_PAGE_SIZE	0x1000

#define LINUX_HDRS_MAGIC	0x53726448	/* "HdrS" */
#define LINUX_BOOT_FLAG_MAGIC	0xaa55
#define LINUX_LOADED_HIGH	(1u << 0)	/* loadflags: the kernel runs at 1 MiB or above */
#define LINUX_XLF_KERNEL_64	(1u << 0)	/* xloadflags: has the 64-bit entry */
#define LINUX_LOADER_UNKNOWN	0xff		/* type_of_loader: no assigned ID */
#define LINUX_PROTOCOL_MIN	0x206		/* cmdline_size, the oldest loaded */
#define LINUX_PROTOCOL_SIZES	0x20a		/* pref_address and init_size exist */
#define LINUX_DEFAULT_LOAD	0x100000	/* where a non-relocatable kernel runs */

struct linux_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __packed;
static_assert(sizeof(struct linux_e820_entry) == 20, "e820 entry layout");
static_assert(LINUX_E820_TABLE + LINUX_E820_MAX * 20 <= LINUX_ZERO_PAGE_SIZE, "e820 table fits");
