/* A console's history: a byte ring that keeps the newest bytes written to
 * it. Positions count every byte ever written, so a reader that remembers
 * one can ask for what came since (as much of it as is still held). */
#pragma once

#include "lib/compiler.h"

struct history {
	char *buf;
	size_t size;
	uint64_t end;		/* bytes ever written: the position after the newest */
};

/* Give `h` a ring of `size` bytes (at least 1); -1 without memory. */
int history_init(struct history *h, size_t size);

/* Append `n` bytes; the oldest fall out once the ring is full. */
void history_write(struct history *h, const void *bytes, size_t n);

/* The position of the oldest byte still held. */
uint64_t history_start(const struct history *h);

/* Copy up to `max` bytes from position *from (moved up to the oldest held
 * if it fell out) to `out`, advance *from past them; returns how many. */
size_t history_read(const struct history *h, uint64_t *from, void *out, size_t max);
