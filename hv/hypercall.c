/* The hypercall table. */
#include "hv/hypercall.h"

void hypercall_handle(struct vcpu *v)
{
	switch (v->gprs.rax) {
	case HC_PING:
		v->gprs.rax = HC_PING_REPLY;
		v->gprs.rbx = HC_ABI_VERSION;
		return;
	case HC_ADD:
		v->gprs.rax = (uint32_t)(v->gprs.rbx + v->gprs.rcx);
		return;
	}
	v->gprs.rax = HC_ENOSYS;
}
