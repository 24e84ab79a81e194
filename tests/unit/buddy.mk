UNIT_TESTS += buddy
buddy_SRCS := tests/unit/buddy.c mm/buddy.c
buddy_TSAN := 1
