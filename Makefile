# The hypervisor's one Makefile: `make` builds build/hv.elf and build/hv.iso,
# `make run` boots it in QEMU, `make test` runs every test, `make bench`
# prints the figures.

BUILD   := build
CC      := gcc
LD      := ld
NEWLIB  := $(BUILD)/newlib
GCC_INC := $(shell $(CC) -print-file-name=include)
LIBGCC  := $(shell $(CC) -print-libgcc-file-name)

# The hypervisor never touches SSE/x87 (-mgeneral-regs-only), so a guest's
# FPU state needs no save on every exit. No red zone: exceptions and NMIs
# land on the interrupted stack.
HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-builtin-malloc \
	-mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-omit-frame-pointer \
	-nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) -I. -MMD -MP
HV_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack -T linker.ld

# The rooms of the hypervisor (docs/architecture.md); every .c and .S under
# them is part of the image, sub-rooms such as hv/load included.
HV_ROOMS := lib x86 cpu boot hv mm drivers vmx svm
HV_SRCS := $(sort $(shell find $(HV_ROOMS) -name '*.c' -o -name '*.S'))
HV_OBJS := $(patsubst %,$(BUILD)/%.o,$(HV_SRCS))

.PHONY: all run test unit layers systest bench deps clean fuzz fuzz-smoke fuzz-seeds
all: $(BUILD)/hv.iso

deps:
	@tools/deps.sh

$(NEWLIB)/lib/libc.a:
	tools/build-newlib.sh $(NEWLIB)

$(BUILD)/%.c.o: %.c | $(NEWLIB)/lib/libc.a
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# Two links: the first finds every symbol's address, the second embeds the
# symbol table (for backtraces) in a section placed last, so no address moves.
$(BUILD)/hv.elf: $(HV_OBJS) linker.ld tools/symtab.sh $(NEWLIB)/lib/libc.a
	$(LD) $(HV_LDFLAGS) -o $@.pass1 $(HV_OBJS) $(NEWLIB)/lib/libc.a $(LIBGCC)
	tools/symtab.sh $@.pass1 > $(BUILD)/symtab.S
	$(CC) $(HV_CFLAGS) -c $(BUILD)/symtab.S -o $(BUILD)/symtab.o
	$(LD) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(BUILD)/symtab.o $(NEWLIB)/lib/libc.a $(LIBGCC)
	tools/symtab.sh --check $@.pass1 $@
	tools/check-no-sse.sh $@

include guests/Makefile.inc

# The demo ISO (`make run GUEST=demo`): the hypervisor and the demo guest.
HV_CMDLINE ?= console=com1,115200 loglevel=info
$(BUILD)/hv.iso: $(BUILD)/hv.elf $(GUEST_OUT)/demo.elf tools/mkiso.sh
	tools/mkiso.sh $@ $(BUILD)/hv.elf "$(HV_CMDLINE)" $(GUEST_OUT)/demo.elf "vm=demo mem=32M"

# The Linux guest (guests/linux): Debian's cloud kernel and a busybox
# initramfs, downloaded once into $(BUILD)/linux.
LINUX_GUEST := $(BUILD)/linux/vmlinuz $(BUILD)/linux/initrd.gz
$(LINUX_GUEST) &: guests/linux/build.sh guests/linux/init
	guests/linux/build.sh $(BUILD)/linux

# `make run`: the Linux guest (2 vCPUs) with its shell on this terminal.
$(BUILD)/hv-linux.iso: $(BUILD)/hv.elf $(LINUX_GUEST) tools/mkiso.sh
	tools/mkiso.sh $@ $(BUILD)/hv.elf "$(HV_CMDLINE) focus=linux" \
		$(BUILD)/linux/vmlinuz "vm=linux mem=256M vcpus=2 -- console=ttyS0" \
		$(BUILD)/linux/initrd.gz "vm=linux role=initrd"

GUEST ?= linux
FIRMWARE ?= bios
run: $(if $(filter demo,$(GUEST)),$(BUILD)/hv.iso,$(BUILD)/hv-linux.iso)
	FIRMWARE=$(FIRMWARE) QEMU_SMP=2 QEMU_MEM=1024 tools/qemu.sh $<

# Host unit tests: each tests/unit/NAME.mk adds NAME to UNIT_TESTS and lists
# NAME_SRCS; NAME_TSAN := 1 builds a ThreadSanitizer twin as well. Every test
# links the host's CPU identity (tests/unit/host.c) and the CPU-local
# variables it gives each host "CPU" a copy of.
UNIT_TESTS :=
include $(wildcard tests/unit/*.mk)
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-I. -fno-omit-frame-pointer -DHOST_TEST
ASAN := -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN := -fsanitize=thread

UNIT_HOST := tests/unit/host.c lib/cpu_local.c

define unit_rules
$(BUILD)/unit/$(1): $$($(1)_SRCS) $(UNIT_HOST) $$(wildcard */*.h tests/unit/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(HOST_CFLAGS) $$(ASAN) -o $$@ $$($(1)_SRCS) $(UNIT_HOST) -lcmocka -lpthread
$(BUILD)/unit/$(1)-tsan: $$($(1)_SRCS) $(UNIT_HOST) $$(wildcard */*.h tests/unit/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(HOST_CFLAGS) $$(TSAN) -o $$@ $$($(1)_SRCS) $(UNIT_HOST) -lcmocka -lpthread
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rules,$(t))))
UNIT_BINS := $(foreach t,$(UNIT_TESTS),$(BUILD)/unit/$(t) $(if $($(t)_TSAN),$(BUILD)/unit/$(t)-tsan))

unit: $(UNIT_BINS)
	@tools/run-unit.sh $(UNIT_BINS)

# Fuzz targets: tests/fuzz/fuzz.mk lists them and their sources, built with
# clang's libFuzzer under ASan and UBSan. `make fuzz` runs each for
# FUZZ_SECONDS, then the exit-path fuzzer guest for FUZZ_EXITS exits in
# QEMU (tools/fuzz-exits.sh); `make fuzz-smoke` (in `make test`) runs the
# targets for FUZZ_SMOKE_SECONDS.
include tests/fuzz/fuzz.mk
FUZZ_CC := clang
FUZZ_CFLAGS := $(HOST_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_HOST := tests/fuzz/fuzz_host.c $(UNIT_HOST)
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3

define fuzz_rules
$(BUILD)/fuzz/$(1): tests/fuzz/$(1).c $$($(1)_FUZZ_SRCS) $(FUZZ_HOST) $$(wildcard */*.h tests/*/*.h)
	@mkdir -p $$(dir $$@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ tests/fuzz/$(1).c $$($(1)_FUZZ_SRCS) $(FUZZ_HOST)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

FUZZ_EXITS ?= 1000000

fuzz: deps $(FUZZ_BINS) $(BUILD)/hv.elf guests
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_WORK=$(BUILD)/fuzz tools/fuzz.sh $(FUZZ_BINS); \
	targets=$$?; FUZZ_EXITS=$(FUZZ_EXITS) FUZZ_WORK=$(BUILD)/fuzz tools/fuzz-exits.sh && \
	exit $$targets

fuzz-smoke: $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_WORK=$(BUILD)/fuzz tools/fuzz.sh $(FUZZ_BINS)

# The seed corpora in tests/fuzz/corpus, made by the hypervisor's own
# builders (boot information, ACPI tables, images) and from two test guests.
$(BUILD)/fuzz/seeds: tests/fuzz/seeds.c tests/unit/guest_image_builder.c \
		hv/load/guest_acpi.c hv/load/guest_acpi_dsdt.c $(GUEST_LOADER_SRCS) $(UNIT_HOST)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $^ -lcmocka
fuzz-seeds: $(BUILD)/fuzz/seeds $(GUEST_OUT)/demo.elf $(GUEST_OUT)/cpuid-mb2.elf
	mkdir -p $(addprefix tests/fuzz/corpus/,$(FUZZ_TARGETS))
	strip -o $(BUILD)/fuzz/demo.elf $(GUEST_OUT)/demo.elf
	strip -o $(BUILD)/fuzz/cpuid-mb2.elf $(GUEST_OUT)/cpuid-mb2.elf
	$(BUILD)/fuzz/seeds tests/fuzz/corpus $(BUILD)/fuzz/demo.elf $(BUILD)/fuzz/cpuid-mb2.elf

# The include arrows between rooms (docs/architecture.md), and the checker's
# own tests.
layers:
	@tools/check-layers.sh
	@tests/layers.sh

systest: $(BUILD)/hv.iso guests $(LINUX_GUEST)
	@tests/system/run.sh

# Figures (docs/benchmarks.md): the memory core on the host, then exit costs
# and the workload ratio on each emulator and vendor.
BENCH_MM_SRCS := tools/bench-mm.c mm/rcu.c mm/memslot.c mm/rmap.c mm/tdp_iter.c \
	mm/tdp_mmu.c vmx/ept_pte.c svm/npt_pte.c $(UNIT_HOST)
$(BUILD)/bench-mm: $(BENCH_MM_SRCS)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter -I. -o $@ \
		$(BENCH_MM_SRCS) -lpthread

bench: deps $(BUILD)/hv.iso guests $(BUILD)/bench-mm $(LINUX_GUEST)
	@tools/bench.sh

test: deps
	$(MAKE) layers
	$(MAKE) unit
	$(MAKE) fuzz-smoke
	$(MAKE) systest

clean:
	rm -rf $(BUILD)/unit $(addprefix $(BUILD)/,$(HV_ROOMS)) $(BUILD)/*.elf* $(BUILD)/*.iso

-include $(HV_OBJS:.o=.d)
