/* The MMIO instruction decoder and emulator (hv/dev/insn_*.c). Input: a
 * struct insn_input (inputs.h: the code size, what the fake device
 * refuses and reads as), then the instruction bytes. A decoded instruction
 * must be in bounds, the same when only its own bytes are given, and its
 * emulation must touch the device at its operand size and no register
 * but its own. */
#include <string.h>

#include "hv/dev/insn.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/inputs.h"

#define ARITH_FLAGS	0x8d5ull	/* CF PF AF ZF SF OF */

/* The fake device: every access it sees. */
struct device {
	uint64_t value;
	bool refuse_read, refuse_write;
	unsigned reads, writes, size;
	uint64_t written;
};

/* The device's read side: counts it, answers `value`. */
static bool dev_read(void *ctx, uint64_t *value, unsigned size)
{
	struct device *d = ctx;

	d->reads++;
	d->size = size;
	*value = d->value;
	return !d->refuse_read;
}

/* The device's write side: counts it, keeps the value. */
static bool dev_write(void *ctx, uint64_t value, unsigned size)
{
	struct device *d = ctx;

	d->writes++;
	d->size = size;
	d->written = value;
	return !d->refuse_write;
}

/* An operand, address or scale size x86 has: 1, 2, 4 or 8. */
static bool valid_size(unsigned size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Field by field (padding may differ). */
static bool same_insn(const struct insn *a, const struct insn *b)
{
	return a->len == b->len && a->op == b->op && a->alu == b->alu && a->size == b->size &&
	       a->reg_size == b->reg_size && a->mem_is_dest == b->mem_is_dest &&
	       a->reg == b->reg && a->high_byte == b->high_byte && a->imm == b->imm &&
	       a->seg == b->seg && a->base == b->base && a->index == b->index &&
	       a->scale == b->scale && a->disp == b->disp && a->addr_size == b->addr_size &&
	       a->lock == b->lock;
}

/* Fields in range for `bits`-bit code. */
static void check_fields(const struct insn *i, unsigned bits, size_t avail)
{
	FUZZ_CHECK(i->len >= 1 && i->len <= MIN(avail, (size_t)INSN_MAX_LEN));
	FUZZ_CHECK(i->op <= INSN_XCHG && i->alu <= ALU_CMP && i->seg <= INSN_GS);
	FUZZ_CHECK(valid_size(i->size) && valid_size(i->reg_size) && i->reg_size >= i->size);
	FUZZ_CHECK(bits == 64 ? i->addr_size == 4 || i->addr_size == 8 :
				i->addr_size == 2 || i->addr_size == 4);
	FUZZ_CHECK(i->reg >= INSN_NO_REG && i->reg < 16);
	FUZZ_CHECK(!i->high_byte || (i->reg >= 0 && i->reg < 4 && i->reg_size == 1));
	FUZZ_CHECK(i->reg != INSN_NO_REG || i->op == INSN_MOV_STORE || i->op == INSN_ALU ||
		   i->op == INSN_TEST);
	FUZZ_CHECK(i->base >= (bits == 64 ? INSN_RIP : INSN_NO_REG) && i->base < 16);
	FUZZ_CHECK(i->index >= INSN_NO_REG && i->index < 16 && i->index != 4);
	FUZZ_CHECK(i->addr_size != 2 || (i->index == INSN_NO_REG || i->index == 6 || i->index == 7));
	FUZZ_CHECK(valid_size(i->scale));
	FUZZ_CHECK(i->size == 8 || i->imm >> (8 * i->size) == 0);
}

/* Emulate against the device; only the instruction's own register and the
 * arithmetic flags may change, and only when the device said yes. */
static void check_emulation(const struct insn *i, struct device *d)
{
	const struct insn_mem mem = { dev_read, dev_write, d };
	uint64_t gpr[16], before[16], rflags = 0x246, flags_before = rflags;
	bool ok;

	for (int r = 0; r < 16; r++)
		gpr[r] = before[r] = 0x0123456789abcdefull * (r + 1);
	ok = insn_emulate(i, gpr, &rflags, &mem);
	FUZZ_CHECK(d->reads <= 1 && d->writes <= 1 && (!d->reads && !d->writes || d->size == i->size));
	FUZZ_CHECK(ok == !((d->reads && d->refuse_read) || (d->writes && d->refuse_write)));
	for (int r = 0; r < 16; r++)
		FUZZ_CHECK(gpr[r] == before[r] || (ok && r == i->reg));
	FUZZ_CHECK((rflags & ~ARITH_FLAGS) == (flags_before & ~ARITH_FLAGS));
	FUZZ_CHECK(ok || rflags == flags_before);
	if (i->op == INSN_MOV_STORE || i->op == INSN_TEST || (i->op == INSN_ALU && i->alu == ALU_CMP))
		FUZZ_CHECK(!memcmp(gpr, before, sizeof(gpr)));
	if (i->op == INSN_MOV_LOAD || i->op == INSN_MOVZX || i->op == INSN_MOVSX || i->op == INSN_TEST)
		FUZZ_CHECK(!d->writes);
}

/* MOV to/from CR: in bounds, and the same from its own bytes alone. */
static void check_mov_cr(const uint8_t *code, size_t len, unsigned bits)
{
	struct insn_mov_cr m, again;

	if (insn_decode_mov_cr(code, len, bits, &m))
		return;
	FUZZ_CHECK(m.len >= 3 && m.len <= MIN(len, (size_t)INSN_MAX_LEN));
	FUZZ_CHECK(m.cr < 16 && m.gpr < 16);
	FUZZ_CHECK(!m.lmsw || (m.cr == 0 && m.to_cr));
	FUZZ_CHECK(!m.from_memory || m.lmsw);
	FUZZ_CHECK(!insn_decode_mov_cr(code, m.len, bits, &again));
	FUZZ_CHECK(m.len == again.len && m.cr == again.cr && m.gpr == again.gpr &&
		   m.to_cr == again.to_cr && m.lmsw == again.lmsw &&
		   m.from_memory == again.from_memory);
	if (m.from_memory)
		FUZZ_CHECK(same_insn(&m.operand, &again.operand));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned bits_of[4] = { 16, 32, 64, 64 };
	struct insn_input in;
	struct insn i, again;
	struct device d = { 0 };
	unsigned bits;
	uint64_t gpr[16] = { 0 }, seg_base[6] = { 0 };

	if (size < sizeof(in))
		return 0;
	memcpy(&in, data, sizeof(in));
	bits = bits_of[in.mode & 3];
	d.refuse_read = in.mode & INSN_REFUSE_READ;
	d.refuse_write = in.mode & INSN_REFUSE_WRITE;
	d.value = in.value;
	data += sizeof(in);
	size -= sizeof(in);
	check_mov_cr(data, size, bits);
	if (insn_decode(data, size, bits, &i))
		return 0;
	check_fields(&i, bits, size);
	FUZZ_CHECK(!insn_decode(data, i.len, bits, &again) && same_insn(&i, &again));
	FUZZ_CHECK(bits == 64 || insn_address(&i, bits, gpr, 0, seg_base) <= UINT32_MAX);
	check_emulation(&i, &d);
	return 0;
}
