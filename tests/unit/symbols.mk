UNIT_TESTS += symbols
symbols_SRCS := tests/unit/symbols.c cpu/symbols.c
