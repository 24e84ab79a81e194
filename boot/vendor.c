/* Choosing the vendor code from CPUID: SVM on AMD, VMX on Intel. */
#include "boot/vendor.h"
#include "hv/vendor.h"
#include "lib/log.h"
#include "svm/svm.h"
#include "vmx/vmx.h"

const struct vendor_ops *vendor;

bool vendor_probe(void)
{
	if (svm_probe()) {
		svm_bitmaps_init();
		vendor = &svm_ops;
		return true;
	}
	if (vmx_probe()) {
		vmx_bitmaps_init();
		vendor = &vmx_ops;
		return true;
	}
	log_error("hv: this CPU has no usable hardware virtualization (SVM with NPT, or VMX "
		  "with EPT and unrestricted guest); guests cannot run");
	return false;
}
