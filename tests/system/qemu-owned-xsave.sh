# shellcheck shell=bash
# What a vCPU owns stays its own, with XSAVE (-cpu max: AVX, XCR0): two
# VMs on one CPU hold different marks in their SSE/AVX registers, XCR0 and
# DR0-DR3 without seeing each other's, and a guest spinning without exits
# on that CPU does not keep the others from finishing.
owned_modules 5 8 400
make_iso "console=com1 idle=poweroff" "${modules[@]}"
QEMU_CPU=max run_qemu 2 256
expect_line 'fpu: XSAVE'
expect_owned_verdicts
