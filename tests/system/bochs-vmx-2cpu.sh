# shellcheck shell=bash
# Two Intel CPUs with VMX and EPT in Bochs: both come online.
make_iso "console=com1 idle=poweroff"
run_bochs corei7_skylake_x 2 256
expect_clean_boot
