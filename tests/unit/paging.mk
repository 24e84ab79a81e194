UNIT_TESTS += paging
paging_SRCS := tests/unit/paging.c mm/paging.c mm/mem_range.c
