/* The VMX instructions as inline functions. Each reports VMfail (CF or ZF
 * set) as false; after a VMfailValid the VMCS's VM-instruction error field
 * says why (vmx_insn_error_name()). */
#pragma once

#include "lib/compiler.h"

/* Enter VMX root operation with the VMXON region at `pa`. */
static inline bool vmxon(uint64_t pa)
{
	bool fail;

	__asm__ volatile("vmxon %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

/* Write the VMCS at `pa` back to memory, make it inactive and its launch
 * state clear. */
static inline bool vmclear(uint64_t pa)
{
	bool fail;

	__asm__ volatile("vmclear %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

/* Make the VMCS at `pa` current (and active) on this CPU. */
static inline bool vmptrld(uint64_t pa)
{
	bool fail;

	__asm__ volatile("vmptrld %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

/* Write `value` to field `field` of the current VMCS. */
static inline bool vmwrite(uint32_t field, uint64_t value)
{
	bool fail;

	__asm__ volatile("vmwrite %2, %1; setna %0"
			 : "=qm"(fail) : "r"((uint64_t)field), "rm"(value) : "cc", "memory");
	return !fail;
}

/* Field `field` of the current VMCS (0 if the read fails). */
static inline uint64_t vmread(uint32_t field)
{
	uint64_t value = 0;

	__asm__ volatile("vmread %1, %0" : "+rm"(value) : "r"((uint64_t)field) : "cc");
	return value;
}

/* Drop EPT-derived translations: of `eptp` (single context) or of all. */
static inline bool invept(uint64_t type, uint64_t eptp)
{
	struct { uint64_t eptp, reserved; } desc = { eptp, 0 };
	bool fail;

	__asm__ volatile("invept %1, %2; setna %0"
			 : "=qm"(fail) : "m"(desc), "r"(type) : "cc", "memory");
	return !fail;
}

/* Drop translations tagged with `vpid` (single context) or with any VPID. */
static inline bool invvpid(uint64_t type, uint16_t vpid)
{
	struct { uint64_t vpid, linear_address; } desc = { vpid, 0 };
	bool fail;

	__asm__ volatile("invvpid %1, %2; setna %0"
			 : "=qm"(fail) : "m"(desc), "r"(type) : "cc", "memory");
	return !fail;
}
