/* A virtual CPU: the guest's registers as the core sees them, the vendor's
 * control block (VMCB or VMCS) behind an opaque pointer, its place in the
 * scheduler, and the state the hardware does not switch (hv/vcpu_switch.c). */
#pragma once

#include "hv/vcpu_debug.h"
#include "hv/vcpu_gprs.h"
#include "hv/vm_exit.h"
#include "lib/compiler.h"

struct vm;
struct vlapic;
struct synic;

/* General-purpose registers; the vendor entry code loads and saves them
 * around every VM entry (the layout is fixed for the assembly). */
struct vcpu_gprs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};
static_assert(sizeof(struct vcpu_gprs) == 16 * 8, "GPR block layout");
static_assert(offsetof(struct vcpu_gprs, rsi) == GPR_RSI, "hv/vcpu_gprs.h offsets");
static_assert(offsetof(struct vcpu_gprs, rsp) == GPR_RSP, "hv/vcpu_gprs.h offsets");
static_assert(offsetof(struct vcpu_gprs, r8) == GPR_R8, "hv/vcpu_gprs.h offsets");
static_assert(offsetof(struct vcpu_gprs, r15) == GPR_R15, "hv/vcpu_gprs.h offsets");

/* A segment register as the core sees it. attrib has the VMCB's packed
 * form: type:4 S DPL:2 P in bits 7:0, AVL L D/B G in bits 11:8; an
 * unusable segment has P clear. */
struct vcpu_segment {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint16_t attrib;
};

#define SEG_ATTR_P	(1u << 7)
#define SEG_ATTR_L	(1u << 9)
#define SEG_ATTR_DB	(1u << 10)
#define SEG_ATTR_DPL(a)	(((a) >> 5) & 3)

enum vcpu_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_COUNT };

/* The guest's control and segment state (what the vendor keeps in its
 * control block), as the guest sees it. */
struct vcpu_sregs {
	struct vcpu_segment seg[SEG_COUNT];
	uint64_t gdt_base, idt_base;
	uint16_t gdt_limit, idt_limit;
	uint64_t cr0, cr2, cr3, cr4;
	unsigned cpl;
};

/* What a vCPU is doing, as the scheduler sees it (hv/sched.c). */
enum vcpu_state {
	VCPU_RUNNABLE,		/* runs when its CPU picks it */
	VCPU_HALTED,		/* HLT, or waiting for a start-up IPI: until an event */
	VCPU_PAUSED,		/* the operator paused its VM: until vm_resume() */
	VCPU_DEAD,		/* its VM has ended; it runs no more */
};

/* Requests other CPUs (or its own devices) make of a vCPU, bits of
 * vcpu->requests; it acts on them before its next VM entry. */
#define VCPU_REQ_STOP		(1u << 0)	/* its VM ends */
#define VCPU_REQ_TLB_FLUSH	(1u << 1)	/* drop cached guest translations */
#define VCPU_REQ_EVENT		(1u << 2)	/* an interrupt or NMI is pending */
#define VCPU_REQ_INIT		(1u << 3)	/* INIT: reset, wait for a start-up IPI */
#define VCPU_REQ_SIPI		(1u << 4)	/* start-up IPI at sipi_vector */
#define VCPU_REQ_PAUSE		(1u << 5)	/* the operator pauses its VM */
#define VCPU_REQ_APICV		(1u << 6)	/* its VM's APICv state changed */

/* The state a vCPU owns that VM entry and exit do not switch. */
struct vcpu_owned {
	void *fpu;		/* x87/SSE/AVX/...: cpu/fpu.h area */
	uint64_t xcr0;
	uint64_t dr[4];
	uint64_t dr6;
	uint64_t cr2;		/* where the vendor's control block lacks it */
	uint32_t tsc_aux;	/* what RDTSCP and RDPID return */
};

/* Model-specific registers the hypervisor emulates per vCPU (hv/msr*.c),
 * as the VM's firmware left them and the guest wrote them since. */
#define MTRR_VAR_COUNT		8	/* variable ranges, in MTRRcap.VCNT */
#define MTRR_FIXED_COUNT	11	/* fixed-range registers */

struct vcpu_msrs {
	uint64_t pat;
	uint64_t mtrr_def_type;
	uint64_t mtrr_fixed[MTRR_FIXED_COUNT];
	uint64_t mtrr_var[2 * MTRR_VAR_COUNT];	/* PHYSBASE, PHYSMASK pairs */
	uint64_t tsc_adjust;
	uint64_t misc_enable;
	uint64_t mcg_status;
	uint64_t hwcr;
	uint64_t de_cfg;
	uint64_t osvw[2];			/* ID length, status */
	uint64_t hv_vp_assist;			/* Hyper-V's VP assist page MSR */
};

struct vcpu {
	struct vm *vm;
	unsigned id;
	struct vcpu_gprs gprs;
	uint64_t rip;
	uint64_t rflags;
	uint64_t efer;			/* as the guest sees it */
	int64_t tsc_offset;		/* guest TSC = host TSC + this, on this vCPU's CPU */
	void *vendor;			/* struct svm_vcpu / struct vmx_vcpu */
	uint64_t exits;
	uint64_t exits_by_reason[EXIT_REASON_COUNT];	/* written by its own CPU only */
	uint64_t exit_cycles[EXIT_REASON_COUNT];	/* TSC cycles handling them, likewise */

	/* Scheduling (hv/sched.c): the CPU it runs on for its whole life,
	 * the next vCPU on that CPU's ring, and atomics other CPUs use. */
	unsigned cpu;
	struct vcpu *next_on_cpu;
	int state;			/* enum vcpu_state */
	uint32_t requests;		/* VCPU_REQ_* */
	bool in_guest;			/* between the last check and the exit */
	bool yield;			/* end the slice after this exit (PAUSE) */

	/* Interrupts (hv/vcpu_irq.c). */
	struct vlapic *lapic;
	bool nmi_pending;		/* atomic */
	bool halted;			/* in HLT: sleeps until an event can end it */
	bool wait_sipi;			/* after INIT (or an AP from the start) */
	uint8_t sipi_vector;		/* of the latest start-up IPI */
	bool apicv_active;		/* its control block virtualizes the APIC now */
	bool extint_mode;		/* vCPU 0: the 8259 reaches it (hv/vcpu_irq.c) */
	struct synic *synic;		/* Hyper-V SynIC (hv/synic.h); NULL: hyperv=off */

	struct vcpu_owned owned;
	struct vcpu_msrs msrs;
	struct vcpu_sregs paused_sregs;	/* as it was when it last paused */
	struct vcpu_debug debug;	/* what a debugger asked of it (hv/vcpu_debug.c) */
};

/* GPR `n` in the instruction encoding's numbering (RAX RCX RDX RBX RSP
 * RBP RSI RDI R8..R15), as exit qualifications and ModRM bytes name it. */
static inline uint64_t *vcpu_gpr(struct vcpu *v, unsigned n)
{
	static const uint8_t offsets[16] = {
		offsetof(struct vcpu_gprs, rax), offsetof(struct vcpu_gprs, rcx),
		offsetof(struct vcpu_gprs, rdx), offsetof(struct vcpu_gprs, rbx),
		offsetof(struct vcpu_gprs, rsp), offsetof(struct vcpu_gprs, rbp),
		offsetof(struct vcpu_gprs, rsi), offsetof(struct vcpu_gprs, rdi),
		offsetof(struct vcpu_gprs, r8), offsetof(struct vcpu_gprs, r9),
		offsetof(struct vcpu_gprs, r10), offsetof(struct vcpu_gprs, r11),
		offsetof(struct vcpu_gprs, r12), offsetof(struct vcpu_gprs, r13),
		offsetof(struct vcpu_gprs, r14), offsetof(struct vcpu_gprs, r15),
	};

	return (uint64_t *)((char *)&v->gprs + offsets[n & 15]);
}
