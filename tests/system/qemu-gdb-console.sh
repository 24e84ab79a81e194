# shellcheck shell=bash
# gdb on the console's own line (tests/system/gdb_console.py), with no
# gdb= option: Ctrl-] g lends the line to the stub; gdb connects to that
# same socket, sees the peek guest's threads and rip and the monitor's
# `vms`, and detaches; the console is then the operator's again: its keys
# work and the monitor shows the VM running on.
make_iso "console=com1" "${gdb_modules[@]}"
spin=$(nm build/guests/peek.elf | awk '$3 == "spin_here" { print $1 }' | sed 's/^0*//')
cat >"$systest_dir/qemu-gdb-console.before" <<'STEPS'
expect hv: ready
expect peek: marker at
key g
expect the GDB stub has this line until gdb detaches
STEPS
cat >"$systest_dir/qemu-gdb-console.gdb" <<STEPS
expect Remote debugging using
send info threads
expect Thread 1 .*vcpu0 paused
send p/x \$rip
expect = 0x$spin
send monitor vms
expect peek +paused +2
send detach
expect Inferior 1 \(Remote target\) detached
STEPS
cat >"$systest_dir/qemu-gdb-console.after" <<'STEPS'
key ?
expect g +the GDB stub, on this line until gdb detaches
key c
expect hv> 
send vms
expect peek +(running|in guest) +2
STEPS
reason=$(CONSOLE_STEP_TIMEOUT=60 python3 tests/system/gdb_console.py "$iso" "$log" \
	"$systest_dir/qemu-gdb-console.before" "$systest_dir/qemu-gdb-console.gdb" \
	"$systest_dir/qemu-gdb-console.after" -smp 2 -m 256) || fail "gdb on the console: $reason"
expect_no_line 'EXCEPTION|PANIC|stopped'
