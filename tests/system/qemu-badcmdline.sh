# shellcheck shell=bash
# Bad options are reported and ignored: the defaults stay (all CPUs, no debug
# lines) and the boot still completes.
make_iso "console=com1 bogus=1 loglevel=loud smp=banana idle=poweroff"
run_qemu 2 128
expect_clean_boot
expect_line "cmdline: unknown option 'bogus(=1)?' ignored"
expect_line "cmdline: invalid value 'loud' for 'loglevel'.*default"
expect_line "cmdline: invalid value 'banana' for 'smp'.*default"
expect_no_line ' D: '
