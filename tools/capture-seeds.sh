#!/usr/bin/env bash
# Capture real fuzz seeds (docs/testing.md, "Fuzzing"): boot the mb2dump
# guest bare from GRUB under QEMU with SeaBIOS, QEMU with OVMF and Bochs
# (corei7_skylake_x, its BIOS), and turn the hex it prints on COM1 into
#   tests/fuzz/corpus/mb2_info/PLATFORM.bin  GRUB's multiboot2 information
#   tests/fuzz/corpus/acpi/PLATFORM.bin      the firmware's ACPI tables in
#       the acpi target's input format (tests/fuzz/acpi.c): one byte, the
#       RSDP's length (20 with only an RSDT, 36 with an XSDT), then memory
#       from 0xe0000: the RSDP, then each table 16-byte aligned, every
#       pointer between them (RSDP, RSDT/XSDT entries, the FADT's DSDT and
#       FACS) moved to the new places and every checksum made right again.
# PLATFORM is qemu-bios, qemu-uefi or bochs.
# usage: tools/capture-seeds.sh [PLATFORM...]   (default: all three)
# CAPTURE_OUT (tests/fuzz/corpus) and CAPTURE_WORK (build/capture, the
# ISO and the serial logs) override the defaults; CAPTURE_TIMEOUT (seconds
# per boot, 900) bounds each run. A platform that prints no
# "mb2dump: done" fails the script and writes nothing.
set -euo pipefail

out=${CAPTURE_OUT:-tests/fuzz/corpus}
work=${CAPTURE_WORK:-build/capture}
limit=${CAPTURE_TIMEOUT:-900}
platforms=("$@")
((${#platforms[@]})) || platforms=(qemu-bios qemu-uefi bochs)
elf=build/guests/mb2dump-mb2.elf
iso=$work/mb2dump.iso

die() {
	echo "$0: $*" >&2
	exit 1
}

mkdir -p "$work" "$out/mb2_info" "$out/acpi"
make -s "$elf"
tools/mkiso.sh "$iso" "$elf" "seed capture"

# Boots the ISO on platform $1, COM1 into $2.
capture() {
	local platform=$1 log=$2 pid t
	rm -f "$log"
	case $platform in
	qemu-bios | qemu-uefi)
		# isa-debug-exit ends the run: status (0 << 1) | 1.
		FIRMWARE=${platform#qemu-} QEMU_SERIAL=file:$log timeout "$limit" \
			tools/qemu.sh "$iso" </dev/null >"$log.out" 2>&1 || true
		;;
	bochs)
		# Bochs stops at the guest's write to its shutdown port; in case it
		# does not, it is stopped once the dump is complete.
		tools/bochs.sh "$iso" "$log" corei7_skylake_x 1 256 >"$log.out" 2>&1 &
		pid=$!
		for ((t = 0; t < limit * 2; t++)); do
			grep -a -q '^mb2dump: done' "$log" 2>/dev/null && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		;;
	*) die "unknown platform $platform (qemu-bios, qemu-uefi or bochs)" ;;
	esac
	grep -a -q '^mb2dump: done' "$log" || die "$platform: no complete dump in $log"
}

# Converts the dump in $1 into $2/mb2_info/$3.bin and $2/acpi/$3.bin.
convert() {
	python3 - "$@" <<'PY'
import struct, sys

log, out, name = sys.argv[1:4]
BASE = 0xe0000          # FAKE_BASE in tests/fuzz/acpi.c

blobs, cur = [], None
for raw in open(log, 'rb').read().decode('latin-1').splitlines():
    line = raw.strip('\r\n\0 ')
    if not line.startswith('mb2dump: '):
        continue
    words = line.split()
    if words[1] == 'begin':
        cur = dict(kind=words[2], sig=words[3], addr=int(words[4], 16),
                   length=int(words[5]), data=bytearray())
    elif words[1] == 'hex' and cur is not None:
        cur['data'] += bytes.fromhex(words[2])
    elif words[1] == 'end' and cur is not None:
        if len(cur['data']) != cur['length']:
            sys.exit(f'{log}: {cur["sig"]} has {len(cur["data"])} bytes, not {cur["length"]}')
        blobs.append(cur)
        cur = None

mb2 = [b for b in blobs if b['kind'] == 'mb2']
rsdp = [b for b in blobs if b['kind'] == 'rsdp']
tables = [b for b in blobs if b['kind'] == 'acpi']
if len(mb2) != 1 or len(rsdp) != 1 or not tables:
    sys.exit(f'{log}: want one mb2 block, one RSDP and tables')
open(f'{out}/mb2_info/{name}.bin', 'wb').write(mb2[0]['data'])

def align(n, a=16):
    return (n + a - 1) & ~(a - 1)

# Lay the tables out after the RSDP; old address -> new address.
at, moved = 64, {}
for t in tables:
    t['new'] = BASE + at
    moved[t['addr']] = t['new']
    at = align(at + t['length'])
image = bytearray(at)

def move(buf, off, size):
    """Points the size-byte pointer at off to the table's new place (0 if
    the table was not captured)."""
    if off + size > len(buf):
        return
    fmt = '<I' if size == 4 else '<Q'
    old = struct.unpack_from(fmt, buf, off)[0]
    if old:
        struct.pack_into(fmt, buf, off, moved.get(old, 0))

def checksum(buf, length, at):
    buf[at] = 0
    buf[at] = -sum(buf[:length]) & 0xff

r = bytearray(rsdp[0]['data'])
move(r, 16, 4)
if len(r) >= 36:
    move(r, 24, 8)
checksum(r, 20, 8)
if len(r) >= 36:
    checksum(r, 36, 32)
image[0:len(r)] = r
for t in tables:
    d = bytearray(t['data'])
    if t['sig'] == 'RSDT':
        for off in range(36, len(d) - 3, 4):
            move(d, off, 4)
    elif t['sig'] == 'XSDT':
        for off in range(36, len(d) - 7, 8):
            move(d, off, 8)
    elif t['sig'] == 'FACP':
        for off, size in ((36, 4), (40, 4), (132, 8), (140, 8)):
            move(d, off, size)
    if t['sig'] != 'FACS':
        checksum(d, len(d), 9)
    image[t['new'] - BASE:t['new'] - BASE + len(d)] = d
open(f'{out}/acpi/{name}.bin', 'wb').write(bytes([len(r)]) + image)
print(f'{name}: mb2_info {len(mb2[0]["data"])} bytes; acpi {1 + len(image)} bytes:',
      'RSDP', ' '.join(t['sig'] for t in tables))
PY
}

for platform in "${platforms[@]}"; do
	capture "$platform" "$work/$platform.log"
	convert "$work/$platform.log" "$out" "$platform"
done
