/* Multiboot2 specification (version 2.0): the header a loader looks for in
 * the image, and the boot information block it hands over in EBX. Usable
 * from assembly (constants only) and from C (constants and layouts). */
#pragma once

/* The OS image header: 8-byte aligned within the image's first 32 KiB. */
#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_HEADER_ALIGN	8
#define MB2_SEARCH_LIMIT	32768
#define MB2_ARCH_I386		0
#define MB2_ARCH_MIPS32		4

/* Checksum field value: magic + architecture + length + checksum == 0 (mod 2^32). */
#define MB2_HEADER_CHECKSUM(arch, length) \
	(-(MB2_HEADER_MAGIC + (arch) + (length)))

/* Header tag types; a header tag is {u16 type, u16 flags, u32 size}. */
#define MB2_HEADER_TAG_END			0
#define MB2_HEADER_TAG_INFO_REQUEST		1
#define MB2_HEADER_TAG_ADDRESS			2
#define MB2_HEADER_TAG_ENTRY_ADDRESS		3
#define MB2_HEADER_TAG_CONSOLE_FLAGS		4
#define MB2_HEADER_TAG_FRAMEBUFFER		5
#define MB2_HEADER_TAG_MODULE_ALIGN		6
#define MB2_HEADER_TAG_EFI_BS			7
#define MB2_HEADER_TAG_ENTRY_ADDRESS_EFI32	8
#define MB2_HEADER_TAG_ENTRY_ADDRESS_EFI64	9
#define MB2_HEADER_TAG_RELOCATABLE		10

/* Header tag flag: the loader may boot the image without honouring the tag. */
#define MB2_HEADER_TAG_OPTIONAL	1

/* EAX at entry when a multiboot2 loader started the image. */
#define MB2_BOOT_MAGIC		0x36d76289

/* Boot information: {u32 total_size, u32 reserved}, then tags, each 8-byte
 * aligned, ending with an end tag. A tag is {u32 type, u32 size, payload}. */
#define MB2_TAG_ALIGN		8
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_BOOTDEV		5
#define MB2_TAG_MMAP		6
#define MB2_TAG_VBE		7
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_ELF_SECTIONS	9
#define MB2_TAG_APM		10
#define MB2_TAG_EFI32		11
#define MB2_TAG_EFI64		12
#define MB2_TAG_SMBIOS		13
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_TAG_NETWORK		16
#define MB2_TAG_EFI_MMAP	17
#define MB2_TAG_EFI_BS		18
#define MB2_TAG_EFI32_IH	19
#define MB2_TAG_EFI64_IH	20
#define MB2_TAG_LOAD_BASE_ADDR	21

/* Memory map entry types. */
#define MB2_MEMORY_AVAILABLE		1
#define MB2_MEMORY_RESERVED		2
#define MB2_MEMORY_ACPI_RECLAIMABLE	3
#define MB2_MEMORY_NVS			4
#define MB2_MEMORY_BADRAM		5

#ifndef __ASSEMBLY__

#include "lib/compiler.h"

struct mb2_header {
	uint32_t magic;
	uint32_t architecture;
	uint32_t header_length;
	uint32_t checksum;
};
static_assert(sizeof(struct mb2_header) == 16, "multiboot2 header layout");

struct mb2_header_tag {
	uint16_t type;
	uint16_t flags;
	uint32_t size;
};
static_assert(sizeof(struct mb2_header_tag) == 8, "multiboot2 header tag layout");

/* Start of the boot information block. */
struct mb2_info_header {
	uint32_t total_size;
	uint32_t reserved;
};
static_assert(sizeof(struct mb2_info_header) == 8, "multiboot2 info layout");

struct mb2_tag {
	uint32_t type;
	uint32_t size;	/* header and payload, without the padding to 8 */
};
static_assert(sizeof(struct mb2_tag) == 8, "multiboot2 tag layout");

/* MB2_TAG_CMDLINE, MB2_TAG_LOADER_NAME. */
struct mb2_tag_string {
	struct mb2_tag tag;
	char string[];	/* NUL-terminated */
};
static_assert(sizeof(struct mb2_tag_string) == 8, "multiboot2 string tag layout");

struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start;
	uint32_t mod_end;	/* first byte past the module */
	char string[];		/* NUL-terminated */
};
static_assert(sizeof(struct mb2_tag_module) == 16, "multiboot2 module tag layout");

struct mb2_mmap_entry {
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;		/* MB2_MEMORY_* */
	uint32_t reserved;
};
static_assert(sizeof(struct mb2_mmap_entry) == 24, "multiboot2 mmap entry layout");

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size;	/* may grow in later versions: step by it */
	uint32_t entry_version;
	/* entries of entry_size bytes follow */
};
static_assert(sizeof(struct mb2_tag_mmap) == 16, "multiboot2 mmap tag layout");

/* MB2_TAG_EFI64: the 64-bit EFI system table's physical address. */
struct mb2_tag_efi64 {
	struct mb2_tag tag;
	uint64_t pointer;
};
static_assert(sizeof(struct mb2_tag_efi64) == 16, "multiboot2 EFI64 tag layout");

/* MB2_TAG_EFI_MMAP: the map GetMemoryMap() returned as the loader exited
 * boot services, as the firmware laid it out. */
struct mb2_tag_efi_mmap {
	struct mb2_tag tag;
	uint32_t descriptor_size;	/* may exceed the struct's: step by it */
	uint32_t descriptor_version;
	/* descriptors (lib/efi.h) of descriptor_size bytes follow */
};
static_assert(sizeof(struct mb2_tag_efi_mmap) == 16, "multiboot2 EFI mmap tag layout");

/* MB2_TAG_ACPI_OLD (RSDP v1, 20 bytes), MB2_TAG_ACPI_NEW (RSDP v2+, 36 bytes). */
struct mb2_tag_rsdp {
	struct mb2_tag tag;
	uint8_t rsdp[];
};
static_assert(sizeof(struct mb2_tag_rsdp) == 8, "multiboot2 RSDP tag layout");

#endif /* __ASSEMBLY__ */
