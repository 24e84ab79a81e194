UNIT_TESTS += rmap
rmap_SRCS := tests/unit/rmap.c tests/unit/tdp_vm_host.c tests/unit/page_host.c \
	mm/tdp_mmu.c mm/tdp_iter.c mm/memslot.c mm/rmap.c mm/rcu.c vmx/ept_pte.c
