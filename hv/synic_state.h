/* What the SynIC files share (hv/synic*.c, hv/stimer*.c): the register
 * layouts of the TLFS and each vCPU's state. Everything in struct synic
 * but the SINT registers is changed only on the vCPU's own CPU (its MSR
 * exits and its host timers, which run there too), under synic->lock; the
 * SINT registers are atomics other CPUs read to route an interrupt. */
#pragma once

#include "cpu/timer.h"
#include "hv/hyperv.h"
#include "hv/synic.h"
#include "lib/spinlock.h"

#define HV_MSR_SCONTROL		0x40000080
#define HV_MSR_SVERSION		0x40000081
#define HV_MSR_SIEFP		0x40000082
#define HV_MSR_SIMP		0x40000083
#define HV_MSR_EOM		0x40000084
#define HV_MSR_SINT0		0x40000090
#define HV_MSR_STIMER0_CONFIG	0x400000b0
#define HV_MSR_STIMER3_COUNT	0x400000b7

#define SYNIC_VERSION		1
#define SCONTROL_ENABLE		(1ull << 0)
#define SINT_VECTOR		0xffull
#define SINT_MASKED		(1ull << 16)
#define SINT_AUTO_EOI		(1ull << 17)
#define SINT_POLLING		(1ull << 18)
#define SINT_WRITABLE		(SINT_VECTOR | SINT_MASKED | SINT_AUTO_EOI | SINT_POLLING)

#define STIMER_COUNT		4
#define STIMER_ENABLE		(1ull << 0)
#define STIMER_PERIODIC		(1ull << 1)
#define STIMER_LAZY		(1ull << 2)
#define STIMER_AUTO_ENABLE	(1ull << 3)
#define STIMER_VECTOR_SHIFT	4
#define STIMER_VECTOR		(0xffull << STIMER_VECTOR_SHIFT)
#define STIMER_DIRECT		(1ull << 12)
#define STIMER_SINTX_SHIFT	16
#define STIMER_SINTX		(0xfull << STIMER_SINTX_SHIFT)
#define STIMER_WRITABLE		(STIMER_ENABLE | STIMER_PERIODIC | STIMER_LAZY | \
				 STIMER_AUTO_ENABLE | STIMER_VECTOR | STIMER_DIRECT | STIMER_SINTX)

/* HV_MESSAGE: a 16-byte header and 240 bytes of payload. */
#define HVMSG_NONE		0
#define HVMSG_TIMER_EXPIRED	0x80000010u
#define HV_MESSAGE_SIZE		256
#define HV_MESSAGE_PAYLOAD	240
#define HV_MSG_FLAG_PENDING	(1u << 0)

struct hv_message {
	uint32_t message_type;
	uint8_t payload_size;
	uint8_t message_flags;
	uint8_t reserved[2];
	uint64_t origin;		/* port or partition ID; 0 from the hypervisor */
	uint8_t payload[HV_MESSAGE_PAYLOAD];
};
static_assert(sizeof(struct hv_message) == HV_MESSAGE_SIZE, "TLFS HV_MESSAGE");

/* HV_TIMER_MESSAGE_PAYLOAD. */
struct hv_timer_payload {
	uint32_t timer_index;
	uint32_t reserved;
	uint64_t expiration_time;	/* reference time it was due */
	uint64_t delivery_time;		/* reference time it was posted */
};

struct synic;

/* One synthetic timer (hv/stimer.c). */
struct stimer {
	struct synic *synic;
	unsigned index;
	uint64_t config;
	uint64_t count;
	uint64_t expiration;		/* reference time of the armed expiry */
	bool pending;			/* expired, its message not yet posted */
	struct timer timer;
};

struct synic {
	struct vcpu *vcpu;
	struct spinlock lock;
	uint64_t scontrol;
	uint64_t siefp;
	uint64_t simp;
	uint64_t sint[SYNIC_SINT_COUNT];	/* atomic */
	struct stimer stimers[STIMER_COUNT];
};

/* The VM's part: how many SINTs make it inhibit APICv (hv/synic_autoeoi.c). */
struct synic_vm {
	struct spinlock lock;
	unsigned autoeoi_sints;		/* under lock */
};

/* Whether SINT register `sint` of a SynIC whose SCONTROL is `scontrol`
 * counts toward the AutoEOI inhibit: enabled, unmasked, AutoEOI. */
bool synic_sint_inhibits(uint64_t scontrol, uint64_t sint);

/* s's SCONTROL or one of its SINTs changes from the old values to the new:
 * update the VM's count of inhibiting SINTs and its APICv inhibit. */
void synic_autoeoi_update(struct synic *s, uint64_t old_scontrol, uint64_t old_sint,
			  uint64_t new_scontrol, uint64_t new_sint);

/* Post `msg` in SINT `sint`'s slot of s's message page and raise the SINT;
 * when the slot is busy, mark it pending and return false (the guest's EOM
 * retries). Under s->lock. */
bool synic_post_message(struct synic *s, unsigned sint, const struct hv_message *msg);

/* Raise s's SINT `sint` in its local APIC: false when s is disabled or the
 * SINT masked. Any CPU. */
bool synic_raise_sint(struct synic *s, unsigned sint);

/* The guest wrote EOM (or re-enabled its message page): post what waits.
 * Under s->lock. */
void synic_retry_messages(struct synic *s);

/* The stimers (hv/stimer.c): set up, stop for good, MSR access, and a
 * pending expiry's second chance (under s->lock). */
void stimers_init(struct synic *s);
void stimers_stop(struct synic *s);
bool stimer_msr_read(struct synic *s, uint32_t msr, uint64_t *value);
bool stimer_msr_write(struct synic *s, uint32_t msr, uint64_t value);
void stimers_retry(struct synic *s);
