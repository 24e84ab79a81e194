/*
 * The hypervisor's hypercall ABI (docs/hypercalls.md), guest side: VMMCALL
 * on AMD, VMCALL on Intel; RAX = number, RBX/RCX/RDX/RSI = arguments,
 * RAX = result. 32-bit guests pass and receive the low 32 bits.
 */
#pragma once

#include "lib/compiler.h"

#define HC_PING		0
#define HC_ADD		1
#define HC_COUNTER	2
#define HC_UNMAP	3
#define HC_PING_MAGIC	0x6876u		/* 'hv' */
#define HC_ABI_VERSION	1u
#define HC_ENOSYS	0xffffffffu	/* -1: unknown hypercall number */
#define HC_EINVAL	0xfffffffeu	/* -2: an argument out of range */

/* The VM counters HC_COUNTER reads (docs/hypercalls.md). */
enum hc_counter {
	HC_COUNTER_EXITS,
	HC_COUNTER_FLUSH_REQUESTS,
	HC_COUNTER_FLUSH_IPIS,
	HC_COUNTER_FLUSHES_DONE,
	HC_COUNTER_SWITCHES,
	HC_COUNTER_SWITCH_CYCLES,
};

/* Every general register a hypercall may read or must preserve (EBP/ESP aside). */
struct hc_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi;
};

/* Address of the hypercall instruction in hypercall_vmmcall/hypercall_vmcall (hypercall.S). */
extern const char hc_vmmcall_insn[], hc_vmcall_insn[];

/* Loads the registers from r, executes VMMCALL / VMCALL, stores them back in r. */
void hypercall_vmmcall(struct hc_regs *r);
void hypercall_vmcall(struct hc_regs *r);

/* One of the two hypercall instructions. */
struct hypercall_insn {
	const char *name;			/* "vmmcall" or "vmcall" */
	void (*call)(struct hc_regs *r);	/* hypercall_vmmcall or hypercall_vmcall */
	const char *insn;			/* where the instruction itself is */
};

/* Returns the variant for this CPU's vendor. */
struct hypercall_insn hypercall_for_cpu(void);

/* The VM's counter `which`, 64 bits (EBX:EAX). */
uint64_t hypercall_counter(enum hc_counter which);

/* Drops the hypervisor's mappings of [gpa, gpa + bytes) (contents stay);
 * returns 0 or HC_EINVAL. */
uint32_t hypercall_unmap(uint32_t gpa, uint32_t bytes);
