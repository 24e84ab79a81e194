/* Symbol lookup by binary search. The table is a weak reference: the first
 * link has none (the address is NULL and every lookup fails), the second
 * link places it last in the image so that no other address moves. */
#include "cpu/symbols.h"

extern const struct ksyms_header ksyms_table __attribute__((weak));

const char *ksyms_search(const struct ksyms_header *table, uint64_t addr, uint64_t *offset)
{
	size_t lo = 0, hi;

	if (!table || table->count == 0 || addr < table->entries[0].addr ||
	    addr >= table->text_end)
		return NULL;
	/* Find the last entry whose address is <= addr: entries[lo] always
	 * qualifies, entries[hi] (if any) never does. */
	hi = table->count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (table->entries[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - table->entries[lo].addr;
	return (const char *)&table->entries[table->count] + table->entries[lo].name_offset;
}

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
	return ksyms_search(&ksyms_table, addr, offset);
}
