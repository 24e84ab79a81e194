/* The multiboot2 header GRUB looks for: ask for the memory map, the command
 * line, the modules (page aligned) and the ACPI RSDP. EFI boot tags go here
 * when UEFI boot arrives. */
#define MB2_MAGIC        0xe85250d6
#define MB2_ARCH_I386    0
#define MB2_TAG_END      0
#define MB2_TAG_INFO_REQ 1
#define MB2_TAG_MOD_ALIGN 6

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	.balign 8
info_request:
	.word	MB2_TAG_INFO_REQ, 0
	.long	info_request_end - info_request
	.long	1, 3, 6, 14, 15		/* cmdline, modules, mmap, ACPI 1.0 and 2.0 RSDP */
info_request_end:

	.balign 8
	.word	MB2_TAG_MOD_ALIGN, 0
	.long	8

	.balign 8
	.word	MB2_TAG_END, 0
	.long	8
mb2_header_end:
