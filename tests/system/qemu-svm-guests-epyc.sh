# shellcheck shell=bash
# The guest suite on QEMU's EPYC model (1 GiB pages allowed in NPT), one CPU,
# so VMs run one after another and ASIDs get recycled.
suite_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_qemu 1 512 -cpu EPYC
expect_suite_verdicts
