UNIT_TESTS += cmdline
cmdline_SRCS := tests/unit/cmdline.c lib/cmdline.c
