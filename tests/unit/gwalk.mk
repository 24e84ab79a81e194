UNIT_TESTS += gwalk
gwalk_SRCS := tests/unit/gwalk.c hv/dev/gwalk.c
