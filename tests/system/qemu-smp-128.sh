# shellcheck shell=bash
# 128 CPUs on QEMU's pc machine under BIOS: every AP comes up, started in
# parallel batches of at most 64, and the CPUs are numbered in the MADT's
# order whatever order they woke in (QEMU lists APIC IDs 0..127, so cpuN
# has APIC ID N). The APs' start-up page is the highest whole free page
# below 1 MiB in SeaBIOS's map, and only the 127 present APs get a block.
make_iso "console=com1 idle=poweroff loglevel=debug"
run_qemu 128 256
expect_clean_boot 128
expect_count 'cpu([0-9]+): online apic=\1$' 128
expect_line "smp: the APs' start-up page is 0x9e000$"
expect_line 'smp: per-CPU memory: [0-9]+ KiB for each of 127 APs '
expect_line 'tsc: all 128 CPUs in step'
