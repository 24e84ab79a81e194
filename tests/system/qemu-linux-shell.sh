# shellcheck shell=bash
# Two unmodified Debian cloud kernels (guests/linux) boot under SVM in QEMU
# TCG beside a test guest: linux2 with 2 vCPUs, linux1 with 1. The console
# starts focused on linux2 (focus=linux2), whose output is then raw. The
# test types into linux2's shell through the hypervisor's console (a TCP
# socket on QEMU's serial port, tests/system/console_session.py) as an
# operator would and checks the answers: arithmetic and a checksum, the CPU
# count, the local timer counting on both vCPUs and the serial interrupt,
# the ACPI devices, a clean kernel log, 4 KiB pasted arriving intact. Then
# Ctrl-] l shows the log with what linux1 printed meanwhile, Ctrl-] 1 goes
# back to linux2 with its history replayed, and `poweroff -f` ends linux2
# alone.
linux_modules linux2 "mem=256M vcpus=2"
linux2=("${modules[@]}")
linux_modules linux1 "mem=128M"
make_iso "console=com1 focus=linux2" "${linux2[@]}" "${modules[@]}" \
	build/guests/demo.elf "vm=demo mem=8M"
# 64 lines of 63 characters and a newline: 4096 bytes, pasted as a
# terminal does (each line ending in CR, which the guest's tty makes LF).
paste_sum=$(for i in $(seq 1 64); do printf '%02d%061d\n' "$i" "$i"; done | md5sum | cut -d' ' -f1)
paste_typed=$(for i in $(seq 1 64); do printf '%02d%061d\\r' "$i" "$i"; done)
cat >"$systest_dir/qemu-linux-shell.steps" <<STEPS
expect hv-linux: shell on ttyS0 with 2 CPUs
expect / # 
send dmesg -n 1
send echo \$((6*7)) \$(echo hello | md5sum)
expect 42 b1946ac92492d2347c6235b4d2611184
send nproc
expect 2\\r?\\n
send awk '\$1 == "LOC:" && \$2 > 0 && \$3 > 0 { print "local-timer-irqs-on-both" } /ttyS/ { print "serial-irqs=" \$2 + \$3 }' /proc/interrupts
expect serial-irqs=[1-9]
expect local-timer-irqs-on-both
send ls /sys/bus/acpi/devices/ | grep -c PNP0501
expect 1\\r?\\n
send echo clocksource=\$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
expect clocksource=[a-z_]+
send dmesg | grep -c -E 'unchecked MSR|WARNING|BUG|Call Trace|ACPI (Error|Warning)|ACPI BIOS'
expect 0\\r?\\n
send stty -echo; echo paste-\$((1+1)); head -c 4096 > /paste; stty echo
expect paste-2
type $paste_typed
send echo pasted \$(wc -c < /paste) \$(md5sum < /paste)
expect pasted 4096 $paste_sum
key l
expect --- the hypervisor log
expect \\[linux1\\] hv-linux: shell on ttyS0 with 1 CPUs
key 1
expect --- vm 1 of 3: linux2
expect pasted 4096 $paste_sum
send poweroff -f
expect vm linux2: power off, exit status=0
STEPS
reason=$(python3 tests/system/console_session.py "$iso" "$log" \
	"$systest_dir/qemu-linux-shell.steps" -smp 2 -m 1024) || fail "linux shell: $reason"
expect_line 'console: focus on vm linux2 '
expect_line 'vm demo: exit status=0$'
expect_no_line 'vm linux1: (stopped|power off|reboot)'
expect_no_line 'EXCEPTION|PANIC'
