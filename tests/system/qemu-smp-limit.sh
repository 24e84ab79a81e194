# shellcheck shell=bash
# smp=66 on a 128-CPU machine brings up exactly 66 CPUs, the first 66 the
# MADT lists: the limit cuts the second start batch after its first AP,
# and no block is made for the CPUs left out.
make_iso "console=com1 smp=66 idle=poweroff loglevel=debug"
run_qemu 128 256
expect_clean_boot 66
expect_count 'cpu([0-9]+): online apic=\1$' 66
expect_line 'cpu65: online apic=65$'
expect_line 'smp: per-CPU memory: [0-9]+ KiB for each of 65 APs '
expect_no_line 'did not come up'
