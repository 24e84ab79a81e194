# shellcheck shell=bash
# As qemu-owned-xsave under VMX (Bochs skylake-x: XSAVE, AVX): DR6 and CR2,
# which a VMCS does not hold, are switched as well.
owned_modules 1 4 12
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_bochs corei7_skylake_x 2 256
expect_line 'fpu: XSAVE'
expect_owned_verdicts
