# shellcheck shell=bash
# panic=gdb: selftest=pf faults in provoke_page_fault() at boot, and the
# post-mortem stub serves the panicked hypervisor on COM2 to Debian's gdb
# with build/hv.elf's symbols (tests/system/gdb_session.py, the steps of
# panic_gdb_steps in lib.sh): the backtrace names the faulting function
# and its callers, memory outside the hypervisor's RAM is refused, a
# detach keeps serving, and a kill resets the machine (QEMU then exits:
# tools/qemu.sh passes -no-reboot).
make_iso "console=com1 gdb=com2 panic=gdb selftest=pf"
panic_gdb_steps "$systest_dir/qemu-panic-gdb.steps" reattach
reason=$(CONSOLE_STEP_TIMEOUT=60 python3 tests/system/gdb_session.py \
	--wait-for 'hv: serving the panicked state' "$iso" "$log" \
	"$systest_dir/qemu-panic-gdb.steps" -smp 2 -m 128) || fail "gdb: $reason"
expect_panic_gdb_verdicts
