/* Guest memory access (hv/guest_mem.h). */
#include <string.h>

#include "hv/guest_mem.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "mm/rcu.h"
#include "x86/insn.h"
#include "x86/regs.h"
#include "x86/vectors.h"

#define PAGE_BYTES	4096ull
#define RFLAGS_AC	(1ull << 18)

/* Copy between `buf` and guest-physical [gpa, gpa + len), page by page,
 * each page found in the VM's memslots; false if any is not RAM. */
static bool guest_phys_copy(struct vm *vm, uint64_t gpa, void *buf, size_t len, bool write)
{
	uint8_t *p = buf;
	bool ok = true;

	rcu_read_lock();
	while (len && ok) {
		struct memslot_set *set = memslots_active(&vm->slots, 0);
		const struct memslot *slot = memslot_find(set, gpa >> 12);
		size_t chunk = MIN(len, PAGE_BYTES - (gpa & (PAGE_BYTES - 1)));

		ok = slot != NULL;
		if (ok) {
			uint8_t *host = (uint8_t *)(slot->host + ((gpa >> 12) - slot->base_gfn) *
						    PAGE_BYTES + (gpa & (PAGE_BYTES - 1)));

			if (write)
				memcpy(host, p, chunk);
			else
				memcpy(p, host, chunk);
		}
		gpa += chunk;
		p += chunk;
		len -= chunk;
	}
	rcu_read_unlock();
	return ok;
}

bool guest_phys_read(struct vm *vm, uint64_t gpa, void *buf, size_t len)
{
	return guest_phys_copy(vm, gpa, buf, len, false);
}

bool guest_phys_write(struct vm *vm, uint64_t gpa, const void *buf, size_t len)
{
	return guest_phys_copy(vm, gpa, (void *)buf, len, true);
}

bool guest_page_in_ram(struct vm *vm, uint64_t gpa)
{
	uint8_t byte;

	return guest_phys_read(vm, gpa, &byte, 1);
}

static bool walker_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	return guest_phys_read(ctx, gpa, buf, len);
}

struct gwalk_mode guest_paging(const struct vcpu *v, const struct vcpu_sregs *s)
{
	return (struct gwalk_mode){
		.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = v->efer,
		.rflags_ac = v->rflags & RFLAGS_AC,
		.gbpages = cpuid(0x80000001, 0).edx & (1u << 26),
		.maxphyaddr = cpuid(0x80000008, 0).eax & 0xff,
	};
}

enum gwalk_status guest_translate(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
				  unsigned access, struct gwalk_result *out)
{
	struct gwalk_mode mode = guest_paging(v, s);

	return gwalk(&mode, gva, access, walker_read, v->vm, out);
}

/* Copy between `buf` and linear `gva`, each page translated on its own. */
static enum gwalk_status guest_virt_copy(struct vcpu *v, const struct vcpu_sregs *s,
					 uint64_t gva, uint8_t *buf, size_t len, unsigned access,
					 bool write, struct gwalk_result *out)
{
	while (len) {
		size_t chunk = MIN(len, PAGE_BYTES - (gva & (PAGE_BYTES - 1)));
		enum gwalk_status st = guest_translate(v, s, gva, access, out);

		if (st != GWALK_OK)
			return st;
		if (write ? !guest_phys_write(v->vm, out->gpa, buf, chunk) :
			    !guest_phys_read(v->vm, out->gpa, buf, chunk))
			return GWALK_BAD_TABLE;
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return GWALK_OK;
}

enum gwalk_status guest_virt_read(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
				  void *buf, size_t len, unsigned access,
				  struct gwalk_result *out)
{
	return guest_virt_copy(v, s, gva, buf, len, access, false, out);
}

enum gwalk_status guest_virt_write(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
				   const void *buf, size_t len, unsigned access,
				   struct gwalk_result *out)
{
	return guest_virt_copy(v, s, gva, (uint8_t *)buf, len, access, true, out);
}

unsigned guest_code_bits(const struct vcpu *v, const struct vcpu_sregs *s)
{
	uint16_t cs = s->seg[SEG_CS].attrib;

	if (!(s->cr0 & CR0_PE))
		return 16;
	if ((v->efer & EFER_LMA) && (cs & SEG_ATTR_L))
		return 64;
	return cs & SEG_ATTR_DB ? 32 : 16;
}

uint64_t guest_rip_linear(const struct vcpu *v, const struct vcpu_sregs *s)
{
	if (guest_code_bits(v, s) == 64)
		return v->rip;
	return (s->seg[SEG_CS].base + (uint32_t)v->rip) & 0xffffffffull;
}

enum gwalk_status guest_fetch_code(struct vcpu *v, const struct vcpu_sregs *s, uint8_t *code,
				   size_t max, size_t *got, struct gwalk_result *out)
{
	uint64_t linear = guest_rip_linear(v, s);
	unsigned access = GWALK_FETCH | (s->cpl == 3 ? GWALK_USER : 0);
	size_t first = MIN(max, PAGE_BYTES - (linear & (PAGE_BYTES - 1)));
	struct gwalk_result next;
	enum gwalk_status st = guest_virt_read(v, s, linear, code, first, access, out);

	if (st != GWALK_OK)
		return st;
	*got = first;
	if (first < max && guest_virt_read(v, s, linear + first, code + first, max - first, access,
					   &next) == GWALK_OK)
		*got = max;
	return GWALK_OK;
}

bool guest_fault(struct vcpu *v, enum gwalk_status st, const struct gwalk_result *r, uint64_t gva,
		 bool stack)
{
	switch (st) {
	case GWALK_PAGE_FAULT:
		vendor->inject_page_fault(v, r->pf_error, gva);
		return true;
	case GWALK_NONCANONICAL:
		vendor->inject_exception(v, stack ? VECTOR_SS : VECTOR_GP, true, 0);
		return true;
	default:
		vm_stop(v->vm, v, "a page table for linear %#llx lies outside guest RAM",
			(unsigned long long)gva);
		return false;
	}
}

enum guest_decode guest_decode_mov_cr(struct vcpu *v, const struct vcpu_sregs *s, bool debug,
				      struct insn_mov_cr *out, bool *resume)
{
	uint8_t code[INSN_MAX_LEN];
	struct gwalk_result r;
	enum gwalk_status st;
	size_t got;

	st = guest_fetch_code(v, s, code, sizeof(code), &got, &r);
	if (st != GWALK_OK) {
		*resume = guest_fault(v, st, &r, guest_rip_linear(v, s), false);
		return GUEST_FETCH_FAULTED;
	}
	if (insn_decode_mov_cr(code, got, guest_code_bits(v, s), out) || out->debug != debug)
		return GUEST_NOT_DECODED;
	return GUEST_DECODED;
}

/* Whether `b` is a legacy prefix other than operand size. */
static bool legacy_prefix(uint8_t b)
{
	return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 ||
	       b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3;
}

int guest_opcode_at_rip(struct vcpu *v, const struct vcpu_sregs *s, uint8_t *code, bool *opsize)
{
	unsigned bits = guest_code_bits(v, s);
	struct gwalk_result r;
	size_t got, i;

	*opsize = false;
	if (guest_fetch_code(v, s, code, INSN_MAX_LEN, &got, &r) != GWALK_OK)
		return -1;
	for (i = 0; i < got && (code[i] == 0x66 || legacy_prefix(code[i]) ||
				(bits == 64 && (code[i] & 0xf0) == 0x40)); i++)
		*opsize |= code[i] == 0x66;
	return i < got ? (int)i : -1;
}
