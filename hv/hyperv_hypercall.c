/* Hyper-V hypercalls (TLFS "Hypercall Interface"): the input value names
 * the call and its form (fast: parameters in registers; rep: a list), the
 * input block is read from guest RAM, and every field is checked before
 * anything is done; the result holds a status and the reps completed.
 * Implemented: HvCallFlushVirtualAddressSpace / List (+Ex) and
 * HvCallSendSyntheticClusterIpi (+Ex). */
#include <string.h>

#include "hv/dev/vlapic.h"
#include "hv/guest_mem.h"
#include "hv/hyperv.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "x86/regs.h"
#include "x86/vectors.h"

#define HVCALL_FLUSH_SPACE	0x0002
#define HVCALL_FLUSH_LIST	0x0003
#define HVCALL_SEND_IPI		0x000b
#define HVCALL_FLUSH_SPACE_EX	0x0013
#define HVCALL_FLUSH_LIST_EX	0x0014
#define HVCALL_SEND_IPI_EX	0x0015

#define HV_STATUS_SUCCESS		0
#define HV_STATUS_INVALID_CODE		2
#define HV_STATUS_INVALID_INPUT		3
#define HV_STATUS_INVALID_ALIGNMENT	4
#define HV_STATUS_INVALID_PARAMETER	5

/* The input value's fields, and the bits that must be zero. */
#define INPUT_CODE(x)		((x) & 0xffff)
#define INPUT_FAST		(1ull << 16)
#define INPUT_VARHEAD(x)	(((x) >> 17) & 0x3ff)
#define INPUT_REP_COUNT(x)	(((x) >> 32) & 0xfff)
#define INPUT_REP_START(x)	(((x) >> 48) & 0xfff)
#define INPUT_RESERVED		(0xfull << 27 | 1ull << 31 | 0xfull << 44 | 0xfull << 60)

#define FLUSH_ALL_PROCESSORS	(1ull << 0)
#define FLUSH_ALL_SPACES	(1ull << 1)
#define FLUSH_NON_GLOBAL_ONLY	(1ull << 2)
#define FLUSH_EXTENDED_RANGES	(1ull << 3)
#define FLUSH_FLAGS		(FLUSH_ALL_PROCESSORS | FLUSH_ALL_SPACES | FLUSH_NON_GLOBAL_ONLY | \
				 FLUSH_EXTENDED_RANGES)
/* An address space is a CR3: page-table address (up to bit 51) and PCID. */
#define ADDRESS_SPACE_RESERVED	(~0x000fffffffffffffull)

#define VP_SET_SPARSE		0
#define VP_SET_ALL		1
#define VP_MASK_WORDS		(VM_VCPUS_MAX / 64)

static_assert(VM_VCPUS_MAX % 64 == 0, "VP masks are whole banks");

/* One hypercall as the registers give it. */
struct hv_call {
	uint16_t code;
	bool fast;
	unsigned varhead;		/* 8-byte words after the fixed header */
	unsigned rep_count, rep_start;
	uint64_t in_gpa, fast_in[2];	/* the input block, or the fast form's two words */
};

bool hyperv_hypercall_enabled(const struct vcpu *v)
{
	return hyperv_enabled(v->vm) && READ_ONCE(v->vm->hyperv.guest_os_id);
}

/* Read `len` bytes at `offset` into the input block; false unless it lies
 * in one page of guest RAM (TLFS: parameters never cross a page). */
static bool input_read(struct vcpu *v, const struct hv_call *c, unsigned offset, void *buf,
		       unsigned len)
{
	uint64_t gpa = c->in_gpa + offset;

	return ((c->in_gpa & 0xfff) + offset + len <= 4096) &&
	       guest_phys_read(v->vm, gpa, buf, len);
}

/* Add every vCPU of `vm` to `mask`. */
static void vp_mask_all(const struct vm *vm, uint64_t mask[VP_MASK_WORDS])
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		mask[i / 64] |= 1ull << (i % 64);
}

/* Decode an HV_VP_SET at `offset` (format, valid-bank mask, the banks the
 * variable header holds) into a mask of the VM's vCPUs. */
static unsigned vp_set_read(struct vcpu *v, const struct hv_call *c, unsigned offset,
			    uint64_t mask[VP_MASK_WORDS])
{
	uint64_t head[2], bank;
	unsigned nbanks = 0;

	if (!input_read(v, c, offset, head, sizeof(head)))
		return HV_STATUS_INVALID_INPUT;
	memset(mask, 0, VP_MASK_WORDS * sizeof(uint64_t));
	if (head[0] == VP_SET_ALL) {
		if (c->varhead)
			return HV_STATUS_INVALID_INPUT;
		vp_mask_all(v->vm, mask);
		return HV_STATUS_SUCCESS;
	}
	if (head[0] != VP_SET_SPARSE || (unsigned)__builtin_popcountll(head[1]) != c->varhead)
		return HV_STATUS_INVALID_INPUT;
	for (unsigned b = 0; b < 64; b++) {
		if (!(head[1] & (1ull << b)))
			continue;
		if (!input_read(v, c, offset + 16 + 8 * nbanks++, &bank, sizeof(bank)))
			return HV_STATUS_INVALID_INPUT;
		if (!bank)
			continue;
		if (b >= VP_MASK_WORDS)
			return HV_STATUS_INVALID_PARAMETER;	/* no such VPs */
		mask[b] = bank;
	}
	return HV_STATUS_SUCCESS;
}

/* Every VP the mask names exists. */
static bool vp_mask_valid(const struct vm *vm, const uint64_t mask[VP_MASK_WORDS])
{
	for (unsigned i = vm->nr_vcpus; i < VM_VCPUS_MAX; i++)
		if (mask[i / 64] & (1ull << (i % 64)))
			return false;
	return true;
}

/* The flushes: the address space and flags, then a processor mask (or a
 * VP set for Ex); a list call's GVA ranges follow the header, and are not
 * read: the whole guest TLB of each named vCPU is flushed. */
static unsigned hc_flush(struct vcpu *v, const struct hv_call *c, bool ex, bool list)
{
	uint64_t head[3], mask[VP_MASK_WORDS] = { 0 };
	unsigned header = ex ? 16 : 24, status;
	uint64_t list_bytes = list ? 8ull * c->rep_count : 0;

	if (c->fast || (!ex && c->varhead) || (list != !!c->rep_count))
		return HV_STATUS_INVALID_INPUT;
	if (!input_read(v, c, 0, head, header))
		return HV_STATUS_INVALID_INPUT;
	if (head[1] & ~FLUSH_FLAGS)
		return HV_STATUS_INVALID_PARAMETER;
	if (!(head[1] & FLUSH_ALL_SPACES) && (head[0] & ADDRESS_SPACE_RESERVED))
		return HV_STATUS_INVALID_PARAMETER;	/* not a CR3 value */
	if (ex) {
		status = vp_set_read(v, c, header, mask);
		if (status != HV_STATUS_SUCCESS)
			return status;
		header += 16 + 8 * c->varhead;
	} else {
		mask[0] = head[2];
	}
	if (list && ((c->in_gpa & 0xfff) + header + list_bytes > 4096))
		return HV_STATUS_INVALID_INPUT;
	if (head[1] & FLUSH_ALL_PROCESSORS)
		vp_mask_all(v->vm, mask);
	if (!vp_mask_valid(v->vm, mask))
		return HV_STATUS_INVALID_PARAMETER;
	vm_stat_add(&v->vm->stats.pv_flushes, 1);
	vm_flush_guest_tlbs(v->vm, mask);
	return HV_STATUS_SUCCESS;
}

/* The IPI: a vector (16-255; the 32 bits after it reserved), then a
 * processor mask (fast or in memory) or a VP set (Ex, in memory): a fixed
 * interrupt to each named vCPU's local APIC. */
static unsigned hc_send_ipi(struct vcpu *v, const struct hv_call *c, bool ex)
{
	uint64_t head[2], mask[VP_MASK_WORDS] = { 0 };
	unsigned status;

	if (c->rep_count || (!ex && c->varhead) || (ex && c->fast))
		return HV_STATUS_INVALID_INPUT;
	if (c->fast)
		memcpy(head, c->fast_in, sizeof(head));
	else if (!input_read(v, c, 0, head, ex ? 8 : 16))
		return HV_STATUS_INVALID_INPUT;
	if ((head[0] >> 32) || (uint32_t)head[0] < 16 || (uint32_t)head[0] > 255)
		return HV_STATUS_INVALID_PARAMETER;
	if (ex) {
		status = vp_set_read(v, c, 8, mask);
		if (status != HV_STATUS_SUCCESS)
			return status;
	} else {
		mask[0] = head[1];
	}
	if (!vp_mask_valid(v->vm, mask))
		return HV_STATUS_INVALID_PARAMETER;
	for (unsigned i = 0; i < v->vm->nr_vcpus; i++)
		if (mask[i / 64] & (1ull << (i % 64)))
			vlapic_set_irq(v->vm->vcpus[i].lapic, (uint8_t)head[0], false);
	return HV_STATUS_SUCCESS;
}

/* Check the input value's own fields and run the call; its status. */
static unsigned hc_dispatch(struct vcpu *v, const struct hv_call *c, uint64_t input)
{
	bool rep = c->code == HVCALL_FLUSH_LIST || c->code == HVCALL_FLUSH_LIST_EX;

	if (input & INPUT_RESERVED)
		return HV_STATUS_INVALID_INPUT;
	if ((!rep && (c->rep_count || c->rep_start)) || c->rep_start > c->rep_count)
		return HV_STATUS_INVALID_INPUT;
	if (!c->fast && (c->in_gpa & 7))
		return HV_STATUS_INVALID_ALIGNMENT;
	switch (c->code) {
	case HVCALL_FLUSH_SPACE:
		return hc_flush(v, c, false, false);
	case HVCALL_FLUSH_LIST:
		return hc_flush(v, c, false, true);
	case HVCALL_FLUSH_SPACE_EX:
		return hc_flush(v, c, true, false);
	case HVCALL_FLUSH_LIST_EX:
		return hc_flush(v, c, true, true);
	case HVCALL_SEND_IPI:
		return hc_send_ipi(v, c, false);
	case HVCALL_SEND_IPI_EX:
		return hc_send_ipi(v, c, true);
	}
	return HV_STATUS_INVALID_CODE;
}

bool hyperv_hypercall(struct vcpu *v)
{
	struct vcpu_sregs s;
	bool long_mode;
	uint64_t input, result;
	struct hv_call c;
	unsigned status;

	vendor->get_sregs(v, &s);
	/* From CPL 3 or real mode the instruction is #UD, as on Hyper-V. */
	if (s.cpl || !(s.cr0 & CR0_PE)) {
		vendor->inject_exception(v, VECTOR_UD, false, 0);
		return false;
	}
	long_mode = (v->efer & EFER_LMA) && (s.seg[SEG_CS].attrib & SEG_ATTR_L);
	/* 64-bit: RCX, RDX, R8; 32-bit: EDX:EAX, EBX:ECX, (EDI:ESI output). */
	input = long_mode ? v->gprs.rcx : v->gprs.rdx << 32 | (uint32_t)v->gprs.rax;
	c = (struct hv_call){
		.code = INPUT_CODE(input),
		.fast = input & INPUT_FAST,
		.varhead = INPUT_VARHEAD(input),
		.rep_count = INPUT_REP_COUNT(input),
		.rep_start = INPUT_REP_START(input),
		.in_gpa = long_mode ? v->gprs.rdx : v->gprs.rbx << 32 | (uint32_t)v->gprs.rcx,
		.fast_in = { long_mode ? v->gprs.rdx : v->gprs.rbx << 32 | (uint32_t)v->gprs.rcx,
			     long_mode ? v->gprs.r8 : v->gprs.rdi << 32 | (uint32_t)v->gprs.rsi },
	};
	status = hc_dispatch(v, &c, input);
	result = status | (status == HV_STATUS_SUCCESS ? (uint64_t)c.rep_count << 32 : 0);
	if (long_mode) {
		v->gprs.rax = result;
	} else {
		v->gprs.rdx = result >> 32;
		v->gprs.rax = (uint32_t)result;
	}
	return true;
}
