# shellcheck shell=bash
# UEFI with 8 GiB (OVMF on q35: 2 GiB below the PCI hole, 6 GiB above
# 4 GiB): the memory map comes from GRUB's EFI memory map tag, the
# hypervisor's usable memory is what that map calls free (less its image,
# modules and low 1 MiB), and a 6 GiB VM, which only fits with the memory
# above 4 GiB, runs beside memtest; `hv: ready` reports the memory left.
make_iso "console=com1 idle=poweroff loglevel=debug" \
	build/guests/demo.elf "vm=big mem=6G" \
	build/guests/memtest.elf "vm=memtest mem=64M -- expect=hv"
FIRMWARE=uefi run_qemu 2 8192
expect_no_line 'EXCEPTION|PANIC'
expect_poweroff
expect_line 'boot: memory map from the EFI memory map tag: [0-9]+ entries, [0-9]+ ranges$'
expect_line 'boot: EFI system table at 0x[0-9a-f]+$'
expect_line 'acpi: RSDP from the loader.s ACPI 2.0 tag$'
# OVMF's flash is MMIO: not memory, so not in the map.
expect_no_line 'boot: mem 0xffc00000-'

map_free=0
while read -r start end; do
	map_free=$((map_free + end - start))
done < <(console | sed -nE 's/.*boot: mem (0x[0-9a-f]+|0)-(0x[0-9a-f]+) type 1$/\1 \2/p')
map_free=$((map_free >> 20))
[[ $(find_line 'mem: usable=') =~ usable=([0-9]+)\ MiB\ free=([0-9]+)\ MiB ]] ||
	fail "no 'mem: usable=U MiB free=F MiB' line"
usable=${BASH_REMATCH[1]} boot_free=${BASH_REMATCH[2]}
((map_free > 8000 && usable <= map_free && usable >= map_free - 16)) ||
	fail "usable=$usable MiB, the EFI map calls $map_free MiB free"

expect_ready 2
[[ $(find_line 'hv: ready cpus=') =~ free=([0-9]+)\ MiB ]] || fail "no free figure"
# The VMs' RAM and at most a few MiB of their page tables are gone.
want=$((boot_free - 6144 - 64))
((BASH_REMATCH[1] <= want && BASH_REMATCH[1] >= want - 4)) ||
	fail "ready with free=${BASH_REMATCH[1]} MiB, expected $((want - 4))..$want"
expect_line 'vm big: 6144 MiB of guest RAM in [0-9]+ host blocks, [2-9][0-9]* memslots$'
expect_line '\[big\] PASS demo: 6291072 KiB of RAM in [0-9]+ memory ranges$'
expect_vm_passed big 1
expect_vm_passed memtest 2
