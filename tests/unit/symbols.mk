UNIT_TESTS += symbols
symbols_SRCS := tests/unit/symbols.c hv/symbols.c
