# libFuzzer targets (docs/testing.md): tests/fuzz/NAME.c is the target,
# NAME_FUZZ_SRCS the hypervisor sources it runs, the unit tests' own.
FUZZ_LOADER_SRCS := tests/fuzz/guest_ram_fuzz.c $(GUEST_LOADER_SRCS)
FUZZ_TARGETS := mb2_info acpi cmdline vm_config load_mb1 load_mb2 load_flat load_linux \
	insn gwalk history gdb_packet monitor
mb2_info_FUZZ_SRCS := $(filter-out tests/unit/%,$(mb2_info_SRCS))
acpi_FUZZ_SRCS := $(filter-out tests/unit/%,$(acpi_SRCS))
cmdline_FUZZ_SRCS := $(filter-out tests/unit/%,$(cmdline_SRCS)) boot/options.c
vm_config_FUZZ_SRCS := $(filter-out tests/unit/%,$(vm_config_SRCS))
load_mb1_FUZZ_SRCS := $(FUZZ_LOADER_SRCS)
load_mb2_FUZZ_SRCS := $(FUZZ_LOADER_SRCS)
load_flat_FUZZ_SRCS := $(FUZZ_LOADER_SRCS)
load_linux_FUZZ_SRCS := $(FUZZ_LOADER_SRCS)
insn_FUZZ_SRCS := $(filter-out tests/unit/%,$(insn_SRCS))
gwalk_FUZZ_SRCS := $(filter-out tests/unit/%,$(gwalk_SRCS))
history_FUZZ_SRCS := $(filter-out tests/unit/%,$(history_SRCS))
gdb_packet_FUZZ_SRCS := $(filter-out tests/unit/%,$(gdb_packet_SRCS))
monitor_FUZZ_SRCS := hv/console/monitor.c
