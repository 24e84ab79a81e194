UNIT_TESTS += cmdline
cmdline_SRCS := tests/unit/cmdline.c hv/cmdline.c
