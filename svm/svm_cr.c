/* Guest control registers under SVM. The VMCB holds them as the guest
 * sees them, and the guest reads them directly. Writes that could leave a
 * state VMRUN refuses go to the core's checks (hv/cr.c), because a CPU
 * that lets a bad value through makes the next VMRUN fail instead of the
 * guest taking #GP (QEMU's TCG does: reserved CR4 bits, CR0.NW without
 * CD): every MOV to CR4, and the CR0 writes that change more than TS and
 * MP. CR8 is the vLAPIC's TPR, as the core keeps it.
 *
 * The VMCB's EFER.LME is the guest's only while its paging is on. LME
 * matters only at the paging switch, which the CR0 intercept brings here
 * to enter or leave IA-32e mode as the CPU would; and QEMU's TCG, at the
 * #VMEXIT of a guest with LME set and paging off, restores the host's CR0
 * before its CR4 and EFER, takes that for a switch to long mode without
 * PAE and keeps the guest's CR0: the hypervisor would go on without
 * paging and the next guest on that CPU would crash. */
#include "svm/svm.h"
#include "x86/regs.h"

void svm_cr_intercepts(struct vmcb_control *c)
{
	c->intercept_cr_read = SVM_INTERCEPT_CR8;
	c->intercept_cr_write = SVM_INTERCEPT_CR4 | SVM_INTERCEPT_CR8;
	c->intercept_misc1 |= SVM_INTERCEPT_CR0_SEL_WRITE;
}

/* A paging switch with LME set enters or leaves IA-32e mode. */
void svm_set_cr0(struct vcpu *v, uint64_t cr0)
{
	struct svm_vcpu *sv = v->vendor;
	bool paging_switch = (cr0 ^ sv->vmcb->save.cr0) & CR0_PG;

	sv->vmcb->save.cr0 = cr0;
	if (paging_switch && (v->efer & EFER_LME))
		v->efer = cr0 & CR0_PG ? v->efer | EFER_LMA : v->efer & ~EFER_LMA;
}

/* Takes effect at the next VMRUN; the core has the TLB flushed. */
void svm_set_cr4(struct vcpu *v, uint64_t cr4)
{
	struct svm_vcpu *sv = v->vendor;

	sv->vmcb->save.cr4 = cr4;
}

uint64_t svm_guest_efer(const struct vcpu *v)
{
	const struct svm_vcpu *sv = v->vendor;
	uint64_t efer = v->efer | EFER_SVME;

	return sv->vmcb->save.cr0 & CR0_PG ? efer : efer & ~EFER_LME;
}
