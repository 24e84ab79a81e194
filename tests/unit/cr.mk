UNIT_TESTS += cr
cr_SRCS := tests/unit/cr.c hv/cr_rules.c
