# shellcheck shell=bash
# Debian's gdb against the GDB stub (gdb=com2, QEMU's second serial port on
# a TCP socket; tests/system/gdb_session.py): the peek guest (2 vCPUs: the
# second waits for a start-up IPI) is stopped at attach; its threads, its
# rip (the spin instruction, from the ELF's symbol), memory read through
# its page tables and written, a register written, x87 state unavailable,
# memory outside RAM refused, a breakpoint refused (none is patched in),
# continue and Ctrl-C, `monitor vms`, then detach (the stub resumes the VM).
spin=$(nm build/guests/peek.elf | awk '$3 == "spin_here" { print $1 }' | sed 's/^0*//')
[[ -n $spin ]] || fail "no spin_here symbol in peek.elf"
make_iso "console=com1 gdb=com2" build/guests/peek.elf "vm=peek mem=8M vcpus=2"
cat >"$systest_dir/qemu-gdb.steps" <<STEPS
expect Remote debugging using
expect 0x0*$spin in \?\? \(\)
send info threads
expect Thread 1 .*vcpu0 paused
expect Thread 2 .*vcpu1 .*waiting for a start-up IPI
send p/x \$rip
expect = 0x$spin
send x/s 0x380000
expect 0x380000:\s+"peek: the monitor reads this"
send set {int}0x380020 = 0x12345678
send x/wx 0x380020
expect 0x380020:\s+0x12345678
send set \$rax = 0x4242
send p/x \$rax
expect = 0x4242
send p/x \$cr0
expect = 0x8[0-9a-f]{7}
send p \$st0
expect <unavailable>
send x/wx 0x40000000
expect Cannot access memory at address 0x40000000
send monitor vms
expect peek +paused +2
send break *0x100000
send continue
expect Cannot insert breakpoint 1
send delete 1
send continue
expect Continuing.
sleep 1
type \\x03
expect received signal SIGINT
send p/x \$rip
expect = 0x$spin
send detach
expect Inferior 1 \(Remote target\) detached
send quit
STEPS
reason=$(CONSOLE_STEP_TIMEOUT=60 python3 tests/system/gdb_session.py "$iso" "$log" "$systest_dir/qemu-gdb.steps" \
	-smp 2 -m 256) || fail "gdb: $reason"
expect_line 'gdb: attached to vm peek$'
expect_line 'gdb: detached from vm peek$'
expect_no_line 'EXCEPTION|PANIC|stopped'
