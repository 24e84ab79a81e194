/* The partition reference time the stimers count in (TLFS "Partition
 * Reference Counter"): 100 ns units since the VM was built, from the
 * host TSC, whose rate is the same on every CPU. */
#include "drivers/tsc.h"
#include "hv/synic.h"
#include "hv/vm.h"

#define REF_TICKS_PER_MS	10000u

uint64_t synic_ref_time(const struct vm *vm)
{
	uint64_t now = tsc_now(), khz = READ_ONCE(tsc_khz);

	if (now <= vm->created_tsc || !khz)
		return 0;
	return (uint64_t)((unsigned __int128)(now - vm->created_tsc) * REF_TICKS_PER_MS / khz);
}

uint64_t synic_ref_to_tsc(const struct vm *vm, uint64_t ref)
{
	return vm->created_tsc +
	       (uint64_t)((unsigned __int128)ref * READ_ONCE(tsc_khz) / REF_TICKS_PER_MS);
}
