# shellcheck shell=bash
# The guest suite under Bochs' SVM (ryzen: NPT, NRIPS, flush-by-ASID).
suite_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_bochs ryzen 1 512
expect_suite_verdicts
