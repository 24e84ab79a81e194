/* Control-register exits: the instruction (as the vendor decoded it, or
 * fetched and decoded here: QEMU's SVM has no decode assists), its
 * operand, and the write or read it makes: CR8 is the vLAPIC's TPR, CR0
 * and CR4 go through the architecture's checks (hv/cr.c). */
#include "hv/cr.h"
#include "hv/dev/insn.h"
#include "hv/dev/vlapic.h"
#include "hv/guest_mem.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "x86/regs.h"
#include "x86/vectors.h"

/* What became of a step of the emulation. */
enum cr_step { CR_GO_ON, CR_RESUME, CR_STOP };

/* The exit's instruction, from the guest's code when the vendor did not
 * name the GPR and length; it must be the access the exit reports. */
static enum cr_step decode(struct vcpu *v, const struct vcpu_sregs *s, const struct vm_exit *e,
			   struct insn_mov_cr *mov)
{
	bool resume;

	if (e->cr.gpr >= 0 && e->insn_len)
		return CR_GO_ON;
	switch (guest_decode_mov_cr(v, s, false, mov, &resume)) {
	case GUEST_FETCH_FAULTED:
		return resume ? CR_RESUME : CR_STOP;
	case GUEST_DECODED:
		if (mov->cr == e->cr.cr && mov->to_cr == e->cr.write)
			return CR_GO_ON;
		break;
	case GUEST_NOT_DECODED:
		break;
	}
	vm_stop(v->vm, v, "a CR%u exit at rip=%#llx that is not a %s CR%u", e->cr.cr,
		(unsigned long long)v->rip, e->cr.write ? "MOV to or LMSW of" : "MOV from", e->cr.cr);
	return CR_STOP;
}

/* LMSW's word in memory, read as the guest would. */
static enum cr_step lmsw_word(struct vcpu *v, const struct vcpu_sregs *s,
			      const struct insn_mov_cr *mov, uint64_t *value)
{
	uint64_t gpr[16], seg_base[6], linear;
	unsigned bits = guest_code_bits(v, s);
	struct gwalk_result r;
	uint16_t word;
	enum gwalk_status st;

	for (unsigned i = 0; i < 16; i++)
		gpr[i] = *vcpu_gpr(v, i);
	for (unsigned i = 0; i < 6; i++)
		seg_base[i] = s->seg[i].base;
	linear = insn_address(&mov->operand, bits, gpr, v->rip + mov->len, seg_base);
	st = guest_virt_read(v, s, linear, &word, sizeof(word), 0, &r);
	if (st != GWALK_OK)
		return guest_fault(v, st, &r, linear, mov->operand.seg == INSN_SS) ? CR_RESUME :
										    CR_STOP;
	*value = word;
	return CR_GO_ON;
}

/* MOV to/from CR8: the TPR's bits 7:4; false for the #GP of a value above 15. */
static bool mov_cr8(struct vcpu *v, bool write, uint64_t *gpr, uint64_t value)
{
	if (!write) {
		*gpr = vlapic_tpr(v->lapic) >> 4;
		return true;
	}
	if (value & ~0xfull)
		return false;
	vlapic_set_tpr(v->lapic, value << 4);
	return true;
}

bool cr_exit_handle(struct vcpu *v, const struct vm_exit *e)
{
	struct insn_mov_cr mov = { .len = e->insn_len, .cr = e->cr.cr, .gpr = e->cr.gpr,
				   .to_cr = e->cr.write };
	struct vcpu_sregs s;
	uint64_t *gpr, value;
	enum cr_step step;
	bool ok;

	vendor->get_sregs(v, &s);
	step = decode(v, &s, e, &mov);
	if (step != CR_GO_ON)
		return step == CR_RESUME;
	gpr = vcpu_gpr(v, mov.gpr);
	/* Outside 64-bit code the operand is the register's low half. */
	value = guest_code_bits(v, &s) == 64 ? *gpr : (uint32_t)*gpr;
	if (mov.from_memory) {
		step = lmsw_word(v, &s, &mov, &value);
		if (step != CR_GO_ON)
			return step == CR_RESUME;
	}
	/* LMSW sets CR0's low four bits, except that it cannot clear PE. */
	if (mov.lmsw)
		value = (s.cr0 & ~0xeull) | (value & 0xf);
	if (mov.cr == 0)
		ok = vcpu_cr0_write(v, value);
	else if (mov.cr == 4)
		ok = vcpu_cr4_write(v, value);
	else
		ok = mov_cr8(v, e->cr.write, gpr, value);
	if (!ok) {
		vendor->inject_exception(v, VECTOR_GP, true, 0);
		return true;
	}
	v->rip += mov.len;
	vendor->clear_interrupt_shadow(v);
	return true;
}
