/* The multiboot2 header GRUB looks for: ask for the memory map, the command
 * line, the modules (page aligned) and the ACPI RSDP, and where there is
 * one (an optional request: a BIOS has none) the EFI memory map and system
 * table. */
#include "lib/multiboot2.h"

	.section .multiboot2, "a"
	.balign MB2_HEADER_ALIGN
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	MB2_HEADER_CHECKSUM(MB2_ARCH_I386, mb2_header_end - mb2_header)

	.balign MB2_HEADER_ALIGN
info_request:
	.word	MB2_HEADER_TAG_INFO_REQUEST, 0
	.long	info_request_end - info_request
	.long	MB2_TAG_CMDLINE, MB2_TAG_MODULE, MB2_TAG_MMAP
	.long	MB2_TAG_ACPI_OLD, MB2_TAG_ACPI_NEW
info_request_end:

	.balign MB2_HEADER_ALIGN
efi_request:
	.word	MB2_HEADER_TAG_INFO_REQUEST, MB2_HEADER_TAG_OPTIONAL
	.long	efi_request_end - efi_request
	.long	MB2_TAG_EFI_MMAP, MB2_TAG_EFI64
efi_request_end:

	.balign MB2_HEADER_ALIGN
	.word	MB2_HEADER_TAG_MODULE_ALIGN, 0
	.long	8

	.balign MB2_HEADER_ALIGN
	.word	MB2_HEADER_TAG_END, 0
	.long	8
mb2_header_end:
