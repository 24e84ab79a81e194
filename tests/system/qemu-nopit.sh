# shellcheck shell=bash
# A machine without a PIT (QEMU's pit=off; qemu64 states no TSC rate in
# CPUID): the hypervisor says so, measures the TSC against the ACPI PM
# timer instead, and its clocks are right: the timer guest's deadlines and
# the platform guest's rates (its PIT is the hypervisor's own) hold.
make_iso "console=com1 idle=poweroff" \
	build/guests/timer.elf "vm=timer mem=16M -- expect=hv" \
	build/guests/platform.elf "vm=platform mem=16M -- expect=hv"
run_qemu 2 256 -machine pc,pit=off
expect_line 'tsc: no PIT; assuming 1 GHz until the ACPI PM timer can be read$'
expect_line 'tsc: [0-9]+ kHz \(from the ACPI PM timer\)$'
expect_vm_passed timer 6
expect_vm_passed platform 7
