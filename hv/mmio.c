/* MMIO emulation: an access to guest-physical memory that no memslot
 * backs lands here (through the TDP fault path); if a device claims the
 * address, the guest's own instruction is fetched through its page
 * tables, decoded (hv/dev/insn.h) and carried out against the device. An
 * instruction the decoder does not know stops the VM, naming its bytes. */
#include <stdio.h>

#include "hv/dev/insn.h"
#include "hv/dev/vioapic.h"
#include "hv/dev/vlapic.h"
#include "hv/guest_mem.h"
#include "hv/mmio.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "x86/regs.h"

/* The device register an access reaches. */
struct mmio_target {
	struct vcpu *v;
	uint64_t gpa;
};

static bool lapic_read(void *ctx, uint64_t *value, unsigned size)
{
	struct mmio_target *t = ctx;

	vlapic_mmio_read(t->v->lapic, t->gpa & (VLAPIC_MMIO_SIZE - 1), size, value);
	return true;
}

static bool lapic_write(void *ctx, uint64_t value, unsigned size)
{
	struct mmio_target *t = ctx;

	vlapic_mmio_write(t->v->lapic, t->gpa & (VLAPIC_MMIO_SIZE - 1), size, value);
	return true;
}

static bool ioapic_read(void *ctx, uint64_t *value, unsigned size)
{
	struct mmio_target *t = ctx;

	vioapic_mmio_read(t->v->vm->ioapic, t->gpa - VIOAPIC_BASE, size, value);
	return true;
}

static bool ioapic_write(void *ctx, uint64_t value, unsigned size)
{
	struct mmio_target *t = ctx;

	vioapic_mmio_write(t->v->vm->ioapic, t->gpa - VIOAPIC_BASE, size, value);
	return true;
}

/* The device behind `gpa` for `v`, as insn_mem callbacks; false if none. */
static bool mmio_device(struct vcpu *v, uint64_t gpa, struct insn_mem *mem)
{
	if (vlapic_mmio_claims(v->lapic, gpa)) {
		*mem = (struct insn_mem){ lapic_read, lapic_write, NULL };
		return true;
	}
	if (gpa >= VIOAPIC_BASE && gpa < VIOAPIC_BASE + VIOAPIC_SIZE) {
		*mem = (struct insn_mem){ ioapic_read, ioapic_write, NULL };
		return true;
	}
	return false;
}

bool mmio_claimed(struct vcpu *v, uint64_t gpa)
{
	struct insn_mem mem;

	return mmio_device(v, gpa, &mem);
}

/* Print up to `len` code bytes for a report. */
static void format_bytes(char *out, size_t size, const uint8_t *code, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len && used + 4 < size; i++)
		used += snprintf(out + used, size - used, "%s%02x", i ? " " : "", code[i]);
}

bool mmio_emulate(struct vcpu *v, uint64_t gpa, bool write)
{
	struct vcpu_sregs s;
	struct gwalk_result r;
	struct insn insn;
	struct insn_mem mem;
	struct mmio_target target = { v, gpa };
	uint8_t code[INSN_MAX_LEN];
	uint64_t gpr[16], seg_base[6], linear, next_rip;
	size_t got;
	unsigned bits;
	enum gwalk_status st;
	char shown[3 * INSN_MAX_LEN + 1];

	vendor->get_sregs(v, &s);
	bits = guest_code_bits(v, &s);
	st = guest_fetch_code(v, &s, code, INSN_MAX_LEN, &got, &r);
	if (st != GWALK_OK)
		return guest_fault(v, st, &r, guest_rip_linear(v, &s), false);
	if (insn_decode(code, got, bits, &insn)) {
		format_bytes(shown, sizeof(shown), code, got);
		vm_stop(v->vm, v, "cannot emulate the instruction at rip=%#llx (bytes %s) that %s MMIO at guest-physical %#llx",
			(unsigned long long)v->rip, shown, write ? "writes" : "reads",
			(unsigned long long)gpa);
		return false;
	}
	for (unsigned i = 0; i < 16; i++)
		gpr[i] = *vcpu_gpr(v, i);
	for (unsigned i = 0; i < 6; i++)
		seg_base[i] = s.seg[i].base;
	next_rip = v->rip + insn.len;
	linear = insn_address(&insn, bits, gpr, next_rip, seg_base);
	st = guest_translate(v, &s, linear, (write ? GWALK_WRITE : 0) |
			     (s.cpl == 3 ? GWALK_USER : 0), &r);
	if (st != GWALK_OK)
		return guest_fault(v, st, &r, linear, insn.seg == INSN_SS);
	/* The guest's tables changed under us (another vCPU): let the CPU
	 * retry the instruction. */
	if (r.gpa >> 12 != gpa >> 12)
		return true;
	/* Retried, an access that runs past the device's page would fault
	 * here forever. */
	if ((r.gpa & 4095) + insn.size > 4096) {
		vm_stop(v->vm, v, "MMIO access of %u bytes at guest-physical %#llx crosses into the next page (rip=%#llx)",
			insn.size, (unsigned long long)r.gpa, (unsigned long long)v->rip);
		return false;
	}
	target.gpa = r.gpa;
	if (!mmio_device(v, r.gpa, &mem))
		return true;
	mem.ctx = &target;
	if (!insn_emulate(&insn, gpr, &v->rflags, &mem)) {
		vm_stop(v->vm, v, "MMIO at guest-physical %#llx refused by its device",
			(unsigned long long)r.gpa);
		return false;
	}
	for (unsigned i = 0; i < 16; i++)
		*vcpu_gpr(v, i) = gpr[i];
	v->rip = bits == 64 ? next_rip : (uint32_t)next_rip;
	vendor->clear_interrupt_shadow(v);
	return true;
}
