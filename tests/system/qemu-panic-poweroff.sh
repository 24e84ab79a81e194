# shellcheck shell=bash
# selftest=panic panics the hypervisor on CPU 0 a second after `hv: ready`,
# while the exitloop guest spins in CPUID exits there and the spinner runs
# on CPU 1: the report has the backtrace, CPU 0's last 16 exits and CPU 1's
# last one; then panic=poweroff switches the machine off by itself.
make_iso "console=com1 selftest=panic panic=poweroff" "${panic_modules[@]}"
run_qemu 2 256
expect_panic_report
expect_poweroff
expect_before 'exit trace cpu1: ' 'hv: poweroff'
