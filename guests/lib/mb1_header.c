/* The multiboot v1 header: link it into a guest to make a multiboot v1 kernel
 * (QEMU -kernel loads these directly). ELF-loaded, so no address fields. */
#include "lib/multiboot1.h"

#define MB1_FLAGS	(MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY_INFO)

__section(".multiboot") __attribute__((used, aligned(MB1_HEADER_ALIGN)))
static const struct mb1_header mb1_header = {
	.magic = MB1_HEADER_MAGIC,
	.flags = MB1_FLAGS,
	.checksum = -(MB1_HEADER_MAGIC + MB1_FLAGS),
};
