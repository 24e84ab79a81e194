# shellcheck shell=bash
# A Linux VM with on_reboot=restart: `reboot -f` resets it (through the
# FADT's reset register), the hypervisor reports the reboot and builds the
# VM anew, it boots to its shell again and still takes what is typed; then
# `poweroff -f` ends it for good.
linux_modules linux "mem=128M on_reboot=restart"
make_iso "console=com1 focus=linux" "${modules[@]}"
cat >"$systest_dir/qemu-linux-reboot.steps" <<'STEPS'
expect hv-linux: shell on ttyS0 with 1 CPUs
expect / # 
send reboot -f
expect vm linux: reboot
expect vm linux: restarting
expect vm linux: started on cpu
expect hv-linux: shell on ttyS0 with 1 CPUs
expect / # 
send echo again $((6*7))
expect again 42
send poweroff -f
expect vm linux: power off, exit status=0
STEPS
reason=$(python3 tests/system/console_session.py "$iso" "$log" \
	"$systest_dir/qemu-linux-reboot.steps" -smp 1 -m 512) || fail "linux reboot: $reason"
expect_count 'vm linux: started on cpu' 2
expect_no_line 'EXCEPTION|PANIC|stopped'
