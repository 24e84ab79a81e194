/* The VMCB (AMD APM Vol. 2, Appendix B): a 4 KiB control area plus state
 * save area that VMRUN reads and #VMEXIT writes. Offsets are checked
 * against the manual below. */
#pragma once

#include "lib/compiler.h"

struct vmcb_segment {
	uint16_t selector;
	uint16_t attrib;	/* type:4 S DPL:2 P | AVL L DB G (the packed form) */
	uint32_t limit;
	uint64_t base;
};
static_assert(sizeof(struct vmcb_segment) == 16, "VMCB segment");

struct vmcb_control {
	uint16_t intercept_cr_read;
	uint16_t intercept_cr_write;
	uint16_t intercept_dr_read;
	uint16_t intercept_dr_write;
	uint32_t intercept_exceptions;
	uint32_t intercept_misc1;
	uint32_t intercept_misc2;
	uint32_t intercept_misc3;
	uint8_t reserved_018[0x03c - 0x018];
	uint16_t pause_filter_threshold;
	uint16_t pause_filter_count;
	uint64_t iopm_base_pa;
	uint64_t msrpm_base_pa;
	uint64_t tsc_offset;
	uint32_t guest_asid;
	uint8_t tlb_control;
	uint8_t reserved_05d[3];
	uint64_t vintr;
	uint64_t interrupt_shadow;
	uint64_t exit_code;
	uint64_t exit_info1;
	uint64_t exit_info2;
	uint64_t exit_int_info;
	uint64_t np_enable;
	uint64_t avic_apic_bar;
	uint64_t ghcb_pa;
	uint64_t event_inj;
	uint64_t n_cr3;
	uint64_t virt_ext;
	uint32_t clean_bits;
	uint32_t reserved_0c4;
	uint64_t next_rip;
	uint8_t insn_len;
	uint8_t insn_bytes[15];
	uint8_t reserved_0e0[0x400 - 0x0e0];
};

struct vmcb_save {
	struct vmcb_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	uint8_t reserved_4a0[0x4cb - 0x4a0];
	uint8_t cpl;
	uint32_t reserved_4cc;
	uint64_t efer;
	uint8_t reserved_4d8[0x548 - 0x4d8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip;
	uint8_t reserved_580[0x5d8 - 0x580];
	uint64_t rsp;
	uint64_t s_cet, ssp, isst_addr;
	uint64_t rax;
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t cr2;
	uint8_t reserved_648[0x668 - 0x648];
	uint64_t g_pat;
	uint64_t dbgctl;
	uint8_t reserved_678[0xc00 - 0x678];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __aligned(4096);

#define VMCB_OFFSET(f) offsetof(struct vmcb, f)
static_assert(VMCB_OFFSET(control.intercept_exceptions) == 0x008, "VMCB layout");
static_assert(VMCB_OFFSET(control.intercept_misc1) == 0x00c, "VMCB layout");
static_assert(VMCB_OFFSET(control.iopm_base_pa) == 0x040, "VMCB layout");
static_assert(VMCB_OFFSET(control.guest_asid) == 0x058, "VMCB layout");
static_assert(VMCB_OFFSET(control.tlb_control) == 0x05c, "VMCB layout");
static_assert(VMCB_OFFSET(control.exit_code) == 0x070, "VMCB layout");
static_assert(VMCB_OFFSET(control.np_enable) == 0x090, "VMCB layout");
static_assert(VMCB_OFFSET(control.event_inj) == 0x0a8, "VMCB layout");
static_assert(VMCB_OFFSET(control.n_cr3) == 0x0b0, "VMCB layout");
static_assert(VMCB_OFFSET(control.next_rip) == 0x0c8, "VMCB layout");
static_assert(VMCB_OFFSET(save.es) == 0x400, "VMCB layout");
static_assert(VMCB_OFFSET(save.tr) == 0x490, "VMCB layout");
static_assert(VMCB_OFFSET(save.cpl) == 0x4cb, "VMCB layout");
static_assert(VMCB_OFFSET(save.efer) == 0x4d0, "VMCB layout");
static_assert(VMCB_OFFSET(save.cr4) == 0x548, "VMCB layout");
static_assert(VMCB_OFFSET(save.rip) == 0x578, "VMCB layout");
static_assert(VMCB_OFFSET(save.rsp) == 0x5d8, "VMCB layout");
static_assert(VMCB_OFFSET(save.rax) == 0x5f8, "VMCB layout");
static_assert(VMCB_OFFSET(save.cr2) == 0x640, "VMCB layout");
static_assert(VMCB_OFFSET(save.g_pat) == 0x668, "VMCB layout");
static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");

/* intercept_misc1 */
#define SVM_INTERCEPT_INTR	(1u << 0)
#define SVM_INTERCEPT_NMI	(1u << 1)
#define SVM_INTERCEPT_SMI	(1u << 2)
#define SVM_INTERCEPT_INIT	(1u << 3)
#define SVM_INTERCEPT_VINTR	(1u << 4)
#define SVM_INTERCEPT_CR0_SEL_WRITE (1u << 5)	/* writes changing more than TS and MP */
#define SVM_INTERCEPT_CPUID	(1u << 18)
#define SVM_INTERCEPT_IRET	(1u << 20)
#define SVM_INTERCEPT_INTN	(1u << 21)
#define SVM_INTERCEPT_PAUSE	(1u << 23)
#define SVM_INTERCEPT_HLT	(1u << 24)
#define SVM_INTERCEPT_INVLPGA	(1u << 26)
#define SVM_INTERCEPT_IOIO	(1u << 27)
#define SVM_INTERCEPT_MSR	(1u << 28)
#define SVM_INTERCEPT_SHUTDOWN	(1u << 31)
/* intercept_misc2 */
#define SVM_INTERCEPT_VMRUN	(1u << 0)
#define SVM_INTERCEPT_VMMCALL	(1u << 1)
#define SVM_INTERCEPT_VMLOAD	(1u << 2)
#define SVM_INTERCEPT_VMSAVE	(1u << 3)
#define SVM_INTERCEPT_STGI	(1u << 4)
#define SVM_INTERCEPT_CLGI	(1u << 5)
#define SVM_INTERCEPT_SKINIT	(1u << 6)
#define SVM_INTERCEPT_MONITOR	(1u << 10)
#define SVM_INTERCEPT_MWAIT	(1u << 11)
#define SVM_INTERCEPT_XSETBV	(1u << 13)

/* intercept_cr_read / intercept_cr_write */
#define SVM_INTERCEPT_CR4	(1u << 4)
#define SVM_INTERCEPT_CR8	(1u << 8)
#define SVM_INTERCEPT_DR0_7	0xffu	/* intercept_dr_read / _write */

/* intercept_exceptions */
#define SVM_INTERCEPT_DB	(1u << 1)
#define SVM_INTERCEPT_BP	(1u << 3)
#define SVM_INTERCEPT_MC	(1u << 18)

/* exit_code values */
#define SVM_EXIT_READ_CR8	0x008
#define SVM_EXIT_WRITE_CR4	0x014
#define SVM_EXIT_WRITE_CR8	0x018
#define SVM_EXIT_READ_DR0	0x020	/* ... DR15: 0x02f */
#define SVM_EXIT_WRITE_DR0	0x030	/* ... DR15: 0x03f */
#define SVM_EXIT_EXCEPTION_0	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_CR0_SEL_WRITE	0x065
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_IRET		0x074
#define SVM_EXIT_SWINT		0x075
#define SVM_EXIT_PAUSE		0x077
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_MONITOR	0x08a
#define SVM_EXIT_MWAIT		0x08b
#define SVM_EXIT_XSETBV		0x08d
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	0xffffffffu	/* compare the low 32 bits (QEMU) */

/* exit_info1 of a CR access exit, with decode assists */
#define SVM_CR_GPR_VALID	(1ull << 63)
#define SVM_CR_GPR_MASK		0xfull

/* interrupt_shadow */
#define SVM_INTERRUPT_SHADOW	(1ull << 0)

/* exit_info1 of an IOIO exit */
#define SVM_IOIO_IN		(1u << 0)
#define SVM_IOIO_STRING		(1u << 2)
#define SVM_IOIO_REP		(1u << 3)
#define SVM_IOIO_SIZE_SHIFT	4		/* one-hot: 1, 2 or 4 bytes */
#define SVM_IOIO_SIZE_MASK	(7u << SVM_IOIO_SIZE_SHIFT)
#define SVM_IOIO_PORT_SHIFT	16

/* exit_info1 of an NPF exit (a page-fault error code) */
#define SVM_NPF_PRESENT		(1ull << 0)
#define SVM_NPF_WRITE		(1ull << 1)
#define SVM_NPF_FETCH		(1ull << 4)

/* event_inj */
#define SVM_EVTINJ_VALID	(1ull << 31)
#define SVM_EVTINJ_ERR_VALID	(1ull << 11)
#define SVM_EVTINJ_TYPE_INTR	(0ull << 8)
#define SVM_EVTINJ_TYPE_NMI	(2ull << 8)
#define SVM_EVTINJ_TYPE_EXCEPTION (3ull << 8)
#define SVM_EVTINJ_TYPE_SOFT	(4ull << 8)
#define SVM_EVTINJ_TYPE_MASK	(7ull << 8)
#define SVM_EVTINJ_ERR_SHIFT	32

/* vintr */
#define SVM_VINTR_V_IRQ		(1ull << 8)
#define SVM_VINTR_PRIO_SHIFT	16
#define SVM_VINTR_IGN_TPR	(1ull << 20)
#define SVM_VINTR_MASKING	(1ull << 24)

#define SVM_TLB_CONTROL_NONE	0
#define SVM_TLB_CONTROL_FLUSH_ALL 1

#define SVM_IOPM_BYTES		(12 * 1024)
#define SVM_MSRPM_BYTES		(8 * 1024)
