# shellcheck shell=bash
# The guest suite under VMX in Bochs (corei7_skylake_x: two CPUs, EPT with 1 GiB pages and A/D flags),
# with the same verdicts as under SVM.
events_args="fresh-shadow=1"
platform_args="pit-hz=100 rtc-rs=10"
suite_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_bochs corei7_skylake_x 2 512
expect_suite_verdicts
