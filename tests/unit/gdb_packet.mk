UNIT_TESTS += gdb_packet
gdb_packet_SRCS := tests/unit/gdb_packet.c hv/console/gdb_packet.c
