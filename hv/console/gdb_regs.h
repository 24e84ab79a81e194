/* The registers the GDB stub shows: one fixed 64-bit description
 * (served as target.xml) whatever mode the guest is in, so the size of a
 * `g` reply never changes under gdb. x87 and SSE state is described (gdb
 * requires it) but reported unavailable. */
#pragma once

#include "lib/compiler.h"

struct vcpu;

/* The target description, for qXfer:features:read:target.xml. */
extern const char gdb_target_xml[];

/* Registers in the description's order. */
#define GDB_NR_REGS	64

/* Register `n` of the paused `v` as hex into `out` (room for 2 x 32 + 1):
 * target byte order, 'x' digits when unavailable; false past the last. */
bool gdb_reg_read(struct vcpu *v, unsigned n, char *out);

/* Set register `n` of the paused `v` from `hex` (its full width); only
 * the GPRs, rip and eflags can be written. False otherwise, nothing set. */
bool gdb_reg_write(struct vcpu *v, unsigned n, const char *hex);

/* All registers, as a `g` reply, into `out` (room for GDB_G_REPLY_MAX). */
#define GDB_G_REPLY_MAX	1200
void gdb_regs_read_all(struct vcpu *v, char *out);
