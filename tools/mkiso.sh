#!/usr/bin/env bash
# Build a GRUB boot ISO for BIOS and UEFI: GRUB loads HV_ELF as /boot/hv.elf with multiboot2
# and HV_CMDLINE, then each FILE as /boot/<its base name> with `module2` and its
# MODULE_ARGS (the guest's VM settings), in the order given. GRUB talks on COM1
# and boots at once.
set -euo pipefail

usage() {
	echo "usage: $0 OUT.iso HV_ELF \"HV CMDLINE\" [FILE \"MODULE ARGS\"]..." >&2
	exit 2
}

die() {
	echo "$0: $*" >&2
	exit 1
}

# GRUB's script parser would expand, quote or split on these characters, so
# the command line the hypervisor receives would differ from the one given.
check_cmdline() {
	local meta=$'[\\$"\';{}#&|<>\n]'
	if [[ $1 =~ $meta ]]; then
		die "command line '$1' contains a character GRUB would interpret"
	fi
}

(($# >= 3 && $# % 2 == 1)) || usage
out=$1 hv_elf=$2 hv_cmdline=$3
shift 3
[[ -f $hv_elf ]] || die "no such file: $hv_elf"
check_cmdline "$hv_cmdline"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/boot/grub"
cp "$hv_elf" "$root/boot/hv.elf"

modules=()
while (($#)); do
	file=$1 args=$2 name=$(basename "$1")
	shift 2
	[[ -f $file ]] || die "no such file: $file"
	[[ ! -e $root/boot/$name ]] || die "two files would be /boot/$name"
	check_cmdline "$args"
	cp "$file" "$root/boot/$name"
	modules+=("	module2 /boot/$name $args")
done

# On UEFI, gfxpayload=keep spares GRUB its search for a video mode for a
# kernel that asks for none ("no suitable video mode found"). Its warning
# that the OS gets no console stays: the console is the serial line, and
# the header's framebuffer tag that would silence it sends GRUB on a BIOS
# through VBE, where under Bochs it corrupts its own heap.
cat >"$root/boot/grub/grub.cfg" <<CFG
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
if [ "\$grub_platform" = efi ]; then set gfxpayload=keep; fi
menuentry "hv" {
	multiboot2 /boot/hv.elf $hv_cmdline
$(printf '%s\n' "${modules[@]}")
	boot
}
CFG

# grub-mkrescue chatters on success: show its output only when it fails.
# With grub-pc-bin and grub-efi-amd64-bin both installed the image boots
# under BIOS and UEFI alike; the partition modules are those GRUB's EFI
# image probes for (without them it reports each missing one).
if ! log=$(grub-mkrescue -o "$out" \
	--install-modules="multiboot2 multiboot normal serial terminal boot gzio test part_msdos part_gpt part_acorn part_amiga part_apple part_bsd part_dfly part_dvh part_plan part_sun part_sunpc" \
	--fonts= --locales= --themes= "$root" 2>&1); then
	printf '%s\n' "$log" >&2
	die "grub-mkrescue failed"
fi
