/* Always-on invariant checks (the memory core's MMU rules, lock modes):
 * cheap enough to keep in every build, fatal because a broken invariant
 * corrupts guests. */
#pragma once

#include "lib/log.h"

/* Stop with file, line and the failed condition when `cond` holds. */
#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("%s:%d: BUG: %s", __FILE__, __LINE__, #cond); \
	} while (0)
