# shellcheck shell=bash
# Exit-path fuzzing under VMX (Bochs skylake-x, 2 CPUs: XSAVE, AVX, MPX
# absent from what the hypervisor hands out): EXIT_FUZZ_EXITS (20000)
# exits with seed EXIT_FUZZ_SEED (1), every check on, beside the owned
# guest and memtest as in qemu-exit-fuzz.
exits=${EXIT_FUZZ_EXITS:-20000}
exit_fuzz_modules "${EXIT_FUZZ_SEED:-1}" "$exits"
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_bochs corei7_skylake_x 2 256
expect_exit_fuzz_verdicts
