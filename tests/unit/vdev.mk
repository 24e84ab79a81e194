UNIT_TESTS += vdev
vdev_SRCS := tests/unit/vdev.c hv/vdev.c hv/vdev_uart.c hv/vdev_debug_exit.c \
	hv/vdev_fw_cfg.c hv/vdev_port80.c
vdev_TSAN := 1
