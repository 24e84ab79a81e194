/* The guest loader (hv/load/) on flat real-mode binaries; guest_ram_fuzz.h
 * has the input format and the checks. */
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/guest_ram_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_guest_load(data, size, VM_KIND_FLAT);
}
