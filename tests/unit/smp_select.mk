UNIT_TESTS += smp_select
smp_select_SRCS := tests/unit/smp_select.c hv/smp_select.c
