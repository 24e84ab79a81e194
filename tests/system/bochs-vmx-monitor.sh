# shellcheck shell=bash
# The monitor on Bochs (VMX with EPT, skylake-x): the steps of qemu-monitor
# (tests/system/monitor.steps), so every command is checked on both
# vendors. Each VM gets a CPU of its own and cpu0 is left to the console:
# Bochs 2.7 appears to count its TSC once per instruction, not at the rate
# its CPUID states, so the host's timers run far behind there while guests
# spin (docs/console.md).
cp build/guests/peek.elf "$systest_dir/counter.elf"
make_iso "console=com1" build/guests/peek.elf "vm=peek mem=8M cpus=1" \
	"$systest_dir/counter.elf" "vm=counter mem=8M cpus=2 -- count=1"
reason=$(CONSOLE_STEP_TIMEOUT=120 python3 tests/system/console_session.py \
	--bochs corei7_skylake_x 3 256 "$iso" "$log" tests/system/monitor.steps) ||
	fail "monitor: $reason"
expect_no_line 'EXCEPTION|PANIC'
