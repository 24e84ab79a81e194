# shellcheck shell=bash
# UEFI with one CPU and 1 GiB: the hypervisor boots from GRUB's EFI image,
# runs the demo guest and powers the machine off.
make_iso "console=com1 idle=poweroff" build/guests/demo.elf "vm=demo mem=32M"
FIRMWARE=uefi run_qemu 1 1024
expect_line 'hv: ready cpus=1 '
expect_line 'vm demo: exit status=0$'
expect_poweroff
expect_no_line 'error: no suitable video mode'
