# shellcheck shell=bash
# Two unmodified Debian cloud kernels (guests/linux) boot under SVM in QEMU
# TCG beside a test guest: linux2 with 2 vCPUs, linux1 with 1. The test
# types into linux2's console (kernel messages off it first) through the hypervisor's (a TCP socket on
# QEMU's serial port, tests/system/console_session.py) as an operator would
# and checks the answers: arithmetic and a checksum, the CPU count, the
# local timer counting on both vCPUs and the serial interrupt, the ACPI
# devices, a clean kernel log; then `poweroff -f` ends linux2 alone.
linux_modules linux2 "mem=256M vcpus=2"
linux2=("${modules[@]}")
linux_modules linux1 "mem=128M"
make_iso "console=com1 input=linux2" "${linux2[@]}" "${modules[@]}" \
	build/guests/demo.elf "vm=demo mem=8M"
cat >"$systest_dir/qemu-linux-shell.steps" <<'STEPS'
expect hv-linux: shell on ttyS0 with 2 CPUs
expect / # 
send dmesg -n 1
send echo $((6*7)) $(echo hello | md5sum)
expect 42 b1946ac92492d2347c6235b4d2611184
send nproc
expect 2\r?\n
send awk '$1 == "LOC:" && $2 > 0 && $3 > 0 { print "local-timer-irqs-on-both" } /ttyS/ { print "serial-irqs=" $2 + $3 }' /proc/interrupts
expect serial-irqs=[1-9]
expect local-timer-irqs-on-both
send ls /sys/bus/acpi/devices/ | grep -c PNP0501
expect 1\r?\n
send echo clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
expect clocksource=[a-z_]+
send dmesg | grep -c -E 'unchecked MSR|WARNING|BUG|Call Trace|ACPI (Error|Warning)|ACPI BIOS'
expect 0\r?\n
seen \[linux1\] hv-linux: shell on ttyS0 with 1 CPUs
send poweroff -f
wait vm linux2: power off, exit status=0
STEPS
reason=$(python3 tests/system/console_session.py "$iso" "$log" linux2 \
	"$systest_dir/qemu-linux-shell.steps" -smp 2 -m 1024) || fail "linux shell: $reason"
expect_line 'console: input goes to vm linux2$'
expect_line 'vm demo: exit status=0$'
expect_no_line 'vm linux1: (stopped|power off|reboot)'
expect_no_line 'EXCEPTION|PANIC'
