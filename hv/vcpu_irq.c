/* A vCPU's interrupts (hv/vcpu_irq.h). The vLAPIC reaches its vCPU through
 * these callbacks, from any CPU: they only set state and request bits and
 * wake or kick the vCPU; everything else happens on the vCPU's own CPU
 * before its next entry. */
#include <errno.h>

#include "hv/apicv.h"
#include "hv/dev/vdev.h"
#include "hv/dev/vioapic.h"
#include "hv/dev/vlapic.h"
#include "hv/sched.h"
#include "hv/synic.h"
#include "hv/vcpu_irq.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "x86/insn.h"
#include "x86/regs.h"

static void lapic_notify(void *ctx)
{
	vcpu_request(ctx, VCPU_REQ_EVENT);
}

static void lapic_nmi(void *ctx)
{
	struct vcpu *v = ctx;

	__atomic_store_n(&v->nmi_pending, true, __ATOMIC_SEQ_CST);
	vcpu_request(v, VCPU_REQ_EVENT);
}

static void lapic_init(void *ctx)
{
	vcpu_request(ctx, VCPU_REQ_INIT);
}

static void lapic_sipi(void *ctx, uint8_t vector)
{
	struct vcpu *v = ctx;

	__atomic_store_n(&v->sipi_vector, vector, __ATOMIC_RELAXED);
	vcpu_request(v, VCPU_REQ_SIPI);
}

static void lapic_eoi_level(void *ctx, uint8_t vector)
{
	struct vcpu *v = ctx;

	vioapic_eoi(v->vm->ioapic, vector);
}

/* The vCPU's APICs are no longer found where APICv's shortcuts look. */
static void lapic_id_changed(void *ctx)
{
	struct vcpu *v = ctx;

	vm_apicv_inhibit(v->vm, APICV_INHIBIT_APIC_ID, true);
}

static const struct vlapic_ops vcpu_lapic_ops = {
	.notify = lapic_notify,
	.nmi = lapic_nmi,
	.init = lapic_init,
	.sipi = lapic_sipi,
	.eoi_level = lapic_eoi_level,
	.id_changed = lapic_id_changed,
};

int vcpu_irq_init(struct vcpu *v, struct vapic_bus *bus)
{
	const struct vlapic_config cfg = {
		.bus = bus,
		.id = v->id,
		.bsp = v->id == 0,
		.ops = &vcpu_lapic_ops,
		.vcpu = v,
		.tsc_offset = v->tsc_offset,
	};

	v->lapic = vlapic_create(&cfg);
	return v->lapic ? 0 : -ENOMEM;
}

void vcpu_irq_free(struct vcpu *v)
{
	vlapic_destroy(v->lapic);
	v->lapic = NULL;
}

/* Whether the PIC's INT line is up and reaches `v` (the boot vCPU only). */
static bool vcpu_extint_pending(struct vcpu *v)
{
	return v->id == 0 && vdev_pic_output(v->vm->devices) && vlapic_accepts_extint(v->lapic);
}

/* On vCPU 0: the APICv reason `extint` holds while the 8259 reaches it as
 * a virtual wire (its LINT0 in ExtINT mode, or its APIC off) and lets any
 * input through; checked at each entry, applied on a change. */
static void vcpu_extint_mode_update(struct vcpu *v)
{
	bool extint = vlapic_accepts_extint(v->lapic) && vdev_pic_unmasked(v->vm->devices);

	if (extint != v->extint_mode) {
		v->extint_mode = extint;
		vm_apicv_inhibit(v->vm, APICV_INHIBIT_EXTINT, extint);
	}
}

void vcpu_inject_events(struct vcpu *v)
{
	bool nmi = __atomic_load_n(&v->nmi_pending, __ATOMIC_SEQ_CST);
	int vector;
	bool queued = vendor->event_queued(v);

	if (v->id == 0)
		vcpu_extint_mode_update(v);
	/* With APICv the CPU delivers the vLAPIC's interrupts itself. */
	vector = v->apicv_active ? -1 : vlapic_pending_vector(v->lapic);
	if (vcpu_debug_holds_events(v)) {	/* a step lands on the next instruction */
		vendor->set_irq_window(v, false);
		vendor->set_nmi_window(v, false);
		return;
	}
	if (!queued && nmi && vendor->nmi_allowed(v)) {
		__atomic_store_n(&v->nmi_pending, false, __ATOMIC_SEQ_CST);
		vendor->inject_nmi(v);
		queued = true;
		nmi = false;
	}
	if (!queued && vcpu_extint_pending(v) && vendor->irq_allowed(v)) {
		vendor->inject_irq(v, vdev_pic_ack(v->vm->devices));
		queued = true;
	}
	if (!queued && vector >= 0 && vendor->irq_allowed(v)) {
		if (synic_auto_eoi(v, vector))
			vlapic_accept_auto_eoi(v->lapic, vector);
		else
			vlapic_accept(v->lapic, vector);
		vendor->inject_irq(v, vector);
		vector = vlapic_pending_vector(v->lapic);
	}
	vendor->set_irq_window(v, vector >= 0 || vcpu_extint_pending(v));
	vendor->set_nmi_window(v, nmi);
}

bool vcpu_wakeup_pending(struct vcpu *v)
{
	uint32_t req = __atomic_load_n(&v->requests, __ATOMIC_SEQ_CST);

	if (req & (VCPU_REQ_STOP | VCPU_REQ_INIT | VCPU_REQ_SIPI))
		return true;
	if (v->wait_sipi)
		return false;
	return __atomic_load_n(&v->nmi_pending, __ATOMIC_SEQ_CST) ||
	       ((v->rflags & RFLAGS_IF) &&
		(vlapic_pending_vector(v->lapic) >= 0 || vcpu_extint_pending(v)));
}

void vcpu_halt(struct vcpu *v)
{
	v->halted = true;
	__atomic_store_n(&v->state, VCPU_HALTED, __ATOMIC_SEQ_CST);
	if (vcpu_wakeup_pending(v))
		__atomic_store_n(&v->state, VCPU_RUNNABLE, __ATOMIC_SEQ_CST);
}

/* The registers INIT resets that the vendor's reset does not: GPRs (EDX
 * holds the processor signature), EFER, and the pending NMI and HLT. */
static void vcpu_reset_core(struct vcpu *v, uint16_t cs_selector, uint64_t ip)
{
	v->gprs = (struct vcpu_gprs){ .rdx = cpuid(1, 0).eax };
	v->efer = 0;
	v->rflags = RFLAGS_FIXED;
	v->rip = ip;
	v->halted = false;
	__atomic_store_n(&v->nmi_pending, false, __ATOMIC_SEQ_CST);
	vendor->reset(v, cs_selector, ip);
}

void vcpu_handle_init(struct vcpu *v)
{
	vcpu_reset_core(v, 0xf000, 0xfff0);
	vlapic_init_reset(v->lapic);
	v->wait_sipi = true;
}

void vcpu_handle_sipi(struct vcpu *v)
{
	uint8_t vector = __atomic_load_n(&v->sipi_vector, __ATOMIC_RELAXED);

	if (!v->wait_sipi)
		return;		/* a start-up IPI outside wait-for-SIPI is ignored */
	vcpu_reset_core(v, (uint16_t)vector << 8, 0);
	v->wait_sipi = false;
}
