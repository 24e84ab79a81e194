/* A boot module as the VM core takes it: an image the loader placed in
 * host memory and the arguments of its module2 line (boot/ fills them
 * from the multiboot2 information). */
#pragma once

#include "lib/compiler.h"

struct boot_module {
	uint64_t start;
	uint64_t end;		/* first byte past the module */
	const char *string;	/* the module2 line's arguments, inside the info block */
};
