/* The console history ring (hv/console/history.h). */
#include <stdlib.h>
#include <string.h>

#include "hv/console/history.h"

int history_init(struct history *h, size_t size)
{
	h->buf = malloc(MAX(size, 1));
	h->size = MAX(size, 1);
	h->end = 0;
	return h->buf ? 0 : -1;
}

void history_write(struct history *h, const void *bytes, size_t n)
{
	const char *p = bytes;

	if (n > h->size) {		/* only the newest `size` bytes survive */
		p += n - h->size;
		h->end += n - h->size;
		n = h->size;
	}
	while (n) {
		size_t at = h->end % h->size, run = MIN(n, h->size - at);

		memcpy(h->buf + at, p, run);
		h->end += run;
		p += run;
		n -= run;
	}
}

uint64_t history_start(const struct history *h)
{
	return h->end > h->size ? h->end - h->size : 0;
}

size_t history_read(const struct history *h, uint64_t *from, void *out, size_t max)
{
	char *o = out;
	size_t done = 0;

	if (*from < history_start(h))
		*from = history_start(h);
	while (done < max && *from < h->end) {
		size_t at = *from % h->size;
		size_t run = MIN(MIN(max - done, h->size - at), (size_t)(h->end - *from));

		memcpy(o + done, h->buf + at, run);
		done += run;
		*from += run;
	}
	return done;
}
