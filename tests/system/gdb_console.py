#!/usr/bin/env python3
"""gdb on the console's own line (Ctrl-] g), as an operator would use it.

    gdb_console.py ISO LOG BEFORE GDB AFTER [QEMU ARGS...]

Boots ISO in QEMU with COM1 on a local TCP socket. Plays the console steps
of file BEFORE on it (console_session.py's verbs; they end by handing the
line to gdb), hangs up, starts Debian's gdb with `target remote` on the
same socket and plays GDB against gdb's terminal (it ends with `detach`),
then connects to the console again and plays AFTER. The console goes to
LOG, gdb's terminal to LOG.gdb. Exit 0 when every step passed, else 1
with the failed step on stdout.
"""
import sys

import pexpect
import pexpect.fdpexpect

from console_session import connect, emulator_command, free_port, play, running, verdict
from gdb_session import start_gdb


def console_part(port, emulator, script_file, transcript):
    """Play `script_file` on the console at `port`; the failure, or None."""
    sock = connect(port, emulator)
    session = pexpect.fdpexpect.fdspawn(sock.fileno(), encoding="utf-8", codec_errors="replace")
    session.logfile_read = transcript
    with open(script_file) as f:
        failure = play(session, f.read(), transcript)
    sock.close()
    return failure


def gdb_part(port, script_file, log):
    with open(log + ".gdb", "w") as transcript, open(script_file) as f:
        gdb = start_gdb(transcript)
        gdb.sendline(f"target remote tcp:127.0.0.1:{port}")
        failure = play(gdb, f.read(), transcript)
        gdb.terminate(force=True)
    return failure


def main():
    args = sys.argv[1:]
    if len(args) < 5:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    iso, log, before, gdb_steps, after = args[:5]
    port = free_port()
    command, env, _ = emulator_command([iso, log, "-", *args[5:]], port)
    with running(command, env, log) as emulator:
        try:
            with open(log, "w", buffering=1, errors="replace") as transcript:
                failure = (console_part(port, emulator, before, transcript) or
                           gdb_part(port, gdb_steps, log) or
                           console_part(port, emulator, after, transcript))
        except (RuntimeError, pexpect.TIMEOUT, pexpect.EOF) as e:
            failure = f"{type(e).__name__}: {e}"
    return verdict(failure)


if __name__ == "__main__":
    sys.exit(main())
