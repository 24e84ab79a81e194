UNIT_TESTS += vplatform
vplatform_SRCS := tests/unit/vplatform.c $(VDEV_SRCS)
