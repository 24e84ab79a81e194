#!/usr/bin/env bash
# Boot an ISO in QEMU (TCG with SVM and NPT), serial console on stdin/stdout.
# usage: tools/qemu.sh ISO [extra qemu args]...
# QEMU_CPU, QEMU_SMP, QEMU_MEM (MiB) and QEMU_SERIAL (COM1's chardev, e.g.
# tcp:127.0.0.1:PORT,server=on,wait=on) override the defaults; so do later
# -cpu/-smp/-m arguments. QEMU_ACCEL=kvm runs on KVM instead of TCG (for
# what TCG lacks, such as x2APIC; pair it with QEMU_CPU=host). FIRMWARE=uefi boots with OVMF on the q35 machine
# (OVMF's variable store as a throw-away snapshot) instead of SeaBIOS. Exit status: 0 after an ACPI power-off or a triple
# fault, (value << 1) | 1 after `outb(0xf4, value)` (isa-debug-exit).
set -euo pipefail

if (($# < 1)); then
	echo "usage: $0 ISO [extra qemu args]..." >&2
	exit 2
fi
iso=$1
shift
if [[ ! -f $iso ]]; then
	echo "$0: no such ISO: $iso" >&2
	exit 2
fi

firmware=()
case ${FIRMWARE:-bios} in
bios) ;;
uefi)
	firmware=(-machine q35
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd
		-drive if=pflash,format=raw,snapshot=on,file=/usr/share/OVMF/OVMF_VARS.fd)
	;;
*)
	echo "$0: FIRMWARE=$FIRMWARE: use bios or uefi" >&2
	exit 2
	;;
esac

# mon:stdio keeps QEMU's Ctrl-A escapes on the serial console.
if [[ -t 0 ]]; then
	echo "qemu: serial console on this terminal; Ctrl-A X quits, Ctrl-A H helps" >&2
fi
exec qemu-system-x86_64 -accel "${QEMU_ACCEL:-tcg}" -cpu "${QEMU_CPU:-qemu64,+svm,+npt}" "${firmware[@]}" \
	-smp "${QEMU_SMP:-1}" -m "${QEMU_MEM:-256}" \
	-display none -monitor none -serial "${QEMU_SERIAL:-mon:stdio}" -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-cdrom "$iso" -boot d "$@"
