UNIT_TESTS += tdp_mt
tdp_mt_SRCS := tests/unit/tdp_mt.c tests/unit/tdp_vm_host.c tests/unit/tdp_check_host.c \
	tests/unit/page_host.c mm/tdp_mmu.c mm/tdp_iter.c mm/memslot.c mm/rmap.c mm/rcu.c \
	vmx/ept_pte.c svm/npt_pte.c
tdp_mt_TSAN := 1
