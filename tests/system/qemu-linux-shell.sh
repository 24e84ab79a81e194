# shellcheck shell=bash
# An unmodified Debian cloud kernel (guests/linux) boots under SVM in QEMU
# TCG to a busybox shell on its COM1, beside a test guest. The test types
# into the hypervisor's console as an operator would (a TCP socket on QEMU's
# serial port, tests/system/console_session.py) and checks the answers:
# arithmetic, the VM's CPU count, the timer and serial interrupts counting.
linux_modules
make_iso "console=com1 input=linux" "${modules[@]}" build/guests/demo.elf "vm=demo mem=8M"
cat >"$systest_dir/qemu-linux-shell.steps" <<'STEPS'
expect hv-linux: shell on ttyS0 with 1 CPUs
expect / # 
send echo $((6*7))
expect 42\r?\n
send nproc
expect 1\r?\n
send awk '$1 == "0:" { print "timer-irqs=" $2 } /ttyS/ { print "serial-irqs=" $2 }' /proc/interrupts
expect timer-irqs=[1-9][0-9]*\r?\n
expect serial-irqs=[1-9][0-9]*\r?\n
STEPS
reason=$(python3 tests/system/console_session.py "$iso" "$log" linux \
	"$systest_dir/qemu-linux-shell.steps" -smp 2 -m 1024) || fail "linux shell: $reason"
expect_line 'console: input goes to vm linux$'
expect_line 'vm demo: exit status=0$'
expect_no_line 'EXCEPTION|PANIC'
