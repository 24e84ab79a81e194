UNIT_TESTS += exit_trace
exit_trace_SRCS := tests/unit/exit_trace.c tests/unit/timer_host.c hv/exit_trace.c hv/vm_exit.c
