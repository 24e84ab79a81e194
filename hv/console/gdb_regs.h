/* The registers the GDB stubs show, in the order of the target description
 * (gdb_target.h): a stopped CPU's state in one neutral form, whether a
 * paused vCPU's or the panicked hypervisor's, encoded in one place. */
#pragma once

#include "lib/compiler.h"

struct vcpu;

/* Registers in the description's order. */
#define GDB_NR_REGS	64

/* What the description shows besides the unavailable x87 and SSE state. */
struct gdb_regs {
	uint64_t gpr[16];	/* gdb's order: rax rbx rcx rdx rsi rdi rbp rsp r8..r15 */
	uint64_t rip, rflags;
	uint16_t selector[6];	/* cs ss ds es fs gs */
	uint64_t fs_base, gs_base;
	uint64_t cr0, cr2, cr3, cr4, efer;
};

/* The registers of the paused `v`. */
void gdb_regs_of_vcpu(struct vcpu *v, struct gdb_regs *out);

/* Register `n` of `r` as hex into `out` (room for 2 x 32 + 1): target
 * byte order, 'x' digits when unavailable; false past the last. */
bool gdb_reg_read(const struct gdb_regs *r, unsigned n, char *out);

/* Set register `n` of the paused `v` from `hex` (its full width); only
 * the GPRs, rip and eflags can be written. False otherwise, nothing set. */
bool gdb_reg_write(struct vcpu *v, unsigned n, const char *hex);

/* `G`: all registers from `hex`, in the `g` reply's layout. The GPRs,
 * rip and eflags are checked as gdb_reg_write checks them; every other
 * register must come back as it is (the unavailable ones are ignored).
 * False, nothing set, unless all of it holds. */
bool gdb_regs_write_all(struct vcpu *v, const char *hex);

/* All registers, as a `g` reply, into `out` (room for GDB_G_REPLY_MAX). */
#define GDB_G_REPLY_MAX	1200
void gdb_regs_read_all(const struct gdb_regs *r, char *out);
