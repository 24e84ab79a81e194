UNIT_TESTS += apicv
apicv_SRCS := tests/unit/apicv.c hv/apicv.c
