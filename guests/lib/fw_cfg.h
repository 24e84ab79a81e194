/* QEMU's fw_cfg, traditional I/O interface (selector 0x510, data 0x511). */
#pragma once

#include "lib/compiler.h"

#define FW_CFG_SIGNATURE	0x00
#define FW_CFG_RAM_SIZE		0x03
#define FW_CFG_NB_CPUS		0x05

/* Reads n (<= 8) bytes of fw_cfg item key, little-endian. */
uint64_t fw_cfg_read(uint16_t key, unsigned n);
