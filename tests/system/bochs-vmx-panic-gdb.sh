# shellcheck shell=bash
# qemu-panic-gdb's post-mortem under VMX (Bochs skylake-x, 2 CPUs). Bochs
# serves COM2 on a socket and waits for gdb before it boots, so gdb's
# first packets wait in the line until the post-mortem stub answers them;
# it takes one connection only, so there is no second attach.
make_iso "console=com1 gdb=com2 panic=gdb selftest=pf"
panic_gdb_steps "$systest_dir/bochs-vmx-panic-gdb.steps"
reason=$(CONSOLE_STEP_TIMEOUT=120 python3 tests/system/gdb_session.py \
	--bochs corei7_skylake_x 2 128 "$iso" "$log" "$systest_dir/bochs-vmx-panic-gdb.steps") ||
	fail "gdb: $reason"
expect_panic_gdb_verdicts
