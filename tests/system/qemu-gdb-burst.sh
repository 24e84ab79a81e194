# shellcheck shell=bash
# Bad input to the GDB stub (tests/system/gdb_burst.py): 2000 random frames
# from a fixed seed (malformed packets of every command, bad checksums,
# noise, out-of-range registers and threads, a fifth hardware slot), then
# the stub still answers `?`, `monitor vms` and `D`; the hypervisor did not
# fault and the gdb64 guest runs on after the detach.
make_iso "console=com1 gdb=com2" build/guests/gdb64.elf "vm=gdb64 mem=16M"
reason=$(python3 tests/system/gdb_burst.py "$iso" "$log" 20261202 -smp 2 -m 256) ||
	fail "gdb burst: $reason"
expect_line 'gdb: detached from vm gdb64$'
expect_gdb64_own_drs
expect_no_line 'EXCEPTION|PANIC|stopped'
