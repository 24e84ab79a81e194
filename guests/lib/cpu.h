/* CPU identification shared by the guests. */
#pragma once

#include "lib/compiler.h"

#define CPU_VENDOR_LEN	12

/* Stores the CPUID leaf 0 vendor string ("AuthenticAMD", ...) NUL-terminated in out. */
void cpu_vendor(char out[CPU_VENDOR_LEN + 1]);

/* True on CPUs whose hypercall instruction is VMMCALL (AMD, Hygon) rather than VMCALL. */
bool cpu_uses_vmmcall(void);
