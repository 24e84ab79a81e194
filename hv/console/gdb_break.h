/* The GDB stub's breakpoints and watchpoints (`Z`/`z` packets), kept in the
 * target VM's struct vm_debug (hv/vcpu_debug.h): int3s patched into guest
 * memory with the bytes they cover kept to put back, and the hardware
 * slots (DR0-DR3 and their DR7 fields). Changed only while the VM is
 * paused; the vCPUs take the change when they next run. */
#pragma once

#include "hv/vcpu.h"

struct vm_debug;

/* `Z`/`z` with `p` after the letter ("TYPE,ADDR,KIND"), memory reached
 * through `v`'s page tables: the reply ("OK", "" for a type not offered,
 * "E01" for a bad packet or no free slot, "E14" for memory that does not
 * translate). */
const char *gdb_break_packet(struct vm_debug *d, struct vcpu *v, const char *p, bool insert);

/* Take every breakpoint and watchpoint out, guest memory as it was. */
void gdb_break_clear(struct vm_debug *d, struct vcpu *v);

/* What `len` bytes read at `addr` were before int3s went in over them. */
void gdb_break_unpatch(const struct vm_debug *d, uint64_t addr, uint8_t *buf, size_t len);

/* How a stop at hardware slot address `addr` reads in a stop reply:
 * "watch" (writes), "awatch" (any access) or "hwbreak". */
const char *gdb_break_hw_kind(const struct vm_debug *d, uint64_t addr);
