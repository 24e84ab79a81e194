UNIT_TESTS += history
history_SRCS := tests/unit/history.c hv/console/history.c
