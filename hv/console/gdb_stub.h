/* A GDB Remote Serial Protocol stub for one VM's vCPUs (its threads), on
 * a serial port of its own (`gdb=com2`). See docs/gdb.md. */
#pragma once

#include "lib/compiler.h"

struct vm;

/* At boot, before the VMs run: serve gdb on the UART at `port` (0: no
 * stub), its target the VM whose line says debug=, which debug=wait holds
 * at its first instruction until gdb lets it go. Logs what it could not. */
void gdb_boot(uint16_t port, struct vm *vms, size_t n);

/* Make `vm` the VM gdb debugs from its next attach (the monitor's `gdb VM`);
 * false while gdb is attached to another. */
bool gdb_set_target(struct vm *vm);

/* Take what gdb sent and move a stop or continue along; from the
 * console's poll. No-op unless the stub serves a line. True if gdb sent
 * anything (more may follow at once). */
bool gdb_poll(void);

/* Whether gdb may have the console's line (Ctrl-] g): no session is
 * attached on the stub's own port. */
bool gdb_line_available(void);

/* Serve gdb on the console's UART at `port` until it detaches (or, before
 * gdb connects, a Ctrl-] comes); the line then goes back to the log. */
void gdb_take_line(uint16_t port);
