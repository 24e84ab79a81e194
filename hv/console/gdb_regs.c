/* The GDB stubs' registers (hv/console/gdb_regs.h), numbered as the
 * target description (gdb_target.c) lists them. */
#include <string.h>

#include "hv/console/gdb_packet.h"
#include "hv/console/gdb_regs.h"
#include "hv/guest_mem.h"
#include "hv/vcpu.h"
#include "x86/regs.h"

/* EFLAGS bits that are reserved zero: 3, 5, 15 and 22..31. */
#define RFLAGS_RESERVED_ZERO 0xffc08028ull

/* Register numbers where each block starts (gdb's amd64 layout). */
enum {
	REG_RIP = 16, REG_EFLAGS, REG_CS, REG_ST0 = 24, REG_FCTRL = 32, REG_XMM0 = 40,
	REG_MXCSR = 56, REG_FS_BASE, REG_GS_BASE, REG_CR0, REG_CR2, REG_CR3, REG_CR4, REG_EFER,
};
static_assert(REG_EFER == GDB_NR_REGS - 1, "the description has GDB_NR_REGS registers");

/* gdb's GPR order (rax rbx rcx rdx rsi rdi rbp rsp r8..r15) in the
 * encoding's numbering, which vcpu_gpr() takes. */
static const uint8_t gpr_encoding[16] = { 0, 3, 1, 2, 6, 7, 5, 4, 8, 9, 10, 11, 12, 13, 14, 15 };

/* The selector order gdb uses: cs ss ds es fs gs. */
static const uint8_t selector_seg[6] = { SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS };

/* Register n's width in bytes. */
static unsigned reg_bytes(unsigned n)
{
	if (n < REG_EFLAGS || (n >= REG_FS_BASE && n <= REG_EFER))
		return 8;
	if (n >= REG_ST0 && n < REG_FCTRL)
		return 10;
	if (n >= REG_XMM0 && n < REG_MXCSR)
		return 16;
	return 4;
}

void gdb_regs_of_vcpu(struct vcpu *v, struct gdb_regs *out)
{
	const struct vcpu_sregs *s = &v->paused_sregs;

	for (unsigned n = 0; n < REG_RIP; n++)
		out->gpr[n] = *vcpu_gpr(v, gpr_encoding[n]);
	out->rip = v->rip;
	out->rflags = v->rflags;
	for (unsigned i = 0; i < ARRAY_SIZE(selector_seg); i++)
		out->selector[i] = s->seg[selector_seg[i]].selector;
	out->fs_base = s->seg[SEG_FS].base;
	out->gs_base = s->seg[SEG_GS].base;
	out->cr0 = s->cr0;
	out->cr2 = s->cr2;
	out->cr3 = s->cr3;
	out->cr4 = s->cr4;
	out->efer = v->efer;
}

/* Register n's value, or false for the unavailable x87/SSE state. */
static bool reg_value(const struct gdb_regs *r, unsigned n, uint64_t *value)
{
	const uint64_t control[] = { r->fs_base, r->gs_base, r->cr0, r->cr2, r->cr3, r->cr4,
				     r->efer };

	if (n < REG_RIP)
		*value = r->gpr[n];
	else if (n == REG_RIP)
		*value = r->rip;
	else if (n == REG_EFLAGS)
		*value = r->rflags;
	else if (n < REG_ST0)
		*value = r->selector[n - REG_CS];
	else if (n < REG_FS_BASE)
		return false;
	else
		*value = control[n - REG_FS_BASE];
	return true;
}

bool gdb_reg_read(const struct gdb_regs *r, unsigned n, char *out)
{
	uint64_t value;
	unsigned bytes;

	if (n >= GDB_NR_REGS)
		return false;
	bytes = reg_bytes(n);
	if (!reg_value(r, n, &value)) {
		memset(out, 'x', 2 * bytes);
		out[2 * bytes] = '\0';
		return true;
	}
	gdb_to_hex(out, &value, bytes);	/* little endian, as the target */
	return true;
}

/* Register n's new value from `hex` (its width in digits, `len` of them),
 * if it may be written: a GPR, rip or eflags, checked. */
static bool reg_parse(struct vcpu *v, unsigned n, const char *hex, size_t len, uint64_t *out)
{
	uint64_t value = 0;

	if (n > REG_EFLAGS || len != 2 * reg_bytes(n) || !gdb_from_hex(&value, hex, reg_bytes(n)))
		return false;
	/* What VM entry would refuse: a non-canonical rip (or one above 4 GiB
	 * outside 64-bit code), reserved eflags bits. */
	if (n == REG_RIP && (value + (1ull << 47)) >> 48 != 0)
		return false;
	if (n == REG_RIP && guest_code_bits(v, &v->paused_sregs) != 64 && value >> 32)
		return false;
	if (n == REG_EFLAGS && ((value & RFLAGS_RESERVED_ZERO) || !(value & RFLAGS_FIXED)))
		return false;
	*out = value;
	return true;
}

/* Set register n (a GPR, rip or eflags) of `v` to `value`. */
static void reg_store(struct vcpu *v, unsigned n, uint64_t value)
{
	if (n < REG_RIP)
		*vcpu_gpr(v, gpr_encoding[n]) = value;
	else if (n == REG_RIP)
		v->rip = value;
	else
		v->rflags = (v->rflags & ~0xffffffffull) | (uint32_t)value;
}

bool gdb_reg_write(struct vcpu *v, unsigned n, const char *hex)
{
	uint64_t value;

	if (!reg_parse(v, n, hex, strlen(hex), &value))
		return false;
	reg_store(v, n, value);
	return true;
}

bool gdb_regs_write_all(struct vcpu *v, const char *hex)
{
	uint64_t values[REG_EFLAGS + 1];
	char now[2 * 16 + 1];
	struct gdb_regs r;
	size_t off = 0, len = strlen(hex);

	gdb_regs_of_vcpu(v, &r);
	for (unsigned n = 0; n < GDB_NR_REGS; off += 2 * reg_bytes(n), n++) {
		size_t digits = 2 * reg_bytes(n);
		uint64_t value;

		if (off + digits > len)
			return false;
		if (n <= REG_EFLAGS) {
			if (!reg_parse(v, n, hex + off, digits, &values[n]))
				return false;
		} else if (reg_value(&r, n, &value)) {
			gdb_reg_read(&r, n, now);	/* read-only: it must stay as it is */
			if (memcmp(now, hex + off, digits))
				return false;
		}
	}
	if (off != len)
		return false;
	for (unsigned n = 0; n <= REG_EFLAGS; n++)
		reg_store(v, n, values[n]);
	return true;
}

void gdb_regs_read_all(const struct gdb_regs *r, char *out)
{
	size_t len = 0;

	for (unsigned n = 0; n < GDB_NR_REGS; n++) {
		gdb_reg_read(r, n, out + len);
		len += 2 * reg_bytes(n);
	}
}
