UNIT_TESTS += vlapic
vlapic_SRCS := tests/unit/vlapic.c tests/unit/timer_host.c hv/dev/vlapic.c \
	hv/dev/vlapic_timer.c hv/dev/vlapic_ipi.c
