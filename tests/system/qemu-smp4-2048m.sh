# shellcheck shell=bash
# Four CPUs in 2 GiB: every CPU comes online and all memory is found.
make_iso "console=com1 idle=poweroff"
run_qemu 4 2048
expect_clean_boot
