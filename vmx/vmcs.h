/* The VMCS as software sees it (Intel SDM Vol. 3C, "Virtual Machine
 * Control Structures" and Appendix B "Field Encoding in VMCS"): field
 * encodings for VMREAD/VMWRITE, control bits, exit reasons and the layout
 * of exit qualifications. The VMCS region's own layout is the CPU's secret;
 * only its first word (the revision identifier) is architectural. */
#pragma once

#ifndef __ASSEMBLY__
#include "lib/compiler.h"
#endif

/* A field encoding: bit 0 access type (high half of a 64-bit field),
 * bits 9:1 index, bits 11:10 type, bits 14:13 width. */
#define VMCS_ENC(width, type, index)	(((width) << 13) | ((type) << 10) | ((index) << 1))
#define VMCS_W16	0
#define VMCS_W64	1
#define VMCS_W32	2
#define VMCS_WNAT	3
#define VMCS_CONTROL	0
#define VMCS_EXIT_INFO	1
#define VMCS_GUEST	2
#define VMCS_HOST	3

/* 16-bit fields */
#define VMCS_VPID			0x0000
#define VMCS_GUEST_ES_SEL		0x0800	/* ES, CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define VMCS_GUEST_INTR_STATUS		0x0810	/* RVI in bits 7:0, SVI in 15:8 */
#define VMCS_HOST_ES_SEL		0x0c00	/* ES, CS, SS, DS, FS, GS, TR: +2 each */
#define VMCS_HOST_TR_SEL		0x0c0c

/* 64-bit fields */
#define VMCS_IO_BITMAP_A		0x2000
#define VMCS_IO_BITMAP_B		0x2002
#define VMCS_MSR_BITMAP			0x2004
#define VMCS_EXIT_MSR_STORE_ADDR	0x2006
#define VMCS_ENTRY_MSR_LOAD_ADDR	0x200a
#define VMCS_TSC_OFFSET			0x2010
#define VMCS_VIRTUAL_APIC_ADDR		0x2012
#define VMCS_EPT_POINTER		0x201a
#define VMCS_EOI_EXIT_BITMAP0		0x201c	/* vectors 0-63; 64-255 at +2, +4, +6 */
#define VMCS_GUEST_PHYS_ADDR		0x2400
#define VMCS_LINK_POINTER		0x2800
#define VMCS_GUEST_DEBUGCTL		0x2802
#define VMCS_GUEST_PAT			0x2804
#define VMCS_GUEST_EFER			0x2806
#define VMCS_HOST_PAT			0x2c00
#define VMCS_HOST_EFER			0x2c02

/* 32-bit fields */
#define VMCS_PIN_CONTROLS		0x4000
#define VMCS_PROC_CONTROLS		0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_PF_ERROR_MASK		0x4006
#define VMCS_PF_ERROR_MATCH		0x4008
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CONTROLS		0x400c
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_ENTRY_CONTROLS		0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_INTR_INFO		0x4016
#define VMCS_ENTRY_EXCEPTION_ERROR	0x4018
#define VMCS_ENTRY_INSN_LEN		0x401a
#define VMCS_TPR_THRESHOLD		0x401c
#define VMCS_PROC_CONTROLS2		0x401e
#define VMCS_PLE_GAP			0x4020
#define VMCS_PLE_WINDOW			0x4022
#define VMCS_INSN_ERROR			0x4400
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_INTR_INFO		0x4404
#define VMCS_IDT_VECTORING_INFO		0x4408
#define VMCS_IDT_VECTORING_ERROR	0x440a
#define VMCS_EXIT_INSN_LEN		0x440c
#define VMCS_GUEST_ES_LIMIT		0x4800	/* ES .. TR as the selectors, then: */
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR		0x4814	/* ES .. TR as the selectors */
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY		0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_HOST_SYSENTER_CS		0x4c00

/* Natural-width fields */
#define VMCS_CR0_MASK			0x6000
#define VMCS_CR4_MASK			0x6002
#define VMCS_CR0_SHADOW			0x6004
#define VMCS_CR4_SHADOW			0x6006
#define VMCS_EXIT_QUALIFICATION		0x6400
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806	/* ES .. TR as the selectors, then: */
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DEBUG	0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12
#define VMCS_HOST_RSP			0x6c14
#define VMCS_HOST_RIP			0x6c16

#ifndef __ASSEMBLY__
/* The SDM's tables against the encoding rule: a typo in a width, a type or
 * an index shows up here rather than as a VMfail at run time. */
static_assert(VMCS_VPID == VMCS_ENC(VMCS_W16, VMCS_CONTROL, 0), "VMCS encoding");
static_assert(VMCS_GUEST_ES_SEL == VMCS_ENC(VMCS_W16, VMCS_GUEST, 0), "VMCS encoding");
static_assert(VMCS_HOST_TR_SEL == VMCS_ENC(VMCS_W16, VMCS_HOST, 6), "VMCS encoding");
static_assert(VMCS_EPT_POINTER == VMCS_ENC(VMCS_W64, VMCS_CONTROL, 13), "VMCS encoding");
static_assert(VMCS_GUEST_INTR_STATUS == VMCS_ENC(VMCS_W16, VMCS_GUEST, 8), "VMCS encoding");
static_assert(VMCS_VIRTUAL_APIC_ADDR == VMCS_ENC(VMCS_W64, VMCS_CONTROL, 9), "VMCS encoding");
static_assert(VMCS_EOI_EXIT_BITMAP0 == VMCS_ENC(VMCS_W64, VMCS_CONTROL, 14), "VMCS encoding");
static_assert(VMCS_TPR_THRESHOLD == VMCS_ENC(VMCS_W32, VMCS_CONTROL, 14), "VMCS encoding");
static_assert(VMCS_GUEST_PHYS_ADDR == VMCS_ENC(VMCS_W64, VMCS_EXIT_INFO, 0), "VMCS encoding");
static_assert(VMCS_GUEST_EFER == VMCS_ENC(VMCS_W64, VMCS_GUEST, 3), "VMCS encoding");
static_assert(VMCS_HOST_EFER == VMCS_ENC(VMCS_W64, VMCS_HOST, 1), "VMCS encoding");
static_assert(VMCS_PROC_CONTROLS2 == VMCS_ENC(VMCS_W32, VMCS_CONTROL, 15), "VMCS encoding");
static_assert(VMCS_PLE_WINDOW == VMCS_ENC(VMCS_W32, VMCS_CONTROL, 17), "VMCS encoding");
static_assert(VMCS_EXIT_INSN_LEN == VMCS_ENC(VMCS_W32, VMCS_EXIT_INFO, 6), "VMCS encoding");
static_assert(VMCS_GUEST_ACTIVITY == VMCS_ENC(VMCS_W32, VMCS_GUEST, 19), "VMCS encoding");
static_assert(VMCS_CR4_SHADOW == VMCS_ENC(VMCS_WNAT, VMCS_CONTROL, 3), "VMCS encoding");
static_assert(VMCS_GUEST_SYSENTER_EIP == VMCS_ENC(VMCS_WNAT, VMCS_GUEST, 19), "VMCS encoding");
static_assert(VMCS_HOST_RIP == VMCS_ENC(VMCS_WNAT, VMCS_HOST, 11), "VMCS encoding");

/* Guest segment registers in VMCS order: field = first + 2 * segment. */
enum vmcs_segment { VMCS_ES, VMCS_CS, VMCS_SS, VMCS_DS, VMCS_FS, VMCS_GS, VMCS_LDTR, VMCS_TR };
#define VMCS_GUEST_SEL(s)	(VMCS_GUEST_ES_SEL + 2 * (s))
#define VMCS_GUEST_LIMIT(s)	(VMCS_GUEST_ES_LIMIT + 2 * (s))
#define VMCS_GUEST_AR(s)	(VMCS_GUEST_ES_AR + 2 * (s))
#define VMCS_GUEST_BASE(s)	(VMCS_GUEST_ES_BASE + 2 * (s))
#define VMCS_HOST_SEL(s)	(VMCS_HOST_ES_SEL + 2 * (s))
static_assert(VMCS_GUEST_SEL(VMCS_TR) == 0x080e && VMCS_GUEST_LIMIT(VMCS_TR) == 0x480e &&
	      VMCS_GUEST_AR(VMCS_TR) == 0x4822 && VMCS_GUEST_BASE(VMCS_TR) == 0x6814 &&
	      VMCS_HOST_SEL(VMCS_GS) == 0x0c0a, "segment fields are spaced by 2");
#endif

/* Segment access rights: the descriptor's type, S, DPL, P in bits 7:0,
 * AVL, L, D/B, G in bits 15:12, and "unusable" in bit 16. */
#define VMX_AR_UNUSABLE		(1u << 16)

/* Pin-based controls */
#define PIN_EXTERNAL_INTR_EXITING	(1u << 0)
#define PIN_NMI_EXITING			(1u << 3)
#define PIN_VIRTUAL_NMIS		(1u << 5)

/* Primary processor-based controls */
#define PROC_INTR_WINDOW_EXITING	(1u << 2)
#define PROC_USE_TSC_OFFSETTING		(1u << 3)
#define PROC_HLT_EXITING		(1u << 7)
#define PROC_MWAIT_EXITING		(1u << 10)
#define PROC_CR8_LOAD_EXITING		(1u << 19)
#define PROC_CR8_STORE_EXITING		(1u << 20)
#define PROC_USE_TPR_SHADOW		(1u << 21)
#define PROC_NMI_WINDOW_EXITING		(1u << 22)
#define PROC_MOV_DR_EXITING		(1u << 23)
#define PROC_USE_IO_BITMAPS		(1u << 25)
#define PROC_MONITOR_TRAP_FLAG		(1u << 27)
#define PROC_USE_MSR_BITMAPS		(1u << 28)
#define PROC_MONITOR_EXITING		(1u << 29)
#define PROC_SECONDARY_CONTROLS		(1u << 31)

/* Secondary processor-based controls */
#define PROC2_ENABLE_EPT		(1u << 1)
#define PROC2_ENABLE_RDTSCP		(1u << 3)
#define PROC2_VIRTUALIZE_X2APIC		(1u << 4)
#define PROC2_ENABLE_VPID		(1u << 5)
#define PROC2_UNRESTRICTED_GUEST	(1u << 7)
#define PROC2_APIC_REGISTER_VIRT	(1u << 8)
#define PROC2_VIRTUAL_INTR_DELIVERY	(1u << 9)
#define PROC2_PAUSE_LOOP_EXITING	(1u << 10)
#define PROC2_ENABLE_INVPCID		(1u << 12)
#define PROC2_ENABLE_XSAVES		(1u << 20)

/* VM-exit controls */
#define EXIT_SAVE_DEBUG_CONTROLS	(1u << 2)
#define EXIT_HOST_ADDR_SPACE_SIZE	(1u << 9)
#define EXIT_SAVE_PAT			(1u << 18)
#define EXIT_LOAD_PAT			(1u << 19)
#define EXIT_SAVE_EFER			(1u << 20)
#define EXIT_LOAD_EFER			(1u << 21)

/* VM-entry controls */
#define ENTRY_LOAD_DEBUG_CONTROLS	(1u << 2)
#define ENTRY_IA32E_MODE_GUEST		(1u << 9)
#define ENTRY_LOAD_PAT			(1u << 14)
#define ENTRY_LOAD_EFER			(1u << 15)

/* Interruption information (VM-entry injection, VM-exit and IDT vectoring) */
#define INTR_INFO_VECTOR_MASK		0xffu
#define INTR_INFO_TYPE_SHIFT		8
#define INTR_INFO_TYPE_MASK		(7u << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_EXT_INTR		(0u << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_NMI			(2u << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_HARD_EXCEPTION	(3u << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_SOFT_EXCEPTION	(6u << INTR_INFO_TYPE_SHIFT)
#define INTR_INFO_ERROR_VALID		(1u << 11)
#define INTR_INFO_VALID			(1u << 31)

/* Exit qualification of a MOV DR exit */
#define DR_QUAL_NUMBER_MASK		7u
#define DR_QUAL_FROM_DR			(1u << 4)
#define DR_QUAL_GPR_SHIFT		8

/* EPT pointer */
#define EPTP_MEMTYPE_WB			6ull
#define EPTP_WALK_LENGTH_4		(3ull << 3)	/* levels - 1 */
#define EPTP_AD_ENABLE			(1ull << 6)

/* INVEPT and INVVPID types */
#define INVEPT_SINGLE_CONTEXT		1
#define INVEPT_ALL_CONTEXT		2
#define INVVPID_SINGLE_CONTEXT		1
#define INVVPID_ALL_CONTEXT		2

/* Exit reason field: basic reason in bits 15:0, entry failure in bit 31. */
#define EXIT_REASON_BASIC_MASK		0xffffu
#define EXIT_REASON_ENTRY_FAILURE	(1u << 31)

#ifndef __ASSEMBLY__
/* Basic exit reasons (SDM Vol. 3D, Appendix C) */
enum vmx_exit_reason {
	VMX_EXIT_EXCEPTION_NMI = 0,
	VMX_EXIT_EXTERNAL_INTR = 1,
	VMX_EXIT_TRIPLE_FAULT = 2,
	VMX_EXIT_INIT = 3,
	VMX_EXIT_INTR_WINDOW = 7,
	VMX_EXIT_NMI_WINDOW = 8,
	VMX_EXIT_CPUID = 10,
	VMX_EXIT_HLT = 12,
	VMX_EXIT_VMCALL = 18,
	VMX_EXIT_VMCLEAR = 19,
	VMX_EXIT_VMLAUNCH = 20,
	VMX_EXIT_VMPTRLD = 21,
	VMX_EXIT_VMPTRST = 22,
	VMX_EXIT_VMREAD = 23,
	VMX_EXIT_VMRESUME = 24,
	VMX_EXIT_VMWRITE = 25,
	VMX_EXIT_VMXOFF = 26,
	VMX_EXIT_VMXON = 27,
	VMX_EXIT_CR_ACCESS = 28,
	VMX_EXIT_DR_ACCESS = 29,
	VMX_EXIT_IO = 30,
	VMX_EXIT_RDMSR = 31,
	VMX_EXIT_WRMSR = 32,
	VMX_EXIT_MWAIT = 36,
	VMX_EXIT_MONITOR = 39,
	VMX_EXIT_PAUSE = 40,
	VMX_EXIT_INVALID_GUEST_STATE = 33,
	VMX_EXIT_MSR_LOADING = 34,
	VMX_EXIT_MACHINE_CHECK = 41,
	VMX_EXIT_VIRTUALIZED_EOI = 45,
	VMX_EXIT_MONITOR_TRAP = 37,
	VMX_EXIT_EPT_VIOLATION = 48,
	VMX_EXIT_EPT_MISCONFIG = 49,
	VMX_EXIT_INVEPT = 50,
	VMX_EXIT_INVVPID = 53,
	VMX_EXIT_XSETBV = 55,
};
#endif

/* Exit qualification of an I/O exit */
#define IO_QUAL_SIZE_MASK		7u	/* size - 1 */
#define IO_QUAL_IN			(1u << 3)
#define IO_QUAL_STRING			(1u << 4)
#define IO_QUAL_REP			(1u << 5)
#define IO_QUAL_PORT_SHIFT		16

/* Exit qualification of a control-register access */
#define CR_QUAL_CR_MASK			0xfu
#define CR_QUAL_TYPE_SHIFT		4
#define CR_QUAL_TYPE_MASK		(3u << CR_QUAL_TYPE_SHIFT)
#define CR_QUAL_TYPE_MOV_TO_CR		(0u << CR_QUAL_TYPE_SHIFT)
#define CR_QUAL_TYPE_MOV_FROM_CR	(1u << CR_QUAL_TYPE_SHIFT)
#define CR_QUAL_GPR_SHIFT		8
#define CR_QUAL_GPR_MASK		(0xfu << CR_QUAL_GPR_SHIFT)

/* Exit qualification of an EPT violation */
#define EPT_QUAL_WRITE			(1ull << 1)
#define EPT_QUAL_FETCH			(1ull << 2)

/* Guest interruptibility state */
#define INTERRUPTIBILITY_STI		(1u << 0)
#define INTERRUPTIBILITY_MOV_SS		(1u << 1)
#define INTERRUPTIBILITY_NMI		(1u << 3)

/* Activity state */
#define GUEST_ACTIVITY_ACTIVE		0
