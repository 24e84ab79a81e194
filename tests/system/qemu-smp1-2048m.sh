# shellcheck shell=bash
# One CPU in 2 GiB: all of the memory is found and usable.
make_iso "console=com1 idle=poweroff"
run_qemu 1 2048
expect_clean_boot
