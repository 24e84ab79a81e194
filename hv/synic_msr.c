/* The SynIC MSRs (TLFS "SynIC MSRs"): SCONTROL, SVERSION, SIEFP, SIMP,
 * EOM, SINT0-15, and the stimers' pairs, handed on to hv/stimer.c. Each
 * write is decoded and checked whole before it changes anything. */
#include "hv/guest_mem.h"
#include "hv/synic_state.h"
#include "hv/vm.h"

#define SYNIC_PAGE_BYTES	4096u
#define SYNIC_PAGE_RESERVED	(~(HV_PAGE_GPA | HV_PAGE_ENABLE))
#define FIRST_VALID_VECTOR	16

/* Zero the guest page at `gpa`, as a newly enabled SIEF or SIM page reads;
 * false (nothing written) unless it is guest RAM. */
static bool page_clear(struct vm *vm, uint64_t gpa)
{
	static const uint8_t zeros[HV_MESSAGE_SIZE];

	if (!guest_page_in_ram(vm, gpa))
		return false;
	for (unsigned off = 0; off < SYNIC_PAGE_BYTES; off += sizeof(zeros))
		guest_phys_write(vm, gpa + off, zeros, sizeof(zeros));
	return true;
}

/* SIEFP or SIMP: reserved bits 11:1 clear, and an enabled page in RAM. */
static bool page_msr_write(struct synic *s, uint64_t *reg, uint64_t value)
{
	if (value & SYNIC_PAGE_RESERVED)
		return false;
	if ((value & HV_PAGE_ENABLE) && !page_clear(s->vcpu->vm, value & HV_PAGE_GPA))
		return false;
	*reg = value;
	return true;
}

static bool scontrol_write(struct synic *s, uint64_t value)
{
	uint64_t old = s->scontrol;

	if (value & ~SCONTROL_ENABLE)
		return false;
	s->scontrol = value;
	for (unsigned i = 0; i < SYNIC_SINT_COUNT; i++)
		synic_autoeoi_update(s, old, s->sint[i], value, s->sint[i]);
	return true;
}

/* SINTn: vector 7:0 (16 or above unless masked), masked, AutoEOI, polling. */
static bool sint_write(struct synic *s, unsigned n, uint64_t value)
{
	uint64_t old = s->sint[n];

	if ((value & ~SINT_WRITABLE) ||
	    (!(value & SINT_MASKED) && (value & SINT_VECTOR) < FIRST_VALID_VECTOR))
		return false;
	__atomic_store_n(&s->sint[n], value, __ATOMIC_RELEASE);
	synic_autoeoi_update(s, s->scontrol, old, s->scontrol, value);
	return true;
}

/* A SynIC register's value; false for a hole or a write-only one. */
static bool synic_reg_read(struct synic *s, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case HV_MSR_SCONTROL:
		*value = s->scontrol;
		return true;
	case HV_MSR_SVERSION:
		*value = SYNIC_VERSION;
		return true;
	case HV_MSR_SIEFP:
		*value = s->siefp;
		return true;
	case HV_MSR_SIMP:
		*value = s->simp;
		return true;
	case HV_MSR_SINT0 ... HV_MSR_SINT0 + SYNIC_SINT_COUNT - 1:
		*value = s->sint[msr - HV_MSR_SINT0];
		return true;
	case HV_MSR_STIMER0_CONFIG ... HV_MSR_STIMER3_COUNT:
		return stimer_msr_read(s, msr, value);
	}
	return false;
}

/* A write to a SynIC register; false for #GP. */
static bool synic_reg_write(struct synic *s, uint32_t msr, uint64_t value)
{
	bool ok;

	switch (msr) {
	case HV_MSR_SCONTROL:
		return scontrol_write(s, value);
	case HV_MSR_SIEFP:
		return page_msr_write(s, &s->siefp, value);
	case HV_MSR_SIMP:
		ok = page_msr_write(s, &s->simp, value);
		if (ok)
			synic_retry_messages(s);
		return ok;
	case HV_MSR_EOM:
		synic_retry_messages(s);
		return true;
	case HV_MSR_SINT0 ... HV_MSR_SINT0 + SYNIC_SINT_COUNT - 1:
		return sint_write(s, msr - HV_MSR_SINT0, value);
	case HV_MSR_STIMER0_CONFIG ... HV_MSR_STIMER3_COUNT:
		return stimer_msr_write(s, msr, value);
	}
	return false;
}

bool synic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	struct synic *s = v->synic;
	bool ok;

	if (!s)
		return false;
	spin_lock(&s->lock);
	ok = synic_reg_read(s, msr, value);
	spin_unlock(&s->lock);
	return ok;
}

bool synic_msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	struct synic *s = v->synic;
	bool ok;

	if (!s)
		return false;
	spin_lock(&s->lock);
	ok = synic_reg_write(s, msr, value);
	spin_unlock(&s->lock);
	return ok;
}
