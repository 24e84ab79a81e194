/* The multiboot2 header: link it instead of mb1_header.S to make a multiboot2
 * kernel (GRUB's `multiboot2`, the hypervisor's v2 path). ELF-loaded: only the
 * end tag. */
#include "lib/multiboot2.h"

	.section .multiboot, "a"
	.balign MB2_HEADER_ALIGN
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long MB2_HEADER_CHECKSUM(MB2_ARCH_I386, mb2_header_end - mb2_header)
	.balign 8
	.short MB2_HEADER_TAG_END
	.short 0
	.long 8
mb2_header_end:
