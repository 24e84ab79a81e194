# shellcheck shell=bash
# As qemu-smp-guests under VMX (Bochs skylake-x, 2 CPUs).
smp_modules
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_bochs corei7_skylake_x 2 256
expect_smp_verdicts
