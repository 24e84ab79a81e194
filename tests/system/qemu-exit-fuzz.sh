# shellcheck shell=bash
# Exit-path fuzzing on QEMU's SVM (guests/exitfuzz): EXIT_FUZZ_EXITS
# (200000) exits' worth of seeded random exiting instructions
# (EXIT_FUZZ_SEED, default 1) with every architectural answer checked,
# while the owned guest on the same CPU keeps its FPU, XCR0 and debug
# register marks and memtest on the other CPU checks all of its memory.
# `make fuzz` runs it for 10^6 exits with a new seed (tools/fuzz-exits.sh).
exits=${EXIT_FUZZ_EXITS:-200000}
exit_fuzz_args="dr7-gd=0 canonical-msrs=0 sti-shadow=0"
exit_fuzz_modules "${EXIT_FUZZ_SEED:-1}" "$exits"
make_iso "console=com1 idle=poweroff" "${modules[@]}"
# About 30,000 exits a second under TCG: leave room for 10^6 of them.
QEMU_CPU=max qemu_time_limit=$((60 + exits / 10000)) run_qemu 2 256
expect_exit_fuzz_verdicts
