/* The GDB stub's breakpoints and watchpoints (hv/console/gdb_break.h). */
#include <string.h>

#include "hv/console/gdb_break.h"
#include "hv/console/gdb_packet.h"
#include "hv/guest_mem.h"
#include "hv/vcpu_debug.h"

#define INT3		0xcc
#define Z_SOFTWARE	0
#define Z_HARDWARE	1
#define Z_WRITE		2
#define Z_READ		3
#define Z_ACCESS	4

/* The bytes under the int3s, by index in vm_debug.breaks. The stub serves
 * one VM at a time, so one table. */
static uint8_t saved[DEBUG_SW_BREAKS];

static int find_break(const struct vm_debug *d, uint64_t addr)
{
	for (unsigned i = 0; i < d->nr_breaks; i++)
		if (d->breaks[i] == addr)
			return (int)i;
	return -1;
}

static const char *insert_break(struct vm_debug *d, struct vcpu *v, uint64_t addr)
{
	struct gwalk_result r;
	uint8_t byte, int3 = INT3;

	if (find_break(d, addr) >= 0)
		return "OK";
	if (d->nr_breaks == DEBUG_SW_BREAKS)
		return "E01";
	if (guest_virt_read(v, &v->paused_sregs, addr, &byte, 1, 0, &r) != GWALK_OK ||
	    guest_virt_write(v, &v->paused_sregs, addr, &int3, 1, 0, &r) != GWALK_OK)
		return "E14";
	saved[d->nr_breaks] = byte;
	d->breaks[d->nr_breaks++] = addr;
	return "OK";
}

/* Put the byte back (where the page still translates) and forget it. */
static void remove_break(struct vm_debug *d, struct vcpu *v, unsigned i)
{
	struct gwalk_result r;

	guest_virt_write(v, &v->paused_sregs, d->breaks[i], &saved[i], 1, 0, &r);
	d->nr_breaks--;
	d->breaks[i] = d->breaks[d->nr_breaks];
	saved[i] = saved[d->nr_breaks];
}

/* DR7's LEN field for `bytes`, or -1. */
static int dr7_len(uint64_t bytes)
{
	switch (bytes) {
	case 1:
		return 0;
	case 2:
		return 1;
	case 8:
		return 2;
	case 4:
		return 3;
	}
	return -1;
}

/* The DR7 fields of slot n for gdb's `type` and `kind`. */
static uint64_t slot_bits(unsigned n, uint64_t type, int len)
{
	uint64_t rw = type == Z_HARDWARE ? DR7_RW_EXEC : type == Z_WRITE ? DR7_RW_WRITE
									: DR7_RW_ACCESS;

	return DR7_ENABLE(n) | rw << DR7_RW_SHIFT(n) | (uint64_t)len << DR7_LEN_SHIFT(n);
}

static uint64_t slot_mask(unsigned n)
{
	return DR7_ENABLE(n) | 0xfull << DR7_RW_SHIFT(n);
}

/* Z1-Z4: a slot; x86 has no read-only watch, so Z3 watches every access. */
static const char *hw_packet(struct vm_debug *d, uint64_t type, uint64_t addr, uint64_t kind,
			     bool insert)
{
	int len = type == Z_HARDWARE ? (kind == 1 ? 0 : -1) : dr7_len(kind);

	if (len < 0 || (type != Z_HARDWARE && (addr & (kind - 1))))
		return "E01";
	for (unsigned n = 0; n < DEBUG_HW_SLOTS; n++) {
		bool used = d->dr7 & DR7_ENABLE(n);
		bool same = used && d->dr[n] == addr &&
			    (d->dr7 & slot_mask(n)) == slot_bits(n, type, len);

		if (insert && !used) {
			d->dr[n] = addr;
			d->dr7 |= slot_bits(n, type, len);
			return "OK";
		}
		if (!insert && same) {
			d->dr7 &= ~slot_mask(n);
			return "OK";
		}
	}
	return insert ? "E01" : "OK";
}

const char *gdb_break_packet(struct vm_debug *d, struct vcpu *v, const char *p, bool insert)
{
	uint64_t type, addr, kind;
	int i;

	if (!gdb_parse_hex(&p, &type) || *p++ != ',' || !gdb_parse_hex(&p, &addr) ||
	    *p++ != ',' || !gdb_parse_hex(&p, &kind) || *p)
		return "E01";
	if (type > Z_ACCESS)
		return "";
	if (type != Z_SOFTWARE)
		return hw_packet(d, type, addr, kind, insert);
	if (kind != 1)
		return "E01";
	if (insert)
		return insert_break(d, v, addr);
	i = find_break(d, addr);
	if (i >= 0)
		remove_break(d, v, (unsigned)i);
	return "OK";
}

void gdb_break_clear(struct vm_debug *d, struct vcpu *v)
{
	while (d->nr_breaks)
		remove_break(d, v, d->nr_breaks - 1);
	d->dr7 = 0;
}

void gdb_break_unpatch(const struct vm_debug *d, uint64_t addr, uint8_t *buf, size_t len)
{
	for (unsigned i = 0; i < d->nr_breaks; i++)
		if (d->breaks[i] - addr < len)
			buf[d->breaks[i] - addr] = saved[i];
}

const char *gdb_break_hw_kind(const struct vm_debug *d, uint64_t addr)
{
	for (unsigned n = 0; n < DEBUG_HW_SLOTS; n++) {
		uint64_t rw = (d->dr7 >> DR7_RW_SHIFT(n)) & 3;

		if ((d->dr7 & DR7_ENABLE(n)) && d->dr[n] == addr && rw != DR7_RW_EXEC)
			return rw == DR7_RW_WRITE ? "watch" : "awatch";
	}
	return "hwbreak";
}
