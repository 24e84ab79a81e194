UNIT_TESTS += tlb_tag
tlb_tag_SRCS := tests/unit/tlb_tag.c mm/tlb_tag.c
