# shellcheck shell=bash
# Debian's gdb against the GDB stub (gdb=com2, QEMU's second serial port on
# a TCP socket; tests/system/gdb_session.py, the steps of gdb_steps in
# lib.sh): the peek guest (2 vCPUs: the
# second waits for a start-up IPI) is stopped at attach; its threads, its
# rip (the spin instruction, from the ELF's symbol), memory read through
# its page tables and written, registers written by P and by G (a G that
# would change a segment refused), x87 state unavailable,
# memory outside RAM refused, an int3 breakpoint at the spin instruction,
# continue and Ctrl-C, `monitor vms`, then detach (the stub resumes the VM).
make_iso "console=com1 gdb=com2" "${gdb_modules[@]}"
gdb_steps "$systest_dir/qemu-gdb.steps"
reason=$(CONSOLE_STEP_TIMEOUT=60 python3 tests/system/gdb_session.py "$iso" "$log" \
	"$systest_dir/qemu-gdb.steps" -smp 2 -m 256) || fail "gdb: $reason"
expect_line 'gdb: attached to vm peek$'
expect_line 'gdb: detached from vm peek$'
expect_no_line 'EXCEPTION|PANIC|stopped'
