# shellcheck shell=bash
# panic=reboot: after the same panic report as qemu-panic-poweroff, the
# hypervisor resets the machine with the first way it tries (port 0xcf9:
# QEMU's FADT is ACPI 1.0, without a reset register) and boots a second
# time, where the console is left. QEMU is told to reset on a reboot
# instead of exiting (tools/qemu.sh passes -no-reboot).
make_iso "console=com1 selftest=panic panic=reboot" "${panic_modules[@]}"
cat >"$systest_dir/qemu-panic-reboot.steps" <<'STEPS'
expect PANIC: selftest: panic on purpose
expect hv: reboot
expect hv: x86-64 micro-hypervisor
expect hv: ready cpus=2
STEPS
reason=$(python3 tests/system/console_session.py "$iso" "$log" \
	"$systest_dir/qemu-panic-reboot.steps" -smp 2 -m 256 -action reboot=reset) ||
	fail "panic reboot: $reason"
expect_panic_report
expect_before 'exit trace cpu1: ' 'hv: reboot'
expect_no_line 'hv: reboot: still running'
expect_count 'hv: x86-64 micro-hypervisor' 2
