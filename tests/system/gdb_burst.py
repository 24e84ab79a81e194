#!/usr/bin/env python3
"""Throw bad input at the hypervisor's GDB stub, then check it still talks.

    gdb_burst.py ISO LOG SEED [QEMU ARGS...]

Boots ISO in QEMU with COM1 written to LOG and COM2 (the stub, `gdb=com2`)
on a local TCP socket, and sends, from the seeded random generator, 600
frames: packets of every command letter the protocol has with random
arguments (hex of any length, separators, binary bytes, far too long),
bad checksums, bare '-', '+' and Ctrl-C, and raw noise. Packets that would
rightly wreck the guest are left out (memory and register writes, kill).
Then: Ctrl-C, `?` must answer with a stop reply, `qRcmd,vms` with the
monitor's table, `D` with OK. Exit 0 when it did, else 1 with what failed.
"""
import random
import socket
import sys
import time

from console_session import emulator_command, free_port, running, verdict, wait_for_line

LETTERS = "?gpHTqvcsZzDmAbBCdeFiIQrRtW!"
FRAMES = 600
QUERIES = ["qSupported", "qXfer:features:read:target.xml:", "qfThreadInfo", "qsThreadInfo",
           "qC", "qAttached", "qThreadExtraInfo,", "qRcmd,", "vCont", "vCont?", "vCont;s:",
           "vCont;c", "vCont;t", "vMustReplyEmpty", "qXfer:features:read:other.xml:"]


def frame(payload):
    """The packet $payload#cs (payload is bytes without '$' or '#')."""
    return b"$" + payload + b"#%02x" % (sum(payload) % 256)


def random_argument(rng):
    pieces = []
    for _ in range(rng.randrange(6)):
        kind = rng.randrange(5)
        if kind == 0:
            pieces.append("%x" % rng.getrandbits(rng.choice([4, 16, 32, 64, 80])))
        elif kind == 1:
            pieces.append(rng.choice(",:;=-.} "))
        elif kind == 2:
            pieces.append("".join(rng.choice("0123456789abcdefxyzXYZ") for _ in range(rng.randrange(40))))
        elif kind == 3:
            pieces.append("f" * rng.choice([1, 17, 200]))
        else:
            pieces.append(bytes(rng.randrange(1, 256) for _ in range(rng.randrange(8)))
                          .replace(b"$", b"x").replace(b"#", b"y").decode("latin-1"))
    return "".join(pieces)


def random_frame(rng):
    kind = rng.randrange(12)
    if kind == 0:
        return b"$" + random_argument(rng).encode("latin-1") + b"#00"    # likely a bad checksum
    if kind == 1:
        return rng.choice([b"-", b"+", b"\x03", b"$", b"#", b"}"])
    if kind == 2:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    head = rng.choice(QUERIES) if kind < 6 else rng.choice(LETTERS)
    if head == "qRcmd,":
        return frame((head + "".join("%02x" % ord(c) for c in "help")).encode())
    return frame((head + random_argument(rng)).encode("latin-1"))


def read_until(sock, needle, seconds):
    """What the stub sent until `needle` appeared (or the time ran out)."""
    got, end = b"", time.time() + seconds
    while needle not in got and time.time() < end:
        sock.settimeout(max(0.001, min(0.2, end - time.time())))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        got += chunk
    return got


def drain(sock):
    """Read until the stub has been quiet for a second (the emulated UART
    takes some 8 KiB/s, so a burst's replies trail behind it)."""
    while read_until(sock, b"\xff\xff", 1):
        pass


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    seed = int(args.pop(2))
    port = free_port()
    command, env, (iso, log, _) = emulator_command(args[:2] + ["-"] + args[2:], port, "COM2")
    failure = None
    with running(command, env, log):
        try:
            wait_for_line(log, "hv: ready")
            sock = socket.create_connection(("127.0.0.1", port))
            rng = random.Random(seed)
            frames = [random_frame(rng) for _ in range(FRAMES)]
            frames.insert(FRAMES // 2, frame(b"m0," + b"f" * 5000))     # past PacketSize
            for f in frames:
                sock.sendall(f)
                read_until(sock, b"\xff\xff", 0.005)    # keep the replies flowing
            sock.sendall(b"#00\x03")
            drain(sock)
            checks = [(frame(b"?"), b"$T"),
                      (frame(b"qRcmd," + b"vms".hex().encode()), b"$O"),
                      (frame(b"D"), b"$OK")]
            for packet, answer in checks:
                sock.sendall(packet)
                if answer not in read_until(sock, answer, 20):
                    failure = f"no {answer.decode()} answer to {packet.decode()} after the burst"
                    break
                drain(sock)
            sock.close()
            time.sleep(2)
        except OSError as e:
            failure = f"the stub's socket: {e}"
    return verdict(failure)


if __name__ == "__main__":
    sys.exit(main())
