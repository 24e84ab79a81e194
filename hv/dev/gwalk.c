/* The guest page walker (hv/dev/gwalk.h), after the Intel SDM's "Paging"
 * chapter: one loop over the levels of the mode, each level a step down
 * through one table entry, the checks of that level's entry on the way and
 * the permission checks at the leaf. */
#include "hv/dev/gwalk.h"

#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define CR4_LA57	(1ull << 12)
#define CR4_SMEP	(1ull << 20)
#define CR4_SMAP	(1ull << 21)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_US		(1ull << 2)
#define PTE_PS		(1ull << 7)
#define PTE_NX		(1ull << 63)
#define ADDR_MASK_52	0x000ffffffffff000ull

/* How one mode lays out its tables. */
struct walk_shape {
	unsigned levels;	/* tables to read */
	unsigned entry_bytes;	/* 4 (32-bit paging) or 8 */
	unsigned top_shift;	/* the bit the top-level index starts at */
	unsigned top_bits;	/* its width (2 for PAE's PDPT) */
	bool pae_pdpt;		/* the top level is PAE's PDPT (no R/W, U/S) */
};

/* Bits of a 64-bit entry that must be zero: the address bits above the
 * physical width and, without EFER.NXE, the XD bit. */
static uint64_t reserved_high(const struct gwalk_mode *m)
{
	uint64_t r = ADDR_MASK_52 & ~((1ull << m->maxphyaddr) - 1);

	return (m->efer & EFER_NXE) ? r : r | PTE_NX;
}

/* The reserved bits of an entry at `level` (0 = the leaf table) that maps
 * a page when `leaf` (PS set above level 0), in a mode with 8-byte entries. */
static uint64_t reserved_bits(const struct gwalk_mode *m, const struct walk_shape *w,
			      unsigned level, bool leaf)
{
	uint64_t r = reserved_high(m);

	if (w->pae_pdpt && level == w->levels - 1)
		return r | 0x1e6;		/* PDPTE: bits 2:1 and 8:5 */
	if (leaf && level == 1)
		return r | 0x1fe000;		/* 2 MiB page: bits 20:13 */
	if (leaf && level == 2)
		return r | 0x3fffe000;		/* 1 GiB page: bits 29:13 */
	return r;
}

/* Whether an entry at `level` with PS set maps a page (rather than PS
 * being reserved or ignored). */
static bool ps_allowed(const struct gwalk_mode *m, const struct walk_shape *w, unsigned level)
{
	if (w->entry_bytes == 4)
		return level == 1 && (m->cr4 & CR4_PSE);
	if (w->pae_pdpt && level == w->levels - 1)
		return false;
	return level == 1 || (level == 2 && m->gbpages);
}

/* The physical address a 32-bit paging 4 MiB PDE maps (PSE-36: bits
 * 20:13 of the entry are address bits 39:32); false when a bit beyond the
 * physical width, or bit 21, is set. */
static bool pse36_base(const struct gwalk_mode *m, uint64_t pde, uint64_t *base)
{
	uint64_t high = (pde >> 13) & 0xff;
	unsigned width = MIN(m->maxphyaddr, 40u);

	if ((pde & (1ull << 21)) || (high >> (width - 32)))
		return false;
	*base = (pde & 0xffc00000ull) | high << 32;
	return true;
}

/* Fill the error code of a fault on `access` and say so. */
static enum gwalk_status fault(const struct gwalk_mode *m, const struct walk_shape *w,
			       unsigned access, uint32_t cause, struct gwalk_result *out)
{
	bool id = (access & GWALK_FETCH) &&
		  ((m->cr4 & CR4_SMEP) || (w->entry_bytes == 8 && (m->efer & EFER_NXE)));

	out->pf_error = cause | (access & GWALK_WRITE ? PF_WRITE : 0) |
			(access & GWALK_USER ? PF_USER : 0) | (id ? PF_FETCH : 0);
	return GWALK_PAGE_FAULT;
}

/* The permission checks of the finished walk (SDM "Access Rights"). */
static bool access_allowed(const struct gwalk_mode *m, unsigned access,
			   const struct gwalk_result *r)
{
	bool user = access & GWALK_USER;

	if (access & GWALK_FETCH) {
		if (!r->executable || (user && !r->user))
			return false;
		return user || !r->user || !(m->cr4 & CR4_SMEP);
	}
	if (user)
		return r->user && (!(access & GWALK_WRITE) || r->writable);
	if (r->user && (m->cr4 & CR4_SMAP) && !m->rflags_ac)
		return false;
	return !(access & GWALK_WRITE) || r->writable || !(m->cr0 & CR0_WP);
}

/* The layout of the mode `m` is in; false for a non-canonical `gva`. */
static bool walk_shape_of(const struct gwalk_mode *m, uint64_t gva, struct walk_shape *w)
{
	if (!(m->cr4 & CR4_PAE)) {
		*w = (struct walk_shape){ 2, 4, 22, 10, false };
		return true;
	}
	if (!(m->efer & EFER_LMA)) {
		*w = (struct walk_shape){ 3, 8, 30, 2, true };
		return true;
	}
	*w = (struct walk_shape){ m->cr4 & CR4_LA57 ? 5 : 4, 8, 0, 9, false };
	w->top_shift = 12 + 9 * (w->levels - 1);
	/* Canonical: the bits above the top index copy its highest bit. */
	return (uint64_t)((int64_t)(gva << (63 - (w->top_shift + 8))) >> (63 - (w->top_shift + 8))) ==
	       gva;
}

enum gwalk_status gwalk(const struct gwalk_mode *m, uint64_t gva, unsigned access,
			gwalk_read_fn read, void *ctx, struct gwalk_result *out)
{
	struct walk_shape w;
	uint64_t table;
	unsigned shift;

	*out = (struct gwalk_result){ .page_shift = 12, .writable = true, .user = true,
				      .executable = true };
	if (!(m->cr0 & CR0_PG)) {
		out->gpa = gva & 0xffffffffull;
		return GWALK_OK;
	}
	if (!walk_shape_of(m, gva, &w))
		return GWALK_NONCANONICAL;
	if (w.entry_bytes == 4 || w.pae_pdpt)
		gva &= 0xffffffffull;
	table = w.pae_pdpt ? (m->cr3 & 0xffffffe0ull) :
		w.entry_bytes == 4 ? (m->cr3 & 0xfffff000ull) : (m->cr3 & ADDR_MASK_52);
	shift = w.top_shift;
	for (unsigned level = w.levels; level-- > 0; shift -= (w.entry_bytes == 4 ? 10 : 9)) {
		unsigned bits = level == w.levels - 1 ? w.top_bits : (w.entry_bytes == 4 ? 10 : 9);
		uint64_t index = (gva >> shift) & ((1ull << bits) - 1);
		uint64_t gpa = table + index * w.entry_bytes;
		uint64_t entry = 0;
		bool leaf;
		unsigned n = w.levels - 1 - level;

		if (!read(ctx, gpa, &entry, w.entry_bytes))
			return GWALK_BAD_TABLE;
		out->entry[n] = entry;
		out->entry_gpa[n] = gpa;
		out->levels = n + 1;
		if (!(entry & PTE_P))
			return fault(m, &w, access, 0, out);
		leaf = level == 0 || ((entry & PTE_PS) && ps_allowed(m, &w, level));
		if (w.entry_bytes == 8 && (entry & reserved_bits(m, &w, level, leaf)))
			return fault(m, &w, access, PF_PRESENT | PF_RSVD, out);
		if (w.entry_bytes == 8 && (entry & PTE_PS) && !leaf && level > 0 &&
		    !(w.pae_pdpt && level == w.levels - 1))
			return fault(m, &w, access, PF_PRESENT | PF_RSVD, out);
		if (!(w.pae_pdpt && level == w.levels - 1)) {
			out->writable &= !!(entry & PTE_RW);
			out->user &= !!(entry & PTE_US);
		}
		if (w.entry_bytes == 8 && (m->efer & EFER_NXE) && (entry & PTE_NX))
			out->executable = false;
		if (leaf) {
			uint64_t base;

			if (w.entry_bytes == 4 && level == 1) {
				if (!pse36_base(m, entry, &base))
					return fault(m, &w, access, PF_PRESENT | PF_RSVD, out);
			} else {
				base = entry & (w.entry_bytes == 4 ? 0xfffff000ull : ADDR_MASK_52) &
				       ~((1ull << shift) - 1);
			}
			out->page_shift = shift;
			out->gpa = base | (gva & ((1ull << shift) - 1));
			if (!access_allowed(m, access, out))
				return fault(m, &w, access, PF_PRESENT, out);
			return GWALK_OK;
		}
		table = entry & (w.entry_bytes == 4 ? 0xfffff000ull : ADDR_MASK_52);
	}
	return GWALK_OK;	/* not reached: level 0 is always a leaf */
}
