# shellcheck shell=bash
# panic=gdb after a panic() call (selftest=panic, a second after `hv:
# ready`, from CPU 0's timers in its idle loop, CPU 1 stopped): gdb
# unwinds from the registers taken at the call, through panic() to the
# self-test's timer callback and the scheduler's loop; a kill resets.
make_iso "console=com1 gdb=com2 panic=gdb selftest=panic"
cat >"$systest_dir/qemu-panic-gdb-call.steps" <<STEPS
expect Remote debugging using
send set confirm off
send file $hv_elf
expect Reading symbols from
send bt
expect #0 +panic_finish \(\)
expect #1 +0x[0-9a-f]+ in panic \(fmt=
expect #2 +0x[0-9a-f]+ in selftest_panic \(
expect #3 +0x[0-9a-f]+ in timers_run \(\)
expect in sched_loop \(\)
send continue
expect received signal SIGABRT
send kill
expect Inferior 1 \(Remote target\) killed
STEPS
reason=$(CONSOLE_STEP_TIMEOUT=60 python3 tests/system/gdb_session.py \
	--wait-for 'hv: serving the panicked state' "$iso" "$log" \
	"$systest_dir/qemu-panic-gdb-call.steps" -smp 2 -m 128) || fail "gdb: $reason"
expect_line 'cpu0 E: PANIC: selftest: panic on purpose$'
expect_line 'hv: serving the panicked state of cpu0 to gdb on COM2$'
expect_line 'hv: gdb killed the panicked hypervisor$'
expect_no_line 'did not stop'
