UNIT_TESTS += vdev
vdev_SRCS := tests/unit/vdev.c hv/dev/vdev.c hv/dev/vdev_uart.c hv/dev/vdev_debug_exit.c \
	hv/dev/vdev_fw_cfg.c hv/dev/vdev_port80.c
vdev_TSAN := 1
