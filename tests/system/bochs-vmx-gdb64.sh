# shellcheck shell=bash
# qemu-gdb64's session under VMX (Bochs skylake-x), with the hardware
# breakpoint and the watchpoint: the monitor trap flag steps, DR0-DR3 and
# DR7 are the debugger's while it has slots in them, the guest reading
# and writing its own meanwhile.
make_iso "console=com1 gdb=com2" "${gdb64_modules[@]}"
gdb64_steps "$systest_dir/bochs-vmx-gdb64.steps" hw
reason=$(CONSOLE_STEP_TIMEOUT=120 python3 tests/system/gdb_session.py \
	--bochs corei7_skylake_x 1 256 "$iso" "$log" "$systest_dir/bochs-vmx-gdb64.steps") ||
	fail "gdb: $reason"
expect_gdb64_held
expect_gdb64_own_drs
expect_no_line 'EXCEPTION|PANIC|stopped'
