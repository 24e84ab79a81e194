# shellcheck shell=bash
# Debian's gdb against the GDB stub with a 64-bit guest and its symbols
# (gdb64_steps in lib.sh): breakpoints, a backtrace, single steps that
# land on the next instruction, a hardware breakpoint, a watchpoint, and
# the guest's own debug registers intact after the detach. SVM: steps by
# TF with a #DB intercept, hidden from the guest's PUSHF.
make_iso "console=com1 gdb=com2" "${gdb64_modules[@]}"
gdb64_steps "$systest_dir/qemu-gdb64.steps"
reason=$(CONSOLE_STEP_TIMEOUT=60 python3 tests/system/gdb_session.py "$iso" "$log" \
	"$systest_dir/qemu-gdb64.steps" -smp 2 -m 256) || fail "gdb: $reason"
expect_gdb64_held
expect_gdb64_own_drs
expect_no_line 'EXCEPTION|PANIC|stopped'
