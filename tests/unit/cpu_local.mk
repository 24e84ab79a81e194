UNIT_TESTS += cpu_local
cpu_local_SRCS := tests/unit/cpu_local.c
