UNIT_TESTS += pmm
pmm_SRCS := tests/unit/pmm.c mm/pmm.c mm/buddy.c mm/paging.c mm/mem_range.c
