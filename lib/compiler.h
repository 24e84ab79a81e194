/* Compiler helpers shared by every room (hypervisor and host unit tests). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifndef static_assert
#define static_assert _Static_assert
#endif

#ifndef __packed
#define __packed        __attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(x)    __attribute__((aligned(x)))
#endif
#ifndef __noreturn
#define __noreturn      __attribute__((noreturn))
#endif
#ifndef __unused
#define __unused        __attribute__((unused))
#endif
#ifndef __printf
#define __printf(f, a)  __attribute__((format(printf, f, a)))
#endif
#ifndef __section
#define __section(s)    __attribute__((section(s)))
#endif

#define likely(x)       __builtin_expect(!!(x), 1)
#define unlikely(x)     __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)  ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))

#define KiB(x)          ((uint64_t)(x) << 10)
#define MiB(x)          ((uint64_t)(x) << 20)
#define GiB(x)          ((uint64_t)(x) << 30)

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

/* Single-copy atomic accesses the compiler may neither tear nor fuse. */
#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define barrier()       __asm__ volatile("" ::: "memory")
