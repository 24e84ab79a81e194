UNIT_TESTS += vdev
VDEV_SRCS := hv/dev/vdev.c hv/dev/vdev_uart.c hv/dev/vdev_debug_exit.c hv/dev/vdev_hyperv_testdev.c hv/dev/vdev_fw_cfg.c \
	hv/dev/vdev_port80.c hv/dev/vdev_pic.c hv/dev/vdev_pit.c hv/dev/vdev_rtc.c \
	hv/dev/vdev_pmtimer.c hv/dev/vdev_pm1.c hv/dev/vdev_pci_host.c hv/dev/vdev_i8042.c \
	hv/dev/vioapic.c hv/dev/vlapic.c hv/dev/vlapic_timer.c \
	hv/dev/vlapic_ipi.c lib/calendar.c tests/unit/timer_host.c
vdev_SRCS := tests/unit/vdev.c $(VDEV_SRCS)
vdev_TSAN := 1
