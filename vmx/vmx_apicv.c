/* APIC virtualization on VMX (Intel SDM Vol. 3C "APIC Virtualization and
 * Virtual Interrupts"). */
#include "vmx/vmx.h"

bool vmx_apicv_supported(void)
{
	return false;
}
