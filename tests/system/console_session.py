#!/usr/bin/env python3
"""Drive a guest's shell on the hypervisor's serial console, as a person would.

    console_session.py ISO LOG VM SCRIPT [QEMU ARGS...]

Boots ISO in QEMU (tools/qemu.sh) with COM1 on a local TCP socket, connects
to it, and plays SCRIPT: one step per line, `expect REGEX` (wait for it in
what VM prints, its `[VM] ` prefix added), `send TEXT` (type TEXT and Enter
into the console), `wait REGEX` (wait for REGEX anywhere on the console).
Everything read goes to LOG. Exit 0 when every step passed, else 1 with the
failed step on stdout. QEMU is stopped at the end either way.
"""
import os
import re
import socket
import subprocess
import sys
import time

import pexpect.fdpexpect

STEP_TIMEOUT = int(os.environ.get("CONSOLE_STEP_TIMEOUT", "180"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port, qemu):
    for _ in range(200):
        if qemu.poll() is not None:
            raise RuntimeError(f"QEMU exited with status {qemu.returncode} before the console opened")
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("QEMU's console socket never opened")


def play(session, vm, script):
    for number, line in enumerate(script.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        verb, _, arg = line.partition(" ")
        try:
            if verb == "send":
                session.send(arg + "\r")
            elif verb == "expect":
                session.expect(r"\[" + re.escape(vm) + r"\] " + arg, timeout=STEP_TIMEOUT)
            elif verb == "wait":
                session.expect(arg, timeout=STEP_TIMEOUT)
            else:
                return f"step {number}: unknown verb {verb!r}"
        except pexpect.TIMEOUT:
            return f"step {number} ({line}) timed out after {STEP_TIMEOUT} s"
        except pexpect.EOF:
            return f"step {number} ({line}): the console closed"
    return None


def main():
    if len(sys.argv) < 5:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    iso, log, vm, script_file = sys.argv[1:5]
    port = free_port()
    env = dict(os.environ, QEMU_SERIAL=f"tcp:127.0.0.1:{port},server=on,wait=on")
    qemu = subprocess.Popen(["tools/qemu.sh", iso, *sys.argv[5:]], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=open(log + ".qemu", "w"))
    try:
        sock = connect(port, qemu)
        with open(log, "w", buffering=1, errors="replace") as transcript, open(script_file) as f:
            session = pexpect.fdpexpect.fdspawn(sock.fileno(), encoding="utf-8",
                                                codec_errors="replace")
            session.logfile_read = transcript
            failure = play(session, vm, f.read())
        sock.close()
    except RuntimeError as e:
        failure = str(e)
    finally:
        qemu.kill()
        qemu.wait()
    if failure:
        print(failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
