/* Switching a vCPU's owned state in and out of a CPU (hv/vcpu_switch.h). */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

#include "cpu/fpu.h"
#include "hv/vcpu_switch.h"
#include "hv/vendor.h"
#include "x86/insn.h"
#include "x86/regs.h"

#define FPU_AREA_ALIGN	64
#define EXT1_EDX_RDTSCP	(1u << 27)
#define LEAF7_ECX_RDPID	(1u << 22)

bool vcpu_has_tsc_aux(void)
{
	static int has = -1;	/* the same on every CPU: racing writers agree */

	if (has < 0)
		has = (cpuid(0x80000000, 0).eax >= 0x80000001 &&
		       (cpuid(0x80000001, 0).edx & EXT1_EDX_RDTSCP)) ||
		      (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ecx & LEAF7_ECX_RDPID));
	return has;
}

bool vcpu_tsc_aux_write(struct vcpu *v, uint64_t value)
{
	if (!vcpu_has_tsc_aux() || value >> 32)
		return false;
	v->owned.tsc_aux = (uint32_t)value;
	wrmsr(MSR_TSC_AUX, value);
	return true;
}

int vcpu_owned_init(struct vcpu *v)
{
	struct vcpu_owned *o = &v->owned;

	o->fpu = memalign(FPU_AREA_ALIGN, fpu_area_size());
	if (!o->fpu)
		return -ENOMEM;
	fpu_area_init(o->fpu);
	o->xcr0 = XCR0_X87;
	o->dr[0] = o->dr[1] = o->dr[2] = o->dr[3] = 0;
	o->dr6 = DR6_RESET;
	o->cr2 = 0;
	o->tsc_aux = 0;
	return 0;
}

void vcpu_owned_free(struct vcpu *v)
{
	free(v->owned.fpu);
	v->owned.fpu = NULL;
}

void vcpu_switch(struct vcpu *prev, struct vcpu *next)
{
	struct vcpu_owned *n = &next->owned;

	if (prev == next)
		return;
	if (prev) {
		struct vcpu_owned *p = &prev->owned;

		p->xcr0 = fpu_save(p->fpu);
		p->dr[0] = read_dr0();
		p->dr[1] = read_dr1();
		p->dr[2] = read_dr2();
		p->dr[3] = read_dr3();
		if (!vendor->dr6_in_control_block)
			p->dr6 = read_dr6();
		if (!vendor->cr2_in_control_block)
			p->cr2 = read_cr2();
	}
	fpu_load(n->fpu, n->xcr0);
	write_dr0(n->dr[0]);
	write_dr1(n->dr[1]);
	write_dr2(n->dr[2]);
	write_dr3(n->dr[3]);
	if (!vendor->dr6_in_control_block)
		write_dr6(n->dr6);
	if (!vendor->cr2_in_control_block)
		write_cr2(n->cr2);
	if (vcpu_has_tsc_aux())
		wrmsr(MSR_TSC_AUX, n->tsc_aux);	/* the host never reads it: no save */
}

bool vcpu_xsetbv(struct vcpu *v, unsigned cpl, uint32_t index, uint64_t value)
{
	const uint64_t avx512 = XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM;
	const uint64_t amx = XCR0_TILECFG | XCR0_TILEDATA;

	if (!fpu_has_xsave() || cpl != 0 || index != 0 || (value & ~fpu_xcr0_supported()) ||
	    !(value & XCR0_X87) || ((value & XCR0_AVX) && !(value & XCR0_SSE)) ||
	    ((value & avx512) && ((value & avx512) != avx512 || !(value & XCR0_AVX))) ||
	    ((value & amx) && (value & amx) != amx))
		return false;
	v->owned.xcr0 = value;
	xsetbv(0, value);
	return true;
}

uint64_t vcpu_dr_read(struct vcpu *v, unsigned n)
{
	switch (n) {
	case 0:
		return read_dr0();
	case 1:
		return read_dr1();
	case 2:
		return read_dr2();
	case 3:
		return read_dr3();
	default:
		return vendor->get_dr(v, n);
	}
}

void vcpu_dr_write(struct vcpu *v, unsigned n, uint64_t value)
{
	switch (n) {
	case 0:
		write_dr0(value);
		break;
	case 1:
		write_dr1(value);
		break;
	case 2:
		write_dr2(value);
		break;
	case 3:
		write_dr3(value);
		break;
	default:
		vendor->set_dr(v, n, value);
		break;
	}
}
