UNIT_TESTS += tdp_pte
tdp_pte_SRCS := tests/unit/tdp_pte.c vmx/ept_pte.c svm/npt_pte.c
