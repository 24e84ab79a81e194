UNIT_TESTS += smp_select
smp_select_SRCS := tests/unit/smp_select.c boot/smp_select.c
