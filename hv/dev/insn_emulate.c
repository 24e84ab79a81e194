/* Carrying out a decoded instruction (hv/dev/insn.h) against a device: the
 * register side with the CPU's partial-register rules (a 32-bit write
 * clears bits 63:32, 8- and 16-bit writes keep the rest), the arithmetic
 * flags as the SDM defines them (AF, undefined after logic operations,
 * is cleared as most CPUs do). */
#include "hv/dev/insn.h"

#define FLAG_CF		(1ull << 0)
#define FLAG_PF		(1ull << 2)
#define FLAG_AF		(1ull << 4)
#define FLAG_ZF		(1ull << 6)
#define FLAG_SF		(1ull << 7)
#define FLAG_OF		(1ull << 11)
#define ARITH_FLAGS	(FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t reg_read(const struct insn *i, const uint64_t gpr[16], unsigned size)
{
	if (i->high_byte)
		return (gpr[i->reg] >> 8) & 0xff;
	return gpr[i->reg] & size_mask(size);
}

static void reg_write(const struct insn *i, uint64_t gpr[16], unsigned size, uint64_t value)
{
	uint64_t *r = &gpr[i->reg];

	if (i->high_byte)
		*r = (*r & ~0xff00ull) | (value & 0xff) << 8;
	else if (size >= 4)
		*r = value & size_mask(size);
	else
		*r = (*r & ~size_mask(size)) | (value & size_mask(size));
}

static uint64_t sign_extend(uint64_t v, unsigned from)
{
	unsigned shift = 64 - 8 * from;

	return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* SF, ZF and PF of a `size`-byte result. */
static uint64_t result_flags(uint64_t res, unsigned size)
{
	uint64_t f = 0;

	if (!(res & size_mask(size)))
		f |= FLAG_ZF;
	if ((res >> (8 * size - 1)) & 1)
		f |= FLAG_SF;
	if (!(__builtin_popcount((unsigned)(res & 0xff)) & 1))
		f |= FLAG_PF;
	return f;
}

/* a OP b (with the carry `cf` for ADC/SBB) at `size` bytes; the flags go
 * to *flags. */
static uint64_t alu(enum insn_alu op, uint64_t a, uint64_t b, bool cf, unsigned size,
		    uint64_t *flags)
{
	uint64_t m = size_mask(size), res, f = 0;
	unsigned top = 8 * size - 1;
	bool carry_in = (op == ALU_ADC || op == ALU_SBB) && cf;

	a &= m;
	b &= m;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		res = (a + b + carry_in) & m;
		if (res < a || (carry_in && res == a))
			f |= FLAG_CF;
		if ((((a ^ res) & (b ^ res)) >> top) & 1)
			f |= FLAG_OF;
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
		res = (a - b - carry_in) & m;
		if (a < b || (carry_in && a == b))
			f |= FLAG_CF;
		if ((((a ^ b) & (a ^ res)) >> top) & 1)
			f |= FLAG_OF;
		break;
	case ALU_OR:
		res = a | b;
		break;
	case ALU_AND:
		res = a & b;
		break;
	default:
		res = a ^ b;
		break;
	}
	if (op != ALU_OR && op != ALU_AND && op != ALU_XOR && (((a ^ b ^ res) >> 4) & 1))
		f |= FLAG_AF;
	*flags = f | result_flags(res, size);
	return res;
}

/* The non-memory operand: the register, or the immediate. */
static uint64_t other_operand(const struct insn *i, const uint64_t gpr[16])
{
	return i->reg == INSN_NO_REG ? i->imm : reg_read(i, gpr, i->size);
}

bool insn_emulate(const struct insn *i, uint64_t gpr[16], uint64_t *rflags,
		  const struct insn_mem *mem)
{
	uint64_t value = 0, res, flags;

	switch (i->op) {
	case INSN_MOV_STORE:
		return mem->write(mem->ctx, other_operand(i, gpr), i->size);
	case INSN_MOV_LOAD:
	case INSN_MOVZX:
	case INSN_MOVSX:
		if (!mem->read(mem->ctx, &value, i->size))
			return false;
		value &= size_mask(i->size);
		if (i->op == INSN_MOVSX)
			value = sign_extend(value, i->size);
		reg_write(i, gpr, i->reg_size, value);
		return true;
	case INSN_XCHG:
		if (!mem->read(mem->ctx, &value, i->size) ||
		    !mem->write(mem->ctx, reg_read(i, gpr, i->size), i->size))
			return false;
		reg_write(i, gpr, i->size, value);
		return true;
	case INSN_TEST:
		if (!mem->read(mem->ctx, &value, i->size))
			return false;
		alu(ALU_AND, value, other_operand(i, gpr), false, i->size, &flags);
		break;
	case INSN_ALU: {
		uint64_t reg = other_operand(i, gpr);

		if (!mem->read(mem->ctx, &value, i->size))
			return false;
		res = i->mem_is_dest ? alu(i->alu, value, reg, *rflags & FLAG_CF, i->size, &flags)
				     : alu(i->alu, reg, value, *rflags & FLAG_CF, i->size, &flags);
		if (i->alu != ALU_CMP) {
			if (i->mem_is_dest) {
				if (!mem->write(mem->ctx, res, i->size))
					return false;
			} else {
				reg_write(i, gpr, i->size, res);
			}
		}
		break;
	}
	}
	*rflags = (*rflags & ~ARITH_FLAGS) | flags;
	return true;
}
