UNIT_TESTS += guest_load
guest_load_SRCS := tests/unit/guest_load.c tests/unit/guest_image_builder.c \
	hv/guest_load.c hv/guest_flat.c hv/guest_multiboot.c hv/guest_mb1_header.c \
	hv/guest_mb2_header.c hv/guest_aout.c hv/guest_elf.c hv/guest_segments.c \
	hv/guest_space.c hv/guest_mb1_info.c hv/guest_mb2_info.c boot/mb2_info.c
