#!/usr/bin/env python3
"""Drive Debian's gdb against the hypervisor's GDB stub, as a developer would.

    gdb_session.py ISO LOG SCRIPT [QEMU ARGS...]

Boots ISO in QEMU (tools/qemu.sh) with COM1 (the console) written to LOG and
COM2 (the stub, `gdb=com2`) on a local TCP socket, starts gdb, connects it
with `target remote` and plays SCRIPT against gdb's own terminal, with the
steps of console_session.py (`key` is not used; `type \\x03` is Ctrl-C). What
gdb printed goes to LOG.gdb. Exit 0 when every step passed, else 1 with the
failed step on stdout.
"""
import os
import subprocess
import sys
import time

import pexpect

from console_session import STEP_TIMEOUT, free_port, play, verdict


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    iso, log, script_file = sys.argv[1:4]
    port = free_port()
    env = dict(os.environ, QEMU_SERIAL=f"file:{log}")
    qemu = subprocess.Popen(["tools/qemu.sh", iso, "-serial",
                             f"tcp:127.0.0.1:{port},server=on,wait=off", *sys.argv[4:]],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=open(log + ".emulator", "w"))
    failure = None
    try:
        for _ in range(100):	# until the hypervisor is up and serving
            time.sleep(0.1)
            if "hv: ready" in open(log, errors="replace").read():
                break
        with open(log + ".gdb", "w") as transcript, open(script_file) as f:
            gdb = pexpect.spawn("gdb", ["-q", "-nx"], encoding="utf-8", codec_errors="replace",
                                timeout=STEP_TIMEOUT, dimensions=(50, 200))
            gdb.logfile_read = transcript
            gdb.expect_exact("(gdb) ")
            gdb.sendline("set pagination off")
            gdb.sendline("set style enabled off")
            gdb.sendline(f"target remote tcp:127.0.0.1:{port}")
            failure = play(gdb, f.read(), transcript)
            gdb.terminate(force=True)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        failure = f"gdb did not start: {type(e).__name__}"
    finally:
        qemu.kill()
        qemu.wait()
    return verdict(failure)


if __name__ == "__main__":
    sys.exit(main())
