/* The 8254 PIT (Intel 82C54 datasheet) at 0x40-0x43, and port 0x61 (port
 * B: channel 2's gate and output, the speaker enable, the refresh toggle).
 * Three channels count at 1.193182 MHz, derived from the TSC rather than
 * ticked: a read computes the count from the time since it was loaded.
 * Modes 0 (interrupt on terminal count), 2 (rate generator) and 3 (square
 * wave); 1, 4 and 5 count as 0 does. Latch and read-back commands; LSB, MSB
 * and LSB-then-MSB access. Channel 0's output rising edge is IRQ 0 (a host
 * timer per edge; a periodic rate above 10 kHz is slowed to 10 kHz, and
 * edges a busy host missed are not replayed). BCD counting is not
 * emulated: the BCD bit is kept and reported, the count stays binary. */
#include "cpu/timer.h"
#include "drivers/tsc.h"
#include "hv/dev/vdev_device.h"

#define PIT_BASE	0x40
#define PIT_CONTROL	3
#define PORT_B		0x61
#define PIT_HZ		1193182ull
#define PIT_MIN_PERIOD	119		/* ticks: 10 kHz */
#define PORT_B_GATE2	0x01
#define PORT_B_SPEAKER	0x02
#define PORT_B_REFRESH	0x10
#define PORT_B_OUT2	0x20
#define REFRESH_US	15

struct pit_channel {
	uint32_t count;			/* 1..65536 once loaded */
	uint8_t mode, access, bcd;	/* access: 1 LSB, 2 MSB, 3 LSB then MSB */
	bool loaded;			/* counting (a count was written) */
	bool lsb_written;		/* LSB-then-MSB write half done */
	uint8_t lsb;
	bool read_msb;			/* LSB-then-MSB read half done */
	bool latched, status_latched;
	uint16_t latch;
	uint8_t status;
	bool gate;
	uint64_t base;			/* ticks counted before start_tsc */
	uint64_t start_tsc;
};

struct pit_state {
	struct vdev_set *set;
	bool dying;			/* the set is being freed: no more timers */
	struct pit_channel ch[3];
	uint8_t port_b;			/* the speaker bit */
	struct timer irq0;
};

/* PIT ticks in `tsc` TSC ticks. */
static uint64_t to_ticks(uint64_t tsc)
{
	uint64_t khz = READ_ONCE(tsc_khz);

	return khz ? (uint64_t)((unsigned __int128)tsc * PIT_HZ / (khz * 1000)) : 0;
}

/* TSC ticks for `ticks` PIT ticks. */
static uint64_t to_tsc(uint64_t ticks)
{
	return (uint64_t)((unsigned __int128)ticks * READ_ONCE(tsc_khz) * 1000 / PIT_HZ);
}

static uint64_t elapsed(const struct pit_channel *c, uint64_t now)
{
	if (!c->loaded)
		return 0;
	return c->base + (c->gate ? to_ticks(now - c->start_tsc) : 0);
}

static bool periodic(const struct pit_channel *c)
{
	return c->mode == 2 || c->mode == 3;
}

static uint16_t current_count(const struct pit_channel *c, uint64_t now)
{
	uint64_t e = elapsed(c, now);

	if (!c->loaded)
		return 0;
	if (c->mode == 2)
		return c->count - e % c->count;
	if (c->mode == 3)
		return c->count - 2 * (e % ((c->count + 1) / 2));
	return (c->count - e) & 0xffff;
}

static bool output(const struct pit_channel *c, uint64_t now)
{
	uint64_t e = elapsed(c, now);

	if (!c->loaded)
		return c->mode != 0;
	if (c->mode == 2)
		return e % c->count != c->count - 1;
	if (c->mode == 3)
		return e % c->count < (c->count + 1) / 2;
	return e >= c->count;
}

/* Arm the host timer for channel 0's next rising edge, if any. */
static void irq0_arm(struct pit_state *p, uint64_t now)
{
	struct pit_channel *c = &p->ch[0];
	uint64_t e = elapsed(c, now), next;

	timer_cancel(&p->irq0);
	if (!c->loaded || !c->gate)
		return;
	if (periodic(c))
		next = (e / MAX(c->count, PIT_MIN_PERIOD) + 1) * MAX(c->count, PIT_MIN_PERIOD);
	else if (e < c->count)
		next = c->count;
	else
		return;
	timer_arm(&p->irq0, c->start_tsc + to_tsc(next - c->base));
}

static void irq0_fired(struct timer *t)
{
	struct pit_state *p = container_of(t, struct pit_state, irq0);
	uint64_t now = tsc_now();

	vdev_lock(p->set);
	if (!p->dying && p->ch[0].loaded && (periodic(&p->ch[0]) || output(&p->ch[0], now))) {
		vdev_irq(p->set, 0, true);
		vdev_irq(p->set, 0, false);
		if (periodic(&p->ch[0]))
			irq0_arm(p, now);
	}
	vdev_unlock(p->set);
}

static void channel_load(struct pit_state *p, unsigned n, uint32_t value)
{
	struct pit_channel *c = &p->ch[n];
	uint64_t now = tsc_now();

	c->count = value ? value : 0x10000;
	c->loaded = true;
	c->base = 0;
	c->start_tsc = now;
	if (n == 0)
		irq0_arm(p, now);
}

static void channel_write(struct pit_state *p, unsigned n, uint8_t v)
{
	struct pit_channel *c = &p->ch[n];

	switch (c->access) {
	case 1:
		channel_load(p, n, v);
		break;
	case 2:
		channel_load(p, n, (uint32_t)v << 8);
		break;
	default:
		if (!c->lsb_written) {
			c->lsb = v;
			c->lsb_written = true;
		} else {
			c->lsb_written = false;
			channel_load(p, n, c->lsb | (uint32_t)v << 8);
		}
		break;
	}
}

static uint8_t channel_read(struct pit_state *p, unsigned n)
{
	struct pit_channel *c = &p->ch[n];
	uint16_t value;
	bool msb;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	value = c->latched ? c->latch : current_count(c, tsc_now());
	msb = c->access == 2 || (c->access == 3 && c->read_msb);
	if (c->access == 3)
		c->read_msb = !c->read_msb;
	if (c->latched && (c->access != 3 || !c->read_msb))
		c->latched = false;
	return msb ? value >> 8 : value & 0xff;
}

static void latch_count(struct pit_channel *c, uint64_t now)
{
	if (c->latched)
		return;		/* the first latch holds until read */
	c->latched = true;
	c->latch = current_count(c, now);
	c->read_msb = false;
}

static void latch_status(struct pit_channel *c, uint64_t now)
{
	c->status_latched = true;
	c->status = (output(c, now) ? 0x80 : 0) | (c->loaded ? 0 : 0x40) | c->access << 4 |
		    c->mode << 1 | c->bcd;
}

static void control_write(struct pit_state *p, uint8_t v)
{
	unsigned n = v >> 6, access = (v >> 4) & 3;
	uint64_t now = tsc_now();
	struct pit_channel *c;

	if (n == 3) {		/* read-back: bit 5 clear latches counts, bit 4 status */
		for (unsigned i = 0; i < 3; i++) {
			if (!(v & (2u << i)))
				continue;
			if (!(v & 0x20))
				latch_count(&p->ch[i], now);
			if (!(v & 0x10))
				latch_status(&p->ch[i], now);
		}
		return;
	}
	c = &p->ch[n];
	if (!access) {
		latch_count(c, now);
		return;
	}
	c->access = access;
	c->mode = (v >> 1) & 7;
	if (c->mode > 5)
		c->mode -= 4;	/* 6 and 7 are 2 and 3 */
	c->bcd = v & 1;
	c->loaded = c->lsb_written = c->read_msb = c->latched = false;
	if (n == 0)
		timer_cancel(&p->irq0);
}

/* Channel 2's gate from port B: counting pauses while it is low; a rising
 * edge restarts the periodic modes. */
static void gate2_set(struct pit_state *p, bool gate)
{
	struct pit_channel *c = &p->ch[2];
	uint64_t now = tsc_now();

	if (gate == c->gate)
		return;
	if (!gate)
		c->base = elapsed(c, now);
	else if (c->mode != 0 && c->mode != 4)
		c->base = 0;
	c->gate = gate;
	c->start_tsc = now;
}

static enum vdev_result pit_io(struct vdev_set *set, void *state, uint16_t offset,
			       unsigned size, bool is_write, uint32_t *value)
{
	struct pit_state *p = state;

	if (offset == PIT_CONTROL) {
		if (is_write)
			control_write(p, *value);
		else
			*value = 0xff;	/* the control word cannot be read */
	} else if (is_write) {
		channel_write(p, offset, *value);
	} else {
		*value = channel_read(p, offset);
	}
	return VDEV_OK;
}

static void pit_destroy(struct vdev_set *set, void *state)
{
	struct pit_state *p = state;

	vdev_timer_retire(set, &p->dying, &p->irq0);
}

static const struct vdev_ops pit_ops = { .io = pit_io, .destroy = pit_destroy };

static enum vdev_result port_b_io(struct vdev_set *set, void *state, uint16_t offset,
				  unsigned size, bool is_write, uint32_t *value)
{
	struct pit_state *p = vdev_state_at(set, PIT_BASE, &pit_ops);
	uint64_t now = tsc_now(), khz = READ_ONCE(tsc_khz);

	if (is_write) {
		p->port_b = *value & PORT_B_SPEAKER;
		gate2_set(p, *value & PORT_B_GATE2);
		return VDEV_OK;
	}
	*value = p->port_b | (p->ch[2].gate ? PORT_B_GATE2 : 0) |
		 (output(&p->ch[2], now) ? PORT_B_OUT2 : 0) |
		 (khz && (now / (khz * REFRESH_US / 1000 + 1)) & 1 ? PORT_B_REFRESH : 0);
	return VDEV_OK;
}

static const struct vdev_ops port_b_ops = { .io = port_b_io };

int vdev_pit_attach(struct vdev_set *set, const struct vdev_config *config)
{
	struct pit_state *p;
	void *state;
	int err = vdev_register(set, PIT_BASE, 4, &pit_ops, sizeof(*p), &state);

	if (err)
		return err;
	p = state;
	p->set = set;
	p->ch[0].gate = p->ch[1].gate = true;	/* wired high on a PC */
	for (unsigned i = 0; i < 3; i++)
		p->ch[i].access = 3;
	timer_init(&p->irq0, irq0_fired);
	return vdev_register(set, PORT_B, 1, &port_b_ops, 0, &state);
}
