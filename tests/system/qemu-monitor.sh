# shellcheck shell=bash
# The monitor on QEMU TCG (SVM), driven through the serial socket with the
# steps of tests/system/monitor.steps: every command checked against what
# the two peek guests are known to do, pause/resume of a counting guest,
# kill and restart with the host's memory unchanged, bad input, and the
# console keys.
cp build/guests/peek.elf "$systest_dir/counter.elf"
make_iso "console=com1" build/guests/peek.elf "vm=peek mem=8M" \
	"$systest_dir/counter.elf" "vm=counter mem=8M -- count=1"
reason=$(CONSOLE_STEP_TIMEOUT=60 python3 tests/system/console_session.py "$iso" "$log" tests/system/monitor.steps \
	-smp 2 -m 256) || fail "monitor: $reason"
expect_no_line 'EXCEPTION|PANIC'
