# shellcheck shell=bash
# Debian's cloud kernel with hyperv=on (docs/hyperv.md), 2 vCPUs under SVM
# in QEMU TCG. Typed into its shell through the console: it detected
# Microsoft Hyper-V; its TSC frequency is the hypervisor's own (the
# frequency MSR, `tsc: N kHz` in the boot log), not a calibration against
# the PIT; it runs on the reference TSC page clocksource and in x2APIC mode
# (which Linux takes from Hyper-V); it uses the PV IPI and PV TLB-flush
# hypercalls; its log is clean. Then it powers off.
linux_modules linux "mem=256M vcpus=2 hyperv=on"
make_iso "console=com1 focus=linux loglevel=debug" "${modules[@]}"
cat >"$systest_dir/qemu-linux-hyperv.steps" <<'STEPS'
expect hv-linux: shell on ttyS0 with 2 CPUs
expect / # 
send dmesg -n 1
send dmesg | grep -c -E 'Hypervisor detected: Microsoft Hyper-V|Hyper-V: Using IPI hypercalls|Hyper-V: Using hypercall for remote TLB flush|Switched APIC routing to physical x2apic'
expect 4\r?\n
send echo calibrations=$(dmesg | grep -c -E 'TSC calibration|Refined TSC') $(dmesg | grep -o -m1 'Detected [0-9.]* MHz')
expect calibrations=0 Detected [0-9]+\.[0-9]+ MHz
send echo clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
expect clocksource=hyperv_clocksource_tsc_page
send dmesg | grep -c -E 'unchecked MSR|WARNING|BUG|Call Trace|ACPI (Error|Warning)'
expect 0\r?\n
send poweroff -f
expect vm linux: power off, exit status=0
expect vm linux: exits by reason: .*hypercall=[1-9]
STEPS
reason=$(python3 tests/system/console_session.py "$iso" "$log" \
	"$systest_dir/qemu-linux-hyperv.steps" -smp 2 -m 1024) || fail "linux hyperv: $reason"
# The MHz Linux detected is the hypervisor's kHz: taken from the MSR.
khz=$(grep -a -o -m1 'tsc: [0-9]* kHz' "$log" | grep -o '[0-9]*')
mhz=$(grep -a -o -m1 'Detected [0-9.]* MHz' "$log" | grep -o '[0-9.]*')
[[ -n $khz && ${mhz/./} == "$khz" ]] || fail "Linux's TSC is $mhz MHz, the hypervisor's $khz kHz"
expect_no_line 'msr: .* MSR 0x4000'
expect_no_line 'EXCEPTION|PANIC'
