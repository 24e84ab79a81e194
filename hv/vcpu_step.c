/* A debugger's single step by RFLAGS.TF (hv/vcpu_step.h). */
#include "hv/guest_mem.h"
#include "hv/vcpu_debug.h"
#include "hv/vcpu_step.h"
#include "hv/vcpu_switch.h"
#include "hv/vendor.h"
#include "x86/regs.h"

#define OP_PUSHF	0x9c
#define OP_POPF		0x9d
#define OP_IRET		0xcf

/* Note which of PUSHF, POPF and IRET is at v's RIP, if one is. */
static void step_note_insn(struct vcpu *v)
{
	struct vcpu_debug *d = &v->debug;
	uint8_t code[INSN_MAX_LEN];
	struct vcpu_sregs s;
	unsigned bits;
	bool opsize;
	int i;

	vendor->get_sregs(v, &s);
	i = guest_opcode_at_rip(v, &s, code, &opsize);
	d->step_opcode = 0;
	if (i < 0 || (code[i] != OP_PUSHF && code[i] != OP_POPF && code[i] != OP_IRET))
		return;
	bits = guest_code_bits(v, &s);
	d->step_opcode = code[i];
	d->step_next_rip = v->rip + (unsigned)i + 1;
	if (bits == 64)
		d->step_operand_bytes = opsize ? 2 : 8;
	else
		d->step_operand_bytes = (bits == 32) != opsize ? 4 : 2;
}

void vcpu_step_tf_start(struct vcpu *v)
{
	step_note_insn(v);
	v->debug.step_dr6 = vcpu_dr_read(v, 6);
	v->debug.guest_tf = v->rflags & RFLAGS_TF;
	v->rflags |= RFLAGS_TF;
}

void vcpu_step_tf_end(struct vcpu *v)
{
	v->rflags = (v->rflags & ~RFLAGS_TF) | (v->debug.guest_tf ? RFLAGS_TF : 0);
}

/* A stepped PUSHF pushed our TF: put the guest's in the image instead. */
static void step_fix_pushf(struct vcpu *v)
{
	unsigned n = v->debug.step_operand_bytes;
	uint64_t sp = v->gprs.rsp, image = 0, la;
	struct vcpu_sregs s;
	struct gwalk_result r;

	vendor->get_sregs(v, &s);
	if (guest_code_bits(v, &s) != 64)
		sp = s.seg[SEG_SS].attrib & SEG_ATTR_DB ? (uint32_t)sp : (uint16_t)sp;
	la = s.seg[SEG_SS].base + sp;
	if (guest_virt_read(v, &s, la, &image, n, 0, &r) != GWALK_OK)
		return;
	image = (image & ~RFLAGS_TF) | (v->debug.guest_tf ? RFLAGS_TF : 0);
	guest_virt_write(v, &s, la, &image, n, 0, &r);
}

bool vcpu_step_tf_trap(struct vcpu *v, uint64_t dr6)
{
	struct vcpu_debug *d = &v->debug;

	if (!(dr6 & DR6_BS))
		return false;
	vcpu_dr_write(v, 6, d->step_dr6);
	if (d->step_opcode == OP_PUSHF && v->rip == d->step_next_rip)
		step_fix_pushf(v);
	else if (d->step_opcode == OP_POPF || d->step_opcode == OP_IRET)
		d->guest_tf = v->rflags & RFLAGS_TF;
	return true;
}
