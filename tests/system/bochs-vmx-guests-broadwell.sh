# shellcheck shell=bash
# The guest suite under VMX in Bochs (broadwell_ult: EPT with 1 GiB pages and A/D flags),
# with the same verdicts as under SVM.
suite_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_bochs broadwell_ult 1 512
expect_suite_verdicts
