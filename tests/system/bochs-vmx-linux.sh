# shellcheck shell=bash
# The Debian cloud kernel with 2 vCPUs under VMX (Bochs skylake-x, 2 CPUs)
# to its shell; the test types into it through Bochs' COM1 socket and reads
# the answers. Exits are cheap against Bochs' PIT here, so Linux calibrates
# its TSC and keeps it as the clocksource; then it powers itself off.
linux_modules linux "mem=128M vcpus=2"
make_iso "console=com1 focus=linux" "${modules[@]}"
cat >"$systest_dir/bochs-vmx-linux.steps" <<'STEPS'
expect hv-linux: shell on ttyS0 with 2 CPUs
expect / # 
send dmesg -n 1
send echo $((6*7)) cpus=$(nproc)
expect 42 cpus=2
send echo clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
expect clocksource=tsc
send poweroff -f
expect vm linux: power off, exit status=0
STEPS
reason=$(CONSOLE_STEP_TIMEOUT=900 python3 tests/system/console_session.py \
	--bochs corei7_skylake_x 2 512 "$iso" "$log" "$systest_dir/bochs-vmx-linux.steps") ||
	fail "linux shell: $reason"
expect_line 'tsc: all 2 CPUs in step'
expect_no_line 'EXCEPTION|PANIC'
