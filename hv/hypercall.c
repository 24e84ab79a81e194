/* The hypercall table. */
#include "hv/hypercall.h"

void hypercall_handle(struct vcpu *v)
{
	switch (v->gprs.rax) {
	case HC_PING:
		v->gprs.rax = HC_PING_REPLY;
		v->gprs.rbx = HC_ABI_VERSION;
		return;
	}
	v->gprs.rax = HC_ENOSYS;
}
