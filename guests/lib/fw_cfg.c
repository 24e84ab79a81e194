/* fw_cfg reads (guests/lib/fw_cfg.h). */
#include "guests/lib/fw_cfg.h"
#include "guests/lib/x86.h"

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511

uint64_t fw_cfg_read(uint16_t key, unsigned n)
{
	uint64_t v = 0;

	outw(FW_CFG_PORT_SEL, key);
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)inb(FW_CFG_PORT_DATA) << (8 * i);
	return v;
}
