# shellcheck shell=bash
# loglevel=debug lets debug lines (level letter D) through.
make_iso "console=com1 loglevel=debug idle=poweroff"
run_qemu 1 128
expect_clean_boot
expect_line ' D: '
