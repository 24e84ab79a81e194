UNIT_TESTS += vm_config
vm_config_SRCS := tests/unit/vm_config.c hv/vm_config.c hv/vm_config_line.c lib/cmdline.c
