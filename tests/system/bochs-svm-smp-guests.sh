# shellcheck shell=bash
# As qemu-smp-guests under Bochs' SVM (ryzen, one CPU: all 4 vCPUs of smp4
# take turns on it).
smp_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_bochs ryzen 1 256
expect_smp_verdicts
