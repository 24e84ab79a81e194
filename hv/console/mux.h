/* The console multiplexer: one serial line, many consoles. One of them has
 * focus: the hypervisor log, the monitor, or the COM1 of one VM. The
 * focused VM's output goes to the line raw (its shell's line editing
 * works); every VM's output also goes into its history ring, replayed when
 * it gets focus, and into the log as whole "[NAME] " lines. What reaches
 * the line while something else has focus: docs/console.md. */
#pragma once

#include "lib/log.h"

struct vm;

enum mux_focus { MUX_LOG, MUX_MONITOR, MUX_VM, MUX_GDB };

/* Take the console over for the `n` VMs (numbered 1..n in this order),
 * each with a history ring of `history_bytes`; the log keeps one as big.
 * Call once on the boot CPU, before any VM runs. -1 without memory. */
int mux_start(struct vm *vms, size_t n, size_t history_bytes);

/* The log back end's write: keep the line, show it if the focus lets it. */
void mux_log_write(enum log_level level, enum log_source from, const char *s, size_t n);

/* Bytes `vm` sent on its COM1 (vm_console_bytes). */
void mux_vm_output(struct vm *vm, const uint8_t *bytes, unsigned n);

/* What has focus; for MUX_VM, *vm says which (vm may be NULL). */
enum mux_focus mux_focused(struct vm **vm);

/* Give focus to the log (replaying what it got while it had none), the
 * monitor, or VM number `number` (replaying its history). The VM
 * variant is false, focus unchanged, when there is no such VM. */
void mux_focus_log(void);
void mux_focus_monitor(void);
/* The line is the GDB stub's until it gives it back (mux_focus_log):
 * nothing else is sent on it meanwhile; the log's history keeps it all. */
void mux_focus_gdb(void);
bool mux_focus_vm(size_t number);

/* Focus the VM after (`step` 1) or before (-1) the focused one, wrapping;
 * from the log or the monitor, the first or the last. */
void mux_focus_step(int step);

/* The VMs the console knows, numbered from 1; NULL past the last. */
struct vm *mux_vm(size_t number);
size_t mux_vm_count(void);

/* Text for the operator now, whatever has focus (key lists, hints). */
void mux_say(const char *s, size_t n);

/* The monitor's output: shown while the monitor has focus, else dropped. */
void mux_monitor_write(const char *s, size_t n);

/* History bytes each console keeps (for the figures). */
size_t mux_history_bytes(void);
