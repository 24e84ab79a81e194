# shellcheck shell=bash
# One CPU in 128 MiB: the smallest boot comes up and powers off by itself.
make_iso "console=com1 idle=poweroff"
run_qemu 1 128
expect_clean_boot
