/* Guest RAM in pieces: the loaders' only way to write it, and the check
 * that a layout handed to guest_load() covers the RAM it claims. */
#include "hv/load/guest_image.h"

void guest_ram_write(const struct guest_ram *ram, uint64_t gpa, const void *src, uint64_t len)
{
	const uint8_t *from = src;

	for (size_t i = 0; i < ram->nr_pieces && len; i++) {
		const struct guest_ram_piece *p = &ram->pieces[i];
		uint64_t n;

		if (gpa < p->gpa || gpa - p->gpa >= p->bytes)
			continue;
		n = MIN(len, p->bytes - (gpa - p->gpa));
		if (from)
			memcpy(p->host + (gpa - p->gpa), from, n);
		else
			memset(p->host + (gpa - p->gpa), 0, n);
		if (from)
			from += n;
		gpa += n;
		len -= n;
	}
}

bool guest_ram_layout_valid(const struct guest_ram *ram)
{
	uint64_t offset = 0;	/* RAM bytes covered so far */

	for (size_t i = 0; i < ram->nr_pieces; i++) {
		const struct guest_ram_piece *p = &ram->pieces[i];

		if (!p->bytes || !p->host || p->gpa != guest_ram_gpa(offset) ||
		    (offset < GUEST_PCI_HOLE && p->bytes > GUEST_PCI_HOLE - offset))
			return false;	/* a gap, an overlap, or a piece across the hole */
		offset += p->bytes;
	}
	return offset == ram->size;
}
