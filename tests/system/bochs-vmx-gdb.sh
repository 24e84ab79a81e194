# shellcheck shell=bash
# qemu-gdb's session under VMX (Bochs skylake-x, 2 CPUs; Bochs serves COM2
# on a socket and waits for gdb before it boots).
make_iso "console=com1 gdb=com2" "${gdb_modules[@]}"
gdb_steps "$systest_dir/bochs-vmx-gdb.steps"
reason=$(CONSOLE_STEP_TIMEOUT=120 python3 tests/system/gdb_session.py \
	--bochs corei7_skylake_x 2 256 "$iso" "$log" "$systest_dir/bochs-vmx-gdb.steps") ||
	fail "gdb: $reason"
expect_line 'gdb: attached to vm peek$'
expect_line 'gdb: detached from vm peek$'
expect_no_line 'EXCEPTION|PANIC|stopped'
