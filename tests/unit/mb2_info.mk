UNIT_TESTS += mb2_info
mb2_info_SRCS := tests/unit/mb2_info.c boot/mb2_info.c boot/mb2_mmap.c
