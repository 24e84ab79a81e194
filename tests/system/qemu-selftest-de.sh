# shellcheck shell=bash
# selftest=de faults on purpose on the boot CPU: the report names the
# exception, dumps the registers and a symbolized backtrace, then halts as
# a panic does (panic=halt).
make_iso "console=com1 selftest=de"
qemu_time_limit=5 run_qemu 1 128
expect_selftest_exception DE
