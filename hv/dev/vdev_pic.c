/* The dual 8259A PIC (Intel 8259A datasheet): master at 0x20/0x21, slave at
 * 0xa0/0xa1 cascaded on the master's IRQ 2, and the ELCR at 0x4d0/0x4d1
 * that makes an IRQ level-triggered. ICW1-ICW4, OCW1 (mask), OCW2 (EOI,
 * specific EOI, rotation), OCW3 (IRR/ISR read select, poll), auto-EOI.
 * The master's INT output goes to the boot vCPU (its LINT0 in ExtINT mode,
 * or directly with its APIC disabled); the core acknowledges through
 * vdev_pic_ack(). Special mask mode and buffered mode are not emulated. */
#include "hv/dev/vdev_device.h"

#define PIC_MASTER	0x20
#define PIC_SLAVE	0xa0
#define PIC_ELCR	0x4d0
#define ICW1		0x10
#define ICW1_ICW4	0x01
#define ICW1_SINGLE	0x02
#define ICW4_AEOI	0x02
#define OCW3		0x08
#define OCW3_POLL	0x04
#define OCW3_READ_ISR	0x03
#define CASCADE_IRQ	2
/* IRQs 0, 1, 2 and 8, 13 are edge-only on a PC: their ELCR bits are fixed. */
#define ELCR_MASK_MASTER 0xf8
#define ELCR_MASK_SLAVE	 0xde

struct pic_chip {
	uint8_t irr, isr, imr, elcr;
	uint8_t lines;			/* input levels */
	uint8_t vector_base;
	uint8_t icw_step;		/* 0: initialized; 1..3: ICW2..ICW4 next */
	bool icw4_needed, single, auto_eoi, read_isr, poll;
	uint8_t lowest;			/* the lowest-priority IRQ (rotation) */
};

struct pic_state {
	struct pic_chip chip[2];	/* master, slave */
	bool output;			/* the master's INT line */
	void (*intr)(void *ctx);
	void *intr_ctx;
};

/* The highest-priority IRQ set in `bits`, in the chip's rotated order, or -1. */
static int highest(const struct pic_chip *c, uint8_t bits)
{
	for (unsigned i = 1; i <= 8; i++) {
		unsigned irq = (c->lowest + i) & 7;

		if (bits & (1u << irq))
			return irq;
	}
	return -1;
}

/* The IRQ the chip would raise: requested, unmasked, above everything in
 * service; -1 if none. */
static int chip_pending(const struct pic_chip *c)
{
	int req = highest(c, c->irr & ~c->imr), svc = highest(c, c->isr);

	if (req < 0)
		return -1;
	if (svc >= 0 && ((req - c->lowest - 1) & 7) >= ((svc - c->lowest - 1) & 7))
		return -1;
	return req;
}

/* Recompute the cascade and the master's output; tell the core when it is
 * raised (the line stays up until acknowledged). */
static void pic_update(struct pic_state *p)
{
	struct pic_chip *m = &p->chip[0];
	bool slave_out = chip_pending(&p->chip[1]) >= 0;

	m->lines = slave_out ? m->lines | (1u << CASCADE_IRQ) : m->lines & ~(1u << CASCADE_IRQ);
	if (slave_out)
		m->irr |= 1u << CASCADE_IRQ;
	else if (!(m->elcr & (1u << CASCADE_IRQ)))
		m->irr &= ~(1u << CASCADE_IRQ);
	__atomic_store_n(&p->output, chip_pending(m) >= 0, __ATOMIC_SEQ_CST);
	if (p->output && p->intr)
		p->intr(p->intr_ctx);
}

static void chip_set_line(struct pic_chip *c, unsigned irq, bool level)
{
	uint8_t bit = 1u << irq;

	if (c->elcr & bit)
		c->irr = level ? c->irr | bit : c->irr & ~bit;
	else if (level && !(c->lines & bit))
		c->irr |= bit;
	c->lines = level ? c->lines | bit : c->lines & ~bit;
}

/* Acknowledge the chip's pending IRQ (INTA): ISR set unless auto-EOI,
 * edge request cleared. Returns the IRQ, or 7 (spurious) if none. */
static unsigned chip_ack(struct pic_chip *c)
{
	int irq = chip_pending(c);

	if (irq < 0)
		return 7;
	if (!(c->elcr & (1u << irq)))
		c->irr &= ~(1u << irq);
	if (!c->auto_eoi)
		c->isr |= 1u << irq;
	return irq;
}

static void chip_init(struct pic_chip *c, uint8_t icw1)
{
	uint8_t elcr = c->elcr;

	*c = (struct pic_chip){ .elcr = elcr, .lowest = 7, .icw_step = 1,
				.icw4_needed = icw1 & ICW1_ICW4, .single = icw1 & ICW1_SINGLE };
}

/* OCW2: EOI (non-specific: the highest in service; specific: bits 2:0),
 * with rotation, or set-priority. */
static void chip_ocw2(struct pic_chip *c, uint8_t v)
{
	unsigned op = v >> 5, level = v & 7;
	int irq = highest(c, c->isr);

	switch (op) {
	case 1:		/* non-specific EOI */
	case 5:		/* rotate on non-specific EOI */
		if (irq >= 0) {
			c->isr &= ~(1u << irq);
			if (op == 5)
				c->lowest = irq;
		}
		break;
	case 3:		/* specific EOI */
	case 7:		/* rotate on specific EOI */
		c->isr &= ~(1u << level);
		if (op == 7)
			c->lowest = level;
		break;
	case 6:		/* set priority */
		c->lowest = level;
		break;
	default:	/* rotate in auto-EOI mode, no-op */
		break;
	}
}

static uint8_t chip_read(struct pic_chip *c, bool data)
{
	if (data)
		return c->imr;
	if (c->poll) {
		int irq = chip_pending(c);

		c->poll = false;
		if (irq < 0)
			return 0;
		chip_ack(c);
		return 0x80 | irq;
	}
	return c->read_isr ? c->isr : c->irr;
}

static void chip_write(struct pic_chip *c, bool data, uint8_t v)
{
	if (!data) {
		if (v & ICW1) {
			chip_init(c, v);
		} else if (v & OCW3) {
			if (v & 2)
				c->read_isr = (v & OCW3_READ_ISR) == OCW3_READ_ISR;
			c->poll = v & OCW3_POLL;
		} else {
			chip_ocw2(c, v);
		}
		return;
	}
	switch (c->icw_step) {
	case 1:
		c->vector_base = v & 0xf8;
		c->icw_step = c->single ? (c->icw4_needed ? 3 : 0) : 2;
		break;
	case 2:		/* ICW3: the cascade wiring, fixed here */
		c->icw_step = c->icw4_needed ? 3 : 0;
		break;
	case 3:
		c->auto_eoi = v & ICW4_AEOI;
		c->icw_step = 0;
		break;
	default:
		c->imr = v;
		break;
	}
}

static enum vdev_result master_io(struct vdev_set *set, void *state, uint16_t offset,
				  unsigned size, bool is_write, uint32_t *value);
static enum vdev_result slave_io(struct vdev_set *set, void *state, uint16_t offset,
				 unsigned size, bool is_write, uint32_t *value);
static enum vdev_result elcr_io(struct vdev_set *set, void *state, uint16_t offset,
				unsigned size, bool is_write, uint32_t *value);

static const struct vdev_ops pic_master_ops = { .io = master_io };
static const struct vdev_ops pic_slave_ops = { .io = slave_io };
static const struct vdev_ops elcr_ops = { .io = elcr_io };

static struct pic_state *vdev_pic_state(struct vdev_set *set)
{
	return vdev_state_at(set, PIC_MASTER, &pic_master_ops);
}

/* Both chips' ports: `chip` 0 (master) or 1 (slave), offset 0 command,
 * 1 data. */
static enum vdev_result chip_io(struct vdev_set *set, unsigned chip, uint16_t offset,
				bool is_write, uint32_t *value)
{
	struct pic_state *p = vdev_pic_state(set);
	struct pic_chip *c = &p->chip[chip];

	if (is_write)
		chip_write(c, offset, *value);
	else
		*value = chip_read(c, offset);
	pic_update(p);
	return VDEV_OK;
}

static enum vdev_result master_io(struct vdev_set *set, void *state, uint16_t offset,
				  unsigned size, bool is_write, uint32_t *value)
{
	return chip_io(set, 0, offset, is_write, value);
}

static enum vdev_result slave_io(struct vdev_set *set, void *state, uint16_t offset,
				 unsigned size, bool is_write, uint32_t *value)
{
	return chip_io(set, 1, offset, is_write, value);
}

static enum vdev_result elcr_io(struct vdev_set *set, void *state, uint16_t offset,
				unsigned size, bool is_write, uint32_t *value)
{
	struct pic_state *p = vdev_pic_state(set);
	struct pic_chip *c = &p->chip[offset];

	if (!is_write) {
		*value = c->elcr;
		return VDEV_OK;
	}
	c->elcr = *value & (offset ? ELCR_MASK_SLAVE : ELCR_MASK_MASTER);
	pic_update(p);
	return VDEV_OK;
}

void vdev_pic_set_irq(struct vdev_set *set, unsigned irq, bool level)
{
	struct pic_state *p = vdev_pic_state(set);

	chip_set_line(&p->chip[irq >= 8], irq & 7, level);
	pic_update(p);
}

bool vdev_pic_output(struct vdev_set *set)
{
	return __atomic_load_n(&vdev_pic_state(set)->output, __ATOMIC_SEQ_CST);
}

bool vdev_pic_unmasked(struct vdev_set *set)
{
	return __atomic_load_n(&vdev_pic_state(set)->chip[0].imr, __ATOMIC_RELAXED) != 0xff;
}

void vdev_pic_view(struct vdev_set *set, struct vdev_pic_view *out)
{
	struct pic_state *p;

	vdev_lock(set);
	p = vdev_pic_state(set);
	for (unsigned i = 0; i < 2; i++) {
		out->irr[i] = p->chip[i].irr;
		out->isr[i] = p->chip[i].isr;
		out->imr[i] = p->chip[i].imr;
		out->vector_base[i] = p->chip[i].vector_base;
	}
	vdev_unlock(set);
}

uint8_t vdev_pic_ack(struct vdev_set *set)
{
	struct pic_state *p;
	unsigned irq;
	uint8_t vector;

	vdev_lock(set);
	p = vdev_pic_state(set);
	irq = chip_ack(&p->chip[0]);
	if (irq == CASCADE_IRQ)
		vector = p->chip[1].vector_base + chip_ack(&p->chip[1]);
	else
		vector = p->chip[0].vector_base + irq;
	pic_update(p);
	vdev_unlock(set);
	return vector;
}

int vdev_pic_attach(struct vdev_set *set, const struct vdev_config *config)
{
	struct pic_state *p;
	void *state;
	int err = vdev_register(set, PIC_MASTER, 2, &pic_master_ops, sizeof(*p), &state);

	if (err)
		return err;
	p = state;
	p->intr = config->pic_intr;
	p->intr_ctx = config->irq_ctx;
	/* Until initialized, a chip is masked (the firmware's job here). */
	p->chip[0].imr = p->chip[1].imr = 0xff;
	p->chip[0].lowest = p->chip[1].lowest = 7;
	err = vdev_register(set, PIC_SLAVE, 2, &pic_slave_ops, 0, &state);
	if (!err)
		err = vdev_register(set, PIC_ELCR, 2, &elcr_ops, 0, &state);
	return err;
}
