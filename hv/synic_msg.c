/* SynIC messages (TLFS "SynIC Message Flags", "Message Buffers"): each SINT
 * owns one HV_MESSAGE slot of the vCPU's message page. The hypervisor
 * writes a slot only while its message_type is HVMSG_NONE; otherwise it
 * sets the slot's pending flag, and the guest, having emptied the slot,
 * writes EOM so that the waiting message is posted. */
#include <stddef.h>

#include "hv/guest_mem.h"
#include "hv/synic_state.h"
#include "hv/vm.h"
#include "lib/bug.h"

/* Guest-physical address of SINT `sint`'s slot. */
static uint64_t slot_gpa(const struct synic *s, unsigned sint)
{
	return (s->simp & HV_PAGE_GPA) + (uint64_t)sint * HV_MESSAGE_SIZE;
}

/* Set the pending flag of a busy slot, so the guest knows to write EOM. */
static void slot_mark_pending(struct synic *s, unsigned sint)
{
	uint64_t gpa = slot_gpa(s, sint) + offsetof(struct hv_message, message_flags);
	uint8_t flags;

	if (guest_phys_read(s->vcpu->vm, gpa, &flags, 1)) {
		flags |= HV_MSG_FLAG_PENDING;
		guest_phys_write(s->vcpu->vm, gpa, &flags, 1);
	}
}

bool synic_post_message(struct synic *s, unsigned sint, const struct hv_message *msg)
{
	struct vm *vm = s->vcpu->vm;
	uint64_t gpa = slot_gpa(s, sint);
	uint32_t type;

	BUG_ON(!spin_is_locked(&s->lock));
	if (!(s->scontrol & SCONTROL_ENABLE) || !(s->simp & HV_PAGE_ENABLE) ||
	    !guest_phys_read(vm, gpa, &type, sizeof(type)))
		return false;
	if (type != HVMSG_NONE) {
		slot_mark_pending(s, sint);
		return false;
	}
	/* The type last: a reader on another vCPU sees a whole message. */
	guest_phys_write(vm, gpa + sizeof(type), (const uint8_t *)msg + sizeof(type),
			 sizeof(*msg) - sizeof(type));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	guest_phys_write(vm, gpa, &msg->message_type, sizeof(type));
	synic_raise_sint(s, sint);
	return true;
}

void synic_retry_messages(struct synic *s)
{
	BUG_ON(!spin_is_locked(&s->lock));
	stimers_retry(s);
}
