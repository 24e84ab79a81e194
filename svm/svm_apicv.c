/* APIC virtualization on SVM: AVIC is not used. No CPU the tests here run
 * on advertises it (QEMU's TCG and Bochs have none), and a path no test
 * exercises is not enabled; SVM VMs keep the inhibit reason `absent` and
 * run on the emulated vLAPIC (docs/apicv.md). */
#include "svm/svm.h"

bool svm_apicv_supported(void)
{
	return false;
}
