/* The guest-state area for the entry modes guests start in. With
 * unrestricted guest both run without paging, real mode included. */
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"
#include "x86/regs.h"

/* Access rights in VMX form (vmcs.h): type, S, DPL, P | AVL, L, D/B, G. */
#define AR_CODE32	0xc09b	/* present, DPL 0, exec/read, accessed, 32-bit, 4 KiB granular */
#define AR_DATA32	0xc093	/* present, DPL 0, read/write, accessed, 32-bit, 4 KiB granular */
#define AR_CODE16	0x009b
#define AR_DATA16	0x0093
#define AR_TSS_BUSY	0x008b	/* VM entry wants a busy TSS */
#define REAL_IDT_LIMIT	0x3ff
#define LINK_POINTER_NONE	(~0ull)

struct vmx_segment {
	uint16_t selector;
	uint32_t ar;
	uint32_t limit;
	uint64_t base;
};

static void segment_write(enum vmcs_segment s, struct vmx_segment seg)
{
	vmx_write(VMCS_GUEST_SEL(s), seg.selector);
	vmx_write(VMCS_GUEST_AR(s), seg.ar);
	vmx_write(VMCS_GUEST_LIMIT(s), seg.limit);
	vmx_write(VMCS_GUEST_BASE(s), seg.base);
}

/* Real-mode segments with CS = `selector` (base selector << 4). */
static void real_segments_write(uint16_t selector)
{
	struct vmx_segment data = { .ar = AR_DATA16, .limit = 0xffff };

	segment_write(VMCS_CS, (struct vmx_segment){ .selector = selector, .ar = AR_CODE16,
						     .limit = 0xffff,
						     .base = (uint64_t)selector << 4 });
	segment_write(VMCS_DS, data);
	segment_write(VMCS_ES, data);
	segment_write(VMCS_FS, data);
	segment_write(VMCS_GS, data);
	segment_write(VMCS_SS, data);
}

/* Segments, descriptor tables and CR0 of the entry mode. */
static void mode_write(enum guest_mode mode)
{
	bool real = mode == GUEST_REAL_MODE;
	struct vmx_segment code = { .selector = 0x08, .ar = AR_CODE32, .limit = 0xffffffff };
	struct vmx_segment data = { .selector = 0x10, .ar = AR_DATA32, .limit = 0xffffffff };

	if (real) {
		real_segments_write(GUEST_RESET_CS_SELECTOR);
	} else {
		segment_write(VMCS_CS, code);
		segment_write(VMCS_DS, data);
		segment_write(VMCS_ES, data);
		segment_write(VMCS_FS, data);
		segment_write(VMCS_GS, data);
		segment_write(VMCS_SS, data);
	}
	segment_write(VMCS_LDTR, (struct vmx_segment){ .ar = VMX_AR_UNUSABLE });
	segment_write(VMCS_TR, (struct vmx_segment){ .ar = AR_TSS_BUSY, .limit = 0xffff });
	vmx_write(VMCS_GUEST_GDTR_BASE, 0);
	vmx_write(VMCS_GUEST_GDTR_LIMIT, 0xffff);
	vmx_write(VMCS_GUEST_IDTR_BASE, 0);
	vmx_write(VMCS_GUEST_IDTR_LIMIT, real ? REAL_IDT_LIMIT : 0);
	vmx_cr_init(CR0_ET | (real ? 0 : CR0_PE));
}

void vmx_guest_state_write(enum guest_mode mode)
{
	mode_write(mode);
	vmx_write(VMCS_GUEST_DR7, DR7_RESET);
	vmx_write(VMCS_GUEST_DEBUGCTL, 0);
	vmx_write(VMCS_GUEST_PAT, PAT_POWER_ON);
	vmx_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmx_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmx_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmx_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmx_write(VMCS_GUEST_ACTIVITY, GUEST_ACTIVITY_ACTIVE);
	vmx_write(VMCS_GUEST_PENDING_DEBUG, 0);
	vmx_write(VMCS_LINK_POINTER, LINK_POINTER_NONE);
}

void vmx_guest_state_reset(uint16_t cs_selector)
{
	real_segments_write(cs_selector);
	segment_write(VMCS_LDTR, (struct vmx_segment){ .ar = VMX_AR_UNUSABLE });
	segment_write(VMCS_TR, (struct vmx_segment){ .ar = AR_TSS_BUSY, .limit = 0xffff });
	vmx_write(VMCS_GUEST_GDTR_BASE, 0);
	vmx_write(VMCS_GUEST_GDTR_LIMIT, 0xffff);
	vmx_write(VMCS_GUEST_IDTR_BASE, 0);
	vmx_write(VMCS_GUEST_IDTR_LIMIT, 0xffff);
	vmx_cr_init(CR0_ET | CR0_CD | CR0_NW);
	vmx_write(VMCS_ENTRY_CONTROLS, vmread(VMCS_ENTRY_CONTROLS) & ~(uint64_t)ENTRY_IA32E_MODE_GUEST);
	vmx_write(VMCS_GUEST_DR7, DR7_RESET);
	vmx_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmx_write(VMCS_GUEST_ACTIVITY, GUEST_ACTIVITY_ACTIVE);
	vmx_write(VMCS_GUEST_PENDING_DEBUG, 0);
}
