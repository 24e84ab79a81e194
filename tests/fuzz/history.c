/* The console history ring (hv/console/history.c) against a model that
 * keeps every byte ever written. Input: two bytes for the ring's size,
 * then operations. A byte with bit 7 set writes the next (bits 5:0) input
 * bytes or, with bit 6 set too, a run of 64 * (bits 5:0) copies of itself
 * (to wrap the ring); with bit 7 clear it reads up to 8 * (bits 6:0) + 1
 * bytes from a position the next two bytes put behind the end. Every read
 * must give exactly what the model says is still held. */
#include <stdlib.h>
#include <string.h>

#include "hv/console/history.h"
#include "tests/fuzz/fuzz.h"

#define OP_WRITE	0x80
#define OP_RUN		0x40
#define RUN_UNIT	64
#define MODEL_MAX	MiB(1)		/* bytes written per input, at most */
#define READ_MAX	(8 * 0x7f + 1)

struct model {
	uint8_t bytes[MODEL_MAX];	/* every byte written, position = index */
	uint64_t end;
};

/* Append to the model and the ring alike. */
static void model_write(struct model *m, struct history *h, const uint8_t *p, size_t n)
{
	memcpy(m->bytes + m->end, p, n);
	m->end += n;
	history_write(h, p, n);
}

/* Read from `from` (maybe behind the oldest byte or past the end) and
 * compare with the model. */
static void check_read(const struct model *m, const struct history *h, uint64_t from, size_t max)
{
	static uint8_t out[READ_MAX];
	uint64_t start = m->end > h->size ? m->end - h->size : 0;
	uint64_t expect_from = from > m->end ? from : MAX(from, start);
	size_t expect = from > m->end ? 0 : MIN(max, m->end - expect_from);
	uint64_t at = from;
	size_t got = history_read(h, &at, out, max);

	FUZZ_CHECK(history_start(h) == start && h->end == m->end);
	FUZZ_CHECK(got == expect && at == expect_from + got);
	FUZZ_CHECK(!got || !memcmp(out, m->bytes + expect_from, got));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t run[0x3f * RUN_UNIT];
	static struct model m;
	struct history h;
	size_t i = 2;

	if (size < 2)
		return 0;
	if (history_init(&h, 1 + (data[0] | data[1] << 8) % 4096))
		abort();
	m.end = 0;
	while (i < size) {
		uint8_t op = data[i++];
		size_t n = op & 0x3f;

		if ((op & OP_WRITE) && (op & OP_RUN)) {
			n *= RUN_UNIT;
			if (m.end + n > MODEL_MAX)
				break;
			memset(run, op, n);
			model_write(&m, &h, run, n);
		} else if (op & OP_WRITE) {
			n = MIN(n, size - i);
			if (m.end + n > MODEL_MAX)
				break;
			model_write(&m, &h, data + i, n);
			i += n;
		} else {
			uint16_t back = i + 1 < size ? data[i] | data[i + 1] << 8 : 0;

			i += 2;
			/* Positions up to 8 KiB behind the end, and a few past it. */
			check_read(&m, &h, m.end + 16 > back ? m.end + 16 - back : 0,
				   8 * (op & 0x7f) + 1);
		}
	}
	check_read(&m, &h, 0, READ_MAX);
	free(h.buf);
	return 0;
}
