# shellcheck shell=bash
# The guest suite under Bochs' SVM (ryzen: NPT, NRIPS, flush-by-ASID).
# Bochs 2.7 does not deliver a guest's triple fault to the SVM shutdown
# intercept: it stops the whole emulator (QEMU and Bochs VMX cover it).
suite_triplefault=0
# Bochs reports a stale event for an INT n whose delivery exits.
events_args="fresh-shadow=1 soft-int=0"
platform_args="pit-hz=100 rtc-rs=10"
suite_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_bochs ryzen 1 512
expect_suite_verdicts
