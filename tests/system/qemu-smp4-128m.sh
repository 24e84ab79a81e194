# shellcheck shell=bash
# Four CPUs in 128 MiB: every CPU comes online.
make_iso "console=com1 idle=poweroff"
run_qemu 4 128
expect_clean_boot
