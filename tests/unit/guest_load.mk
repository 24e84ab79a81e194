UNIT_TESTS += guest_load guest_linux
GUEST_LOADER_SRCS := hv/load/guest_load.c hv/load/guest_flat.c hv/load/guest_linux.c \
	hv/load/guest_multiboot.c hv/load/guest_mb1_header.c hv/load/guest_mb2_header.c \
	hv/load/guest_aout.c hv/load/guest_elf.c hv/load/guest_segments.c hv/load/guest_space.c \
	hv/load/guest_mb1_info.c hv/load/guest_mb2_info.c hv/load/guest_ram.c boot/mb2_info.c \
	boot/mb2_mmap.c
guest_load_SRCS := tests/unit/guest_load.c tests/unit/guest_image_builder.c $(GUEST_LOADER_SRCS)
guest_linux_SRCS := tests/unit/guest_linux.c tests/unit/guest_image_builder.c $(GUEST_LOADER_SRCS)
