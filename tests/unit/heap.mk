UNIT_TESTS += heap
heap_SRCS := tests/unit/heap.c mm/heap.c mm/pmm.c mm/buddy.c mm/paging.c mm/mem_range.c
