#!/usr/bin/env python3
"""Drive a guest's shell on the hypervisor's serial console, as a person would.

    console_session.py ISO LOG SCRIPT [QEMU ARGS...]
    console_session.py --bochs MODEL CPUS MEGS ISO LOG SCRIPT

Boots ISO in QEMU (tools/qemu.sh) or Bochs (tools/bochs.sh) with COM1 on a
local TCP socket, connects to it, and plays SCRIPT, one step per line:
  expect REGEX        wait for REGEX on the console (after what earlier steps read)
  send TEXT           type TEXT and Enter (backslash escapes decoded)
  type TEXT           type TEXT alone (likewise)
  key K               the multiplexer's escape: Ctrl-] then K (`^]`: Ctrl-] again)
  seen REGEX          REGEX was on the console at any time so far, or comes later
  capture NAME REGEX  wait for REGEX and keep its first group as NAME (end REGEX
                      past the group: it matches as soon as enough has arrived)
  sleep SECONDS       let the machine run a while
In REGEX, %NAME% stands for a captured value (matched literally). Everything
read goes to LOG. Exit 0 when every step passed, else 1 with the failed
step on stdout. The emulator is stopped at the end either way.
"""
import contextlib
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


def connect(port, emulator):
    for _ in range(200):
        if emulator.poll() is not None:
            raise RuntimeError(f"the emulator exited with status {emulator.returncode} "
                               "before the console opened")
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the emulator's console socket never opened")


ESCAPE = "\x1d"    # Ctrl-]


def unescape(text):
    """TEXT with Python's backslash escapes (\\r, \\x04, ...) decoded."""
    return text.encode("latin-1").decode("unicode_escape")


def substitute(regex, captured):
    """REGEX with each %NAME% replaced by the captured value, escaped."""
    return re.sub(r"%(\w+)%", lambda m: re.escape(captured[m.group(1)]), regex)


def play(session, script, transcript):
    captured = {}
    for number, line in enumerate(script.splitlines(), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        verb, _, arg = line.lstrip().partition(" ")
        try:
            if verb in ("expect", "seen", "capture"):
                if verb == "capture":
                    name, _, arg = arg.partition(" ")
                arg = substitute(arg, captured)
            if verb == "send":
                session.send(unescape(arg) + "\r")
            elif verb == "type":
                session.send(unescape(arg))
            elif verb == "key":
                session.send(ESCAPE + (ESCAPE if arg == "^]" else arg))
            elif verb == "expect":
                session.expect(arg, timeout=STEP_TIMEOUT)
            elif verb == "sleep":
                time.sleep(float(arg))
            elif verb == "capture":
                session.expect(arg, timeout=STEP_TIMEOUT)
                captured[name] = session.match.group(1)
            elif verb == "seen":
                transcript.flush()
                with open(transcript.name, errors="replace") as so_far:
                    if not re.search(arg, so_far.read()):
                        session.expect(arg, timeout=STEP_TIMEOUT)
            else:
                return f"step {number}: unknown verb {verb!r}"
        except KeyError as e:
            return f"step {number} ({line}): nothing captured as {e}"
        except pexpect.TIMEOUT:
            return f"step {number} ({line}) timed out after {STEP_TIMEOUT} s"
        except pexpect.EOF:
            return f"step {number} ({line}): the console closed"
    return None


def verdict(failure):
    """The exit status for `failure` (None: every step passed), said on stdout."""
    if failure:
        print(failure)
        return 1
    return 0


def emulator_command(args, port, socket="COM1"):
    """The emulator's command line and environment, and the rest of args
    (ISO LOG SCRIPT). Serial port `socket` (COM1 or COM2) goes to a local TCP
    socket at `port`; with COM2 there, COM1 is written to LOG."""
    serial = f"tcp:127.0.0.1:{port},server=on,wait={'on' if socket == 'COM1' else 'off'}"
    if args[:1] == ["--bochs"]:
        model, cpus, megs, iso, log = args[1:6]
        env = dict(os.environ, **{f"BOCHS_{socket}_SOCKET": f"127.0.0.1:{port}"})
        if socket == "COM1":	# the log then only names Bochs' config and log
            log = re.sub(r"\.log$", "", log) + "-bochs.log"
        return ["tools/bochs.sh", iso, log, model, cpus, megs], env, args[4:]
    if socket == "COM1":
        env = dict(os.environ, QEMU_SERIAL=serial)
        return ["tools/qemu.sh", args[0], *args[3:]], env, args[:3]
    env = dict(os.environ, QEMU_SERIAL=f"file:{args[1]}")
    return ["tools/qemu.sh", args[0], "-serial", serial, *args[3:]], env, args[:3]


@contextlib.contextmanager
def running(command, env, log):
    """The emulator `command` running (its own messages in LOG.emulator),
    killed when the block ends, however it ends."""
    emulator = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=open(log + ".emulator", "w"))
    try:
        yield emulator
    finally:
        emulator.kill()
        emulator.wait()


def wait_for_line(log, text):
    """Give the machine up to 10 s to write `text` into the file LOG."""
    for _ in range(100):
        time.sleep(0.1)
        if os.path.exists(log) and text in open(log, errors="replace").read():
            return


def usage_error(args, doc):
    """Print the usage and return 2 unless `args` fit it, else None."""
    if len(args) < 3 or (args[:1] == ["--bochs"] and len(args) != 7):
        print("\n".join(doc.strip().splitlines()[2:4]), file=sys.stderr)
        return 2
    return None


def main():
    args = sys.argv[1:]
    if usage_error(args, __doc__):
        return 2
    port = free_port()
    command, env, (iso, log, script_file) = emulator_command(args, port)
    with running(command, env, log) as emulator:
        try:
            sock = connect(port, emulator)
            with open(log, "w", buffering=1, errors="replace") as transcript, \
                    open(script_file) as f:
                session = pexpect.fdpexpect.fdspawn(sock.fileno(), encoding="utf-8",
                                                    codec_errors="replace")
                session.logfile_read = transcript
                failure = play(session, f.read(), transcript)
            sock.close()
        except RuntimeError as e:
            failure = str(e)
    return verdict(failure)


if __name__ == "__main__":
    sys.exit(main())
