# shellcheck shell=bash
# selftest=ud faults on purpose on the boot CPU: the report names the
# exception, dumps the registers and a symbolized backtrace, then halts as
# a panic does (panic=halt).
# panic=gdb without gdb= is said to need it, and the panic halts instead.
make_iso "console=com1 selftest=ud panic=gdb"
qemu_time_limit=5 run_qemu 1 128
expect_line 'cmdline: panic=gdb needs gdb=com2: a panic will halt instead$'
expect_selftest_exception UD
