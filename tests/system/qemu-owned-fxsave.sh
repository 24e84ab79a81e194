# shellcheck shell=bash
# As qemu-owned-xsave, on a CPU without XSAVE (qemu64): the FXSAVE path.
owned_modules 5 8 400
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_qemu 2 256
expect_line 'fpu: FXSAVE'
expect_owned_verdicts
