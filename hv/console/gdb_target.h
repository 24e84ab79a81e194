/* The target description both GDB stubs serve (the vCPUs', the panicked
 * hypervisor's): one fixed 64-bit register set whatever mode the code
 * is in, so the size of a `g` reply never changes under gdb. x87 and SSE
 * state is described (gdb requires it) but reported unavailable. */
#pragma once

#include "lib/compiler.h"

/* The reply to `qXfer:features:read:ANNEX` (ANNEX is `target.xml:OFF,LEN`)
 * into `reply` (room for GDB_PACKET_MAX + 1): a chunk, or E00 for another
 * document, E01 for a bad range. */
void gdb_target_read(const char *annex, char *reply);
