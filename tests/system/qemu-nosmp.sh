# shellcheck shell=bash
# nosmp on a 4-CPU machine leaves the boot CPU alone.
make_iso "console=com1 nosmp idle=poweroff"
run_qemu 4 128
expect_clean_boot 1
