/* The GDB stub's registers (hv/console/gdb_regs.h). gdb's amd64 numbering:
 * 16 GPRs, rip, eflags, 6 selectors, the x87 block, the SSE block, then
 * fs_base/gs_base and our own control registers. */
#include <string.h>

#include "hv/console/gdb_packet.h"
#include "hv/console/gdb_regs.h"
#include "hv/guest_mem.h"
#include "hv/vcpu.h"
#include "x86/regs.h"

const char gdb_target_xml[] =
	"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<target version=\"1.0\"><architecture>i386:x86-64</architecture>"
	"<feature name=\"org.gnu.gdb.i386.core\">"
	"<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>"
	"<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>"
	"<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>"
	"<reg name=\"eflags\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"</feature><feature name=\"org.gnu.gdb.i386.sse\">"
	"<reg name=\"xmm0\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm1\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm2\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm3\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm4\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm5\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm6\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm7\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm8\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm9\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm10\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm11\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm12\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm13\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm14\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm15\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"mxcsr\" bitsize=\"32\" type=\"int\" group=\"vector\"/>"
	"</feature><feature name=\"org.gnu.gdb.i386.segments\">"
	"<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>"
	"<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>"
	"</feature><feature name=\"org.hv.x86.system\">"
	"<reg name=\"cr0\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"<reg name=\"cr2\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"<reg name=\"cr3\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"<reg name=\"cr4\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"<reg name=\"efer\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"</feature></target>";

/* Register numbers where each block starts (gdb's amd64 layout). */
/* EFLAGS bits that are reserved zero: 3, 5, 15 and 22..31. */
#define RFLAGS_RESERVED_ZERO 0xffc08028ull

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

/* Register n's value, or false for the unavailable x87/SSE state. */
static bool reg_value(struct vcpu *v, unsigned n, uint64_t *value)
{
	const struct vcpu_sregs *s = &v->paused_sregs;

	if (n < REG_RIP)
		*value = *vcpu_gpr(v, gpr_encoding[n]);
	else if (n == REG_RIP)
		*value = v->rip;
	else if (n == REG_EFLAGS)
		*value = v->rflags;
	else if (n < REG_ST0)
		*value = s->seg[selector_seg[n - REG_CS]].selector;
	else if (n < REG_FS_BASE)
		return false;
	else if (n == REG_FS_BASE || n == REG_GS_BASE)
		*value = s->seg[n == REG_FS_BASE ? SEG_FS : SEG_GS].base;
	else if (n == REG_EFER)
		*value = v->efer;
	else
		*value = n == REG_CR0 ? s->cr0 : n == REG_CR2 ? s->cr2 : n == REG_CR3 ? s->cr3 : s->cr4;
	return true;
}

bool gdb_reg_read(struct vcpu *v, unsigned n, char *out)
{
	uint64_t value;
	unsigned bytes;

	if (n >= GDB_NR_REGS)
		return false;
	bytes = reg_bytes(n);
	if (!reg_value(v, n, &value)) {
		memset(out, 'x', 2 * bytes);
		out[2 * bytes] = '\0';
		return true;
	}
	gdb_to_hex(out, &value, bytes);	/* little endian, as the target */
	return true;
}

bool gdb_reg_write(struct vcpu *v, unsigned n, const char *hex)
{
	uint64_t value = 0;

	if (n > REG_EFLAGS || strlen(hex) != 2 * reg_bytes(n) ||
	    !gdb_from_hex(&value, hex, reg_bytes(n)))
		return false;
	/* What VM entry would refuse: a non-canonical rip (or one above 4 GiB
	 * outside 64-bit code), reserved eflags bits. */
	if (n == REG_RIP && (value + (1ull << 47)) >> 48 != 0)
		return false;
	if (n == REG_RIP && guest_code_bits(v, &v->paused_sregs) != 64 && value >> 32)
		return false;
	if (n == REG_EFLAGS && ((value & RFLAGS_RESERVED_ZERO) || !(value & RFLAGS_FIXED)))
		return false;
	if (n < REG_RIP)
		*vcpu_gpr(v, gpr_encoding[n]) = value;
	else if (n == REG_RIP)
		v->rip = value;
	else
		v->rflags = (v->rflags & ~0xffffffffull) | (uint32_t)value;
	return true;
}

void gdb_regs_read_all(struct vcpu *v, char *out)
{
	size_t len = 0;

	for (unsigned n = 0; n < GDB_NR_REGS; n++) {
		gdb_reg_read(v, n, out + len);
		len += 2 * reg_bytes(n);
	}
}
