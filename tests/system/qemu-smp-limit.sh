# shellcheck shell=bash
# smp=2 on a 4-CPU machine brings up only two CPUs.
make_iso "console=com1 smp=2 idle=poweroff"
run_qemu 4 128
expect_clean_boot 2
