/* Choosing the APs to start: the firmware's CPU list is untrusted input, and
 * starting one CPU twice would reset it under its own feet. */
#include "boot/smp_select.h"
#include "lib/log.h"

#define XAPIC_ID_LIMIT	0xff	/* xAPIC IDs are 8 bits wide */

static bool id_listed(const uint32_t *ids, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

unsigned smp_select_aps(const uint32_t *apic_ids, unsigned n, uint32_t bsp_apic_id,
			uint32_t max_apic_id, uint32_t *out, unsigned out_cap)
{
	unsigned count = 0;

	for (unsigned i = 0; i < n; i++) {
		uint32_t id = apic_ids[i];

		if (id == bsp_apic_id)
			continue;
		if (id > max_apic_id) {
			log_warn("smp: APIC ID %#x is beyond %#x, the highest the APIC mode in use addresses%s; not started",
				 id, max_apic_id, max_apic_id < XAPIC_ID_LIMIT ?
				 " (xAPIC mode: higher IDs need x2APIC, which this CPU lacks)" : "");
			continue;
		}
		if (id_listed(out, count, id)) {
			log_warn("smp: APIC ID %#x listed twice; started once", id);
			continue;
		}
		if (count == out_cap) {
			log_warn("smp: at most %u APs can be started; APIC ID %#x and later ones are not",
				 out_cap, id);
			break;
		}
		out[count++] = id;
	}
	return count;
}
