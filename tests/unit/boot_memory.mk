UNIT_TESTS += boot_memory
boot_memory_SRCS := tests/unit/boot_memory.c boot/boot_memory.c boot/mb2_info.c boot/mb2_mmap.c \
	mm/pmm.c mm/buddy.c mm/paging.c mm/mem_range.c
