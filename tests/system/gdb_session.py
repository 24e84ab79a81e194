#!/usr/bin/env python3
"""Drive Debian's gdb against the hypervisor's GDB stub, as a developer would.

    gdb_session.py [--wait-for TEXT] ISO LOG SCRIPT [QEMU ARGS...]
    gdb_session.py [--wait-for TEXT] --bochs MODEL CPUS MEGS ISO LOG SCRIPT

Boots ISO in QEMU (tools/qemu.sh) or Bochs (tools/bochs.sh) with COM1 (the
console) written to LOG and COM2 (the stub, `gdb=com2`) on a local TCP
socket, starts gdb once TEXT (default `hv: ready`: the stub is up) is in
LOG under QEMU, connects it with `target remote` and plays SCRIPT
against gdb's own terminal, with the steps of console_session.py (`key` is
not used; `type \\x03` is Ctrl-C). gdb's $stub_port holds the socket's port,
for a script that connects again (`eval "target remote tcp:127.0.0.1:%d",
$stub_port`). What gdb printed goes to LOG.gdb. Exit 0
when every step passed, else 1 with the failed step on stdout.
"""
import sys
import time

import pexpect

from console_session import (STEP_TIMEOUT, emulator_command, free_port, play, running,
                             usage_error, verdict, wait_for_line)


def start_gdb(transcript):
    """Debian's gdb at its prompt, set up for a script (no pager, no
    colours, the steps' timeout), its output going to `transcript`."""
    gdb = pexpect.spawn("gdb", ["-q", "-nx"], encoding="utf-8", codec_errors="replace",
                        timeout=STEP_TIMEOUT, dimensions=(50, 200))
    gdb.logfile_read = transcript
    gdb.expect_exact("(gdb) ")
    gdb.sendline("set pagination off")
    gdb.sendline("set style enabled off")
    gdb.sendline(f"set remotetimeout {STEP_TIMEOUT}")
    return gdb


def main():
    args = sys.argv[1:]
    wait_for = "hv: ready"
    if args[:1] == ["--wait-for"]:
        wait_for, args = args[1], args[2:]
    if usage_error(args, __doc__):
        return 2
    port = free_port()
    command, env, (iso, log, script_file) = emulator_command(args, port, "COM2")
    with running(command, env, log):
        try:
            # QEMU serves the socket at once; Bochs waits for gdb before it
            # boots, so gdb waits (remotetimeout) for the stub instead.
            if args[0] != "--bochs":
                wait_for_line(log, wait_for)
            with open(log + ".gdb", "w") as transcript, open(script_file) as f:
                gdb = start_gdb(transcript)
                if args[0] == "--bochs":
                    time.sleep(1)	# Bochs listens once it has started
                gdb.sendline(f"set $stub_port = {port}")
                gdb.sendline(f"target remote tcp:127.0.0.1:{port}")
                failure = play(gdb, f.read(), transcript)
                gdb.terminate(force=True)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            failure = f"gdb did not start: {type(e).__name__}"
    return verdict(failure)


if __name__ == "__main__":
    sys.exit(main())
