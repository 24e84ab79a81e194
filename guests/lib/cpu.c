/* CPU vendor from CPUID. */
#include "guests/lib/cpu.h"
#include "guests/lib/string.h"
#include "guests/lib/x86.h"

void cpu_vendor(char out[CPU_VENDOR_LEN + 1])
{
	struct cpuid_regs r = cpuid(0, 0);

	/* The vendor string is EBX, EDX, ECX in that order. */
	memcpy(out, &r.ebx, 4);
	memcpy(out + 4, &r.edx, 4);
	memcpy(out + 8, &r.ecx, 4);
	out[CPU_VENDOR_LEN] = '\0';
}

bool cpu_uses_vmmcall(void)
{
	char vendor[CPU_VENDOR_LEN + 1];

	cpu_vendor(vendor);
	return !memcmp(vendor, "AuthenticAMD", CPU_VENDOR_LEN) ||
	       !memcmp(vendor, "HygonGenuine", CPU_VENDOR_LEN);
}
