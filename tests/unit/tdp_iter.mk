UNIT_TESTS += tdp_iter
tdp_iter_SRCS := tests/unit/tdp_iter.c tests/unit/page_host.c mm/tdp_iter.c vmx/ept_pte.c
