UNIT_TESTS += insn
insn_SRCS := tests/unit/insn.c hv/dev/insn_decode.c hv/dev/insn_emulate.c
