# shellcheck shell=bash
# The same ISO under UEFI: OVMF on QEMU's q35 machine, 4 CPUs and 2 GiB,
# GRUB's EFI image loads the hypervisor, which comes up on every CPU and runs
# the whole guest suite as under BIOS.
suite_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
FIRMWARE=uefi run_qemu 4 2048
expect_line 'hv: ready cpus=4 '
expect_suite_verdicts
