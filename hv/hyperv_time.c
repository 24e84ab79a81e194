/* The partition reference time (TLFS "Partition Reference Counter"): 100
 * ns units since the VM was built, from the host TSC, whose rate is the
 * same on every CPU. The counter MSR, the TSC page and the stimers use it. */
#include "drivers/tsc.h"
#include "hv/hyperv.h"
#include "hv/vm.h"

uint64_t hyperv_ref_time(const struct vm *vm)
{
	uint64_t now = tsc_now(), khz = READ_ONCE(tsc_khz);

	if (now <= vm->created_tsc || !khz)
		return 0;
	return (uint64_t)((unsigned __int128)(now - vm->created_tsc) * HV_REF_TICKS_PER_MS / khz);
}

uint64_t hyperv_ref_to_tsc(const struct vm *vm, uint64_t ref)
{
	return vm->created_tsc +
	       (uint64_t)((unsigned __int128)ref * READ_ONCE(tsc_khz) / HV_REF_TICKS_PER_MS);
}
