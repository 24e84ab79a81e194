# shellcheck shell=bash
# SMP guests under SVM: 1, 2 and 4 vCPUs (4 on 2 CPUs) brought up by
# INIT-SIPI-SIPI, IPIs both ways, logical and broadcast destinations, NMIs,
# and one computation that must give the same answer at every vCPU count.
smp_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_qemu 2 256
expect_smp_verdicts
