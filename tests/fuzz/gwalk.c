/* The guest page walker (hv/dev/gwalk.c) over a fake guest memory: the
 * input is a struct walk_input (inputs.h: the paging registers, the
 * address, the access) followed by the memory, which repeats to fill
 * guest-physical space up to 2^(12 + ram_bits % 41). A walk must read a chain of entries each named by
 * the one before, and a translation must keep the page offset, fit the
 * physical width and allow the access; a fault's error code must say why. */
#include <string.h>

#include "hv/dev/gwalk.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/inputs.h"

#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define EFER_LMA	(1ull << 10)
#define PTE_P		1ull
#define ADDR_MASK_52	0x000ffffffffff000ull
#define ACCESS_BITS	(GWALK_WRITE | GWALK_USER | GWALK_FETCH)

struct memory {
	const uint8_t *bytes;
	size_t size;
	uint64_t limit;
};

/* The gwalk_read_fn: the input's memory, repeated up to the limit. */
static bool mem_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	const struct memory *m = ctx;
	uint8_t *out = buf;

	if (!m->size || gpa >= m->limit || len > m->limit - gpa)
		return false;
	for (size_t i = 0; i < len; i++)
		out[i] = m->bytes[(gpa + i) % m->size];
	return true;
}

/* Field by field (padding may differ). */
static bool same_result(const struct gwalk_result *a, const struct gwalk_result *b)
{
	return a->gpa == b->gpa && a->levels == b->levels && a->page_shift == b->page_shift &&
	       a->writable == b->writable && a->user == b->user &&
	       a->executable == b->executable && a->pf_error == b->pf_error &&
	       !memcmp(a->entry, b->entry, sizeof(a->entry)) &&
	       !memcmp(a->entry_gpa, b->entry_gpa, sizeof(a->entry_gpa));
}

/* Each entry read is what memory holds there, and names the next table. */
static void check_chain(const struct gwalk_mode *m, struct memory *mem,
			const struct gwalk_result *r, unsigned max_levels, unsigned bytes)
{
	uint64_t addr_mask = bytes == 4 ? 0xfffff000ull : ADDR_MASK_52;

	FUZZ_CHECK(r->levels <= max_levels);
	for (unsigned k = 0; k < r->levels; k++) {
		uint64_t value = 0;

		FUZZ_CHECK(mem_read(mem, r->entry_gpa[k], &value, bytes) && value == r->entry[k]);
		FUZZ_CHECK(r->entry_gpa[k] % bytes == 0);
		if (k)
			FUZZ_CHECK((r->entry_gpa[k] & addr_mask & ~0xfffull) ==
				   (r->entry[k - 1] & addr_mask));
		FUZZ_CHECK(k + 1 == r->levels || (r->entry[k] & PTE_P));
	}
}

/* A successful walk: the page offset kept, within MAXPHYADDR, the access
 * allowed by the combined permissions. */
static void check_translation(const struct gwalk_mode *m, uint64_t gva, unsigned access,
			      const struct gwalk_result *r, bool long_mode)
{
	uint64_t offset_mask = (1ull << r->page_shift) - 1;
	bool user = access & GWALK_USER;

	FUZZ_CHECK(r->page_shift == 12 || r->page_shift == 21 || r->page_shift == 22 ||
		   r->page_shift == 30);
	FUZZ_CHECK(((long_mode ? gva : gva & 0xffffffffull) & offset_mask) == (r->gpa & offset_mask));
	FUZZ_CHECK(r->gpa >> m->maxphyaddr == 0);
	FUZZ_CHECK(!(access & GWALK_WRITE) || r->writable || (!user && !(m->cr0 & CR0_WP)));
	FUZZ_CHECK(!user || r->user);
	FUZZ_CHECK(!(access & GWALK_FETCH) || r->executable);
}

/* A #PF: the error code says what the access was and why it failed. */
static void check_fault(unsigned access, const struct gwalk_result *r)
{
	uint32_t e = r->pf_error;

	FUZZ_CHECK(r->levels >= 1);
	FUZZ_CHECK(!(e & PF_PRESENT) == !(r->entry[r->levels - 1] & PTE_P));
	FUZZ_CHECK(!(e & PF_WRITE) == !(access & GWALK_WRITE));
	FUZZ_CHECK(!(e & PF_USER) == !(access & GWALK_USER));
	FUZZ_CHECK(!(e & PF_RSVD) || (e & PF_PRESENT));
	FUZZ_CHECK(!(e & PF_FETCH) || (access & GWALK_FETCH));
	FUZZ_CHECK(!(e & ~(PF_PRESENT | PF_WRITE | PF_USER | PF_RSVD | PF_FETCH)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk_input in;
	struct gwalk_mode m;
	struct gwalk_result r, again;
	struct memory mem;
	enum gwalk_status s;
	unsigned access, max_levels, bytes;
	bool paging, pae, long_mode;

	if (size < sizeof(in))
		return 0;
	memcpy(&in, data, sizeof(in));
	mem = (struct memory){ data + sizeof(in), size - sizeof(in),
			       1ull << (12 + in.ram_bits % 41) };
	m = (struct gwalk_mode){ in.cr0, in.cr3, in.cr4, in.efer, in.access & WALK_AC,
				 in.access & WALK_GBPAGES,
				 36 + in.maxphyaddr % 17 };
	access = in.access & ACCESS_BITS;
	if (access & GWALK_FETCH)	/* a fetch reads: the walker takes no fetch-and-write */
		access &= ~GWALK_WRITE;
	paging = m.cr0 & CR0_PG;
	pae = m.cr4 & CR4_PAE;
	long_mode = pae && (m.efer & EFER_LMA);
	max_levels = !paging ? 0 : !pae ? 2 : !long_mode ? 3 : GWALK_MAX_LEVELS;
	bytes = pae ? 8 : 4;

	s = gwalk(&m, in.gva, access, mem_read, &mem, &r);
	FUZZ_CHECK(gwalk(&m, in.gva, access, mem_read, &mem, &again) == s && same_result(&r, &again));
	check_chain(&m, &mem, &r, max_levels, bytes);
	switch (s) {
	case GWALK_OK:
		if (!paging)
			FUZZ_CHECK(r.levels == 0 && r.gpa == (in.gva & 0xffffffffull));
		else
			check_translation(&m, in.gva, access, &r, long_mode);
		if (access & GWALK_WRITE) {
			s = gwalk(&m, in.gva, access & ~GWALK_WRITE, mem_read, &mem, &again);
			FUZZ_CHECK(s == GWALK_OK && again.gpa == r.gpa);
		}
		break;
	case GWALK_PAGE_FAULT:
		check_fault(access, &r);
		break;
	case GWALK_NONCANONICAL:
		FUZZ_CHECK(long_mode && paging && r.levels == 0);
		break;
	case GWALK_BAD_TABLE:
		FUZZ_CHECK(paging && r.levels < max_levels);
		break;
	}
	return 0;
}
