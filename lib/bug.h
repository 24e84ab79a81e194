/* Always-on invariant checks for the memory core: cheap enough to keep in
 * every build, fatal because a broken MMU invariant corrupts guests. */
#pragma once

#include "lib/log.h"

/* Stop with file, line and the failed condition when `cond` holds. */
#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("%s:%d: BUG: %s", __FILE__, __LINE__, #cond); \
	} while (0)
