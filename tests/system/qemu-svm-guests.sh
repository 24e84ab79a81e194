# shellcheck shell=bash
# The guest suite under SVM+NPT in QEMU TCG (qemu64: no NRIPS, 16 ASIDs),
# all VMs from one boot over two CPUs.
suite_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_qemu 2 512
expect_suite_verdicts
