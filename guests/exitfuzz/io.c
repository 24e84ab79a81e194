/* IN and OUT of 1, 2 and 4 bytes at random ports (the PC's devices more
 * often than the rest), in both the immediate and the DX form. Port I/O
 * at CPL 0 never faults. Left alone: this guest's own console and exit
 * port, the reset and power-off ports, and writes that would reprogram
 * interrupt sources (8259s, PIT, i8042, RTC) onto vectors that are
 * exceptions or into storms. CMOS RAM gets a check of its own: a byte
 * written there reads back. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_RAM_FIRST	0x0e	/* past the clock and registers A-D */
#define CMOS_CENTURY	0x32	/* a clock register amid the RAM */
#define CMOS_LAST	0x7f

/* Ports no access may touch (`writes`: no write may). */
static const struct {
	uint16_t first, last;
	bool writes;
} spared[] = {
	{ 0x3f8, 0x3ff, false },	/* COM1: this guest's console */
	{ 0xf4, 0xf7, false },		/* isa-debug-exit (QEMU's iosize 4) */
	{ 0x92, 0x92, false },		/* fast A20 and reset */
	{ 0xcf9, 0xcf9, false },	/* reset control */
	{ 0x600, 0x60f, true },		/* the ACPI PM1 block: sleep, power-off */
	{ 0xb000, 0xb03f, true },	/* QEMU's PIIX4 PM block, the same */
	{ 0x20, 0x21, true },		/* 8259s: vectors onto exceptions */
	{ 0xa0, 0xa1, true },
	{ 0x40, 0x43, true },		/* PIT: interrupt storms */
	{ 0x60, 0x60, true },		/* i8042: the reset pulse */
	{ 0x64, 0x64, true },
	{ 0x70, 0x71, true },		/* RTC: periodic interrupts (cmos_step) */
};

/* Ports of the devices a PC has, spared ones included (they are skipped
 * when drawn). */
static const uint32_t device_ports[] = {
	0x20, 0x21, 0x40, 0x41, 0x42, 0x43, 0x60, 0x61, 0x64, 0x70, 0x71, 0x80, 0x92, 0xa0,
	0xa1, 0xed, 0xf0, 0x2f8, 0x3f8, 0x402, 0x4d0, 0x4d1, 0x510, 0x511, 0x514, 0x600,
	0x604, 0x608, 0x60c, 0xcf8, 0xcfa, 0xcfc, 0xcfe, 0xb000, 0xb004, 0xb008,
};

struct io_try {
	uint16_t port;
	uint8_t size;
	bool in, imm;
	uint32_t value;
};

/* Whether any byte of the access falls in a spared range. */
static bool is_spared(const struct io_try *t)
{
	for (unsigned b = 0; b < t->size; b++) {
		uint16_t p = (uint16_t)(t->port + b);

		for (unsigned i = 0; i < ARRAY_SIZE(spared); i++)
			if (p >= spared[i].first && p <= spared[i].last &&
			    (!spared[i].writes || !t->in))
				return true;
	}
	return false;
}

/* IN with an 8-bit immediate port: the encoding names the port. */
#define IN_IMM(t, p) do {						\
	switch (t->size) {						\
	case 1: __asm__ volatile("inb %1, %%al" : "=a"(t->value) : "i"(p)); break; \
	case 2: __asm__ volatile("inw %1, %%ax" : "=a"(t->value) : "i"(p)); break; \
	default: __asm__ volatile("inl %1, %%eax" : "=a"(t->value) : "i"(p)); break; \
	}								\
} while (0)

/* The immediate form exists only for ports 0-0xff, one encoding each:
 * reach a few of them that way (the rest go through DX). */
static bool io_imm(struct io_try *t)
{
	switch (t->port) {
	case 0x61: IN_IMM(t, 0x61); return true;
	case 0x80: IN_IMM(t, 0x80); return true;
	case 0xed: IN_IMM(t, 0xed); return true;
	case 0xf0: IN_IMM(t, 0xf0); return true;
	}
	return false;
}

/* The IN or OUT a struct io_try describes, for fuzz_try. */
static void io_access(void *arg)
{
	struct io_try *t = arg;

	if (t->in && t->imm && io_imm(t))
		return;
	if (t->in && t->size == 1)
		t->value = inb(t->port);
	else if (t->in && t->size == 2)
		t->value = inw(t->port);
	else if (t->in)
		t->value = inl(t->port);
	else if (t->size == 1)
		outb(t->port, (uint8_t)t->value);
	else if (t->size == 2)
		outw(t->port, (uint16_t)t->value);
	else
		outl(t->port, t->value);
}

/* A random access to a port that is not spared. */
static void port_step(void)
{
	static const uint32_t sizes[] = { 1, 2, 4 };
	struct io_try t = {
		.port = rng_one_in(2) ? rng_pick(device_ports, ARRAY_SIZE(device_ports)) +
					rng_below(4) : (uint16_t)rng32(),
		.size = rng_pick(sizes, ARRAY_SIZE(sizes)),
		.in = rng_one_in(2),
		.imm = rng_one_in(2),
		.value = rng32(),
	};

	if (is_spared(&t))
		return;
	fuzz_expect_vector(fuzz_try(io_access, &t), TRAP_NONE, "%s%u port 0x%x",
			   t.in ? "in" : "out", t.size * 8, t.port);
}

/* Write CMOS byte `port` with the low byte of `value`, then read it back
 * into it. */
static void cmos_access(void *arg)
{
	struct io_try *t = arg;

	outb(CMOS_INDEX, (uint8_t)t->port);
	outb(CMOS_DATA, (uint8_t)t->value);
	outb(CMOS_INDEX, (uint8_t)t->port);
	t->value = (t->value & ~0xffu) | inb(CMOS_DATA);
}

/* A random byte into CMOS RAM reads back. */
static void cmos_step(void)
{
	struct io_try t = { .port = CMOS_RAM_FIRST + rng_below(CMOS_LAST - CMOS_RAM_FIRST + 1),
			    .value = rng32() };
	uint8_t wrote = (uint8_t)t.value;
	int v;

	if (t.port == CMOS_CENTURY)
		return;
	v = fuzz_try(cmos_access, &t);
	fuzz_expect_vector(v, TRAP_NONE, "CMOS byte 0x%x", t.port);
	fuzz_expect(v != TRAP_NONE || (uint8_t)t.value == wrote,
		    "CMOS byte 0x%x: wrote 0x%x, read 0x%x", t.port, wrote, (uint8_t)t.value);
}

/* Mostly a port access, now and then a CMOS round trip. */
static void step(void)
{
	if (rng_one_in(8))
		cmos_step();
	else
		port_step();
}

const struct fuzz_class fuzz_io = { "io", 14, step, NULL };
