/* Range arithmetic for the boot-time memory map (see mm/mem_range.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mem_range.h"

/* qsort order: by start address. */
static int cmp_start(const void *a, const void *b)
{
	const struct mem_range *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

size_t mem_ranges_normalize(struct mem_range *r, size_t n)
{
	size_t out = 0;

	qsort(r, n, sizeof(*r), cmp_start);
	for (size_t i = 0; i < n; i++) {
		if (r[i].start >= r[i].end)
			continue;
		if (out && r[i].start <= r[out - 1].end)
			r[out - 1].end = MAX(r[out - 1].end, r[i].end);
		else
			r[out++] = r[i];
	}
	return out;
}

int mem_ranges_remove(struct mem_range *r, size_t *n, size_t max,
		      struct mem_range hole)
{
	size_t i = 0;

	if (hole.start >= hole.end)
		return 0;
	while (i < *n) {
		struct mem_range *cur = &r[i];

		if (cur->end <= hole.start || cur->start >= hole.end) {
			i++;
		} else if (cur->start >= hole.start && cur->end <= hole.end) {
			memmove(cur, cur + 1, (*n - i - 1) * sizeof(*cur));
			(*n)--;
		} else if (cur->start < hole.start && cur->end > hole.end) {
			/* The hole is strictly inside: split in two. */
			if (*n == max)
				return -ENOSPC;
			memmove(cur + 1, cur, (*n - i) * sizeof(*cur));
			(*n)++;
			cur->end = hole.start;
			cur[1].start = hole.end;
			return 0;
		} else {
			if (cur->start < hole.start)
				cur->end = hole.start;
			else
				cur->start = hole.end;
			i++;
		}
	}
	return 0;
}

bool mem_ranges_overlap(const struct mem_range *r, size_t n,
			uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].start < end && start < r[i].end)
			return true;
	return false;
}
