/* Decoding the instructions of hv/dev/insn.h (Intel SDM Vol. 2, "Instruction
 * Format"): prefixes, REX, the opcode, ModRM/SIB/displacement, immediate. */
#include <string.h>

#include "hv/dev/insn.h"

#define REX_W	0x8
#define REX_R	0x4
#define REX_X	0x2
#define REX_B	0x1

/* A cursor over the instruction's bytes. */
struct cursor {
	const uint8_t *code;
	size_t len, pos;
	bool short_read;
};

static uint64_t take(struct cursor *c, unsigned bytes)
{
	uint64_t v = 0;

	if (c->pos + bytes > c->len || c->pos + bytes > INSN_MAX_LEN) {
		c->short_read = true;
		return 0;
	}
	memcpy(&v, c->code + c->pos, bytes);
	c->pos += bytes;
	return v;
}

/* `v` of `bytes` bytes, sign-extended to 64 bits. */
static int64_t sext(uint64_t v, unsigned bytes)
{
	unsigned shift = 64 - 8 * bytes;

	return (int64_t)(v << shift) >> shift;
}

/* 16-bit addressing: the base/index pair each ModRM r/m value names. */
static void modrm16(struct insn *i, unsigned mod, unsigned rm, struct cursor *c)
{
	static const int8_t base[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };	/* BX BX BP BP SI DI BP BX */
	static const int8_t index[8] = { 6, 7, 6, 7, -1, -1, -1, -1 };	/* SI DI SI DI */

	i->base = base[rm];
	i->index = index[rm];
	i->scale = 1;
	if (mod == 0 && rm == 6) {
		i->base = INSN_NO_REG;
		i->disp = sext(take(c, 2), 2);
		return;
	}
	if (mod == 1)
		i->disp = sext(take(c, 1), 1);
	else if (mod == 2)
		i->disp = sext(take(c, 2), 2);
	if (i->base == 5)
		i->seg = INSN_SS;
}

/* 32/64-bit addressing, SIB and RIP-relative included. */
static void modrm32(struct insn *i, unsigned mod, unsigned rm, unsigned rex, unsigned bits,
		    struct cursor *c)
{
	i->scale = 1;
	i->index = INSN_NO_REG;
	if (rm == 4) {
		unsigned sib = take(c, 1);
		unsigned index = ((sib >> 3) & 7) | (rex & REX_X ? 8 : 0);
		unsigned base = sib & 7;

		i->scale = 1u << (sib >> 6);
		i->index = index == 4 ? INSN_NO_REG : (int)index;
		if (base == 5 && mod == 0) {
			i->base = INSN_NO_REG;
			i->disp = sext(take(c, 4), 4);
			return;
		}
		i->base = base | (rex & REX_B ? 8 : 0);
	} else if (rm == 5 && mod == 0) {
		i->base = bits == 64 ? INSN_RIP : INSN_NO_REG;
		i->disp = sext(take(c, 4), 4);
		return;
	} else {
		i->base = rm | (rex & REX_B ? 8 : 0);
	}
	if (mod == 1)
		i->disp = sext(take(c, 1), 1);
	else if (mod == 2)
		i->disp = sext(take(c, 4), 4);
	if ((i->base & 7) == 4 || (i->base & 7) == 5)
		i->seg = INSN_SS;
}

/* The ModRM byte and what follows it; false for a register operand
 * (mod 3), which touches no memory. */
static bool decode_modrm(struct insn *i, unsigned rex, unsigned bits, struct cursor *c,
			 unsigned *reg_field)
{
	unsigned modrm = take(c, 1), mod = modrm >> 6, rm = modrm & 7;

	*reg_field = (modrm >> 3) & 7;
	if (mod == 3)
		return false;
	if (i->addr_size == 2)
		modrm16(i, mod, rm, c);
	else
		modrm32(i, mod, rm, rex, bits, c);
	return true;
}

/* Set the register operand from a ModRM reg field. */
static void set_reg(struct insn *i, unsigned field, unsigned rex, unsigned size)
{
	i->reg = field | (rex & REX_R ? 8 : 0);
	/* Without REX, byte registers 4..7 are AH CH DH BH. */
	i->high_byte = size == 1 && !rex && field >= 4;
	if (i->high_byte)
		i->reg = field - 4;
}

/* Whether `op` is a segment-override prefix; if so *seg is its segment. */
static bool segment_prefix(unsigned op, enum insn_seg *seg)
{
	if (op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e)
		*seg = (op >> 3) & 3;	/* ES CS SS DS */
	else if (op == 0x64 || op == 0x65)
		*seg = op == 0x64 ? INSN_FS : INSN_GS;
	else
		return false;
	return true;
}

/* Address size: 16 or 32 bits outside 64-bit code, 64 or 32 in it. */
static unsigned address_size(unsigned bits, bool override)
{
	if (bits == 64)
		return override ? 4 : 8;
	return (bits == 32) != override ? 4 : 2;
}

/* The immediate of `bytes` bytes, sign-extended to the operand size. */
static void take_imm(struct insn *i, unsigned bytes, struct cursor *c)
{
	i->imm = (uint64_t)sext(take(c, bytes), bytes);
	if (i->size < 8)
		i->imm &= (1ull << (8 * i->size)) - 1;
}

int insn_decode(const uint8_t *code, size_t len, unsigned bits, struct insn *out)
{
	struct cursor c = { .code = code, .len = len };
	struct insn i = { .seg = INSN_DS, .reg = INSN_NO_REG, .base = INSN_NO_REG,
			  .index = INSN_NO_REG, .scale = 1 };
	bool opsize16 = false, addr_override = false, seg_given = false;
	enum insn_seg seg = INSN_DS;
	unsigned rex = 0, op, reg_field = 0, full;

	if (bits != 16 && bits != 32 && bits != 64)
		return -1;
	for (;;) {
		op = take(&c, 1);
		if (c.short_read)
			return -1;
		if (op == 0x66) {
			opsize16 = true;
		} else if (op == 0x67) {
			addr_override = true;
		} else if (op == 0xf0) {
			i.lock = true;
		} else if (segment_prefix(op, &seg)) {
			seg_given = true;
		} else if (op == 0xf2 || op == 0xf3) {
			return -1;		/* REP: string forms are not handled */
		} else {
			break;
		}
	}
	if (bits == 64 && (op & 0xf0) == 0x40) {
		rex = op;
		op = take(&c, 1);
	}
	i.addr_size = address_size(bits, addr_override);
	full = rex & REX_W ? 8 : (bits == 16) != opsize16 ? 2 : 4;
	i.size = full;

	if (op < 0x40 && (op & 7) < 4) {
		/* 00-3B: ADD OR ADC SBB AND SUB XOR CMP, r/m <-> r */
		i.op = INSN_ALU;
		i.alu = op >> 3;
		i.size = op & 1 ? full : 1;
		i.mem_is_dest = !(op & 2);
		if (!decode_modrm(&i, rex, bits, &c, &reg_field))
			return -1;
		set_reg(&i, reg_field, rex, i.size);
	} else {
		switch (op) {
		case 0x80: case 0x81: case 0x83:	/* group 1: ALU r/m, imm */
			i.op = INSN_ALU;
			i.size = op == 0x80 ? 1 : full;
			i.mem_is_dest = true;
			if (!decode_modrm(&i, rex, bits, &c, &reg_field))
				return -1;
			i.alu = reg_field;
			take_imm(&i, op == 0x81 ? MIN(i.size, 4u) : 1, &c);
			break;
		case 0x84: case 0x85:			/* TEST r/m, r */
		case 0x86: case 0x87:			/* XCHG r/m, r */
		case 0x88: case 0x89:			/* MOV r/m, r */
		case 0x8a: case 0x8b:			/* MOV r, r/m */
			i.op = op < 0x86 ? INSN_TEST : op < 0x88 ? INSN_XCHG :
			       op < 0x8a ? INSN_MOV_STORE : INSN_MOV_LOAD;
			i.size = op & 1 ? full : 1;
			if (!decode_modrm(&i, rex, bits, &c, &reg_field))
				return -1;
			set_reg(&i, reg_field, rex, i.size);
			break;
		case 0xc6: case 0xc7:			/* MOV r/m, imm */
		case 0xf6: case 0xf7:			/* group 3: only TEST r/m, imm */
			i.op = op < 0xf6 ? INSN_MOV_STORE : INSN_TEST;
			i.size = op & 1 ? full : 1;
			if (!decode_modrm(&i, rex, bits, &c, &reg_field) ||
			    reg_field != 0)
				return -1;
			take_imm(&i, MIN(i.size, 4u), &c);
			break;
		case 0xa0: case 0xa1:			/* MOV AL/eAX, moffs */
		case 0xa2: case 0xa3:			/* MOV moffs, AL/eAX */
			i.op = op < 0xa2 ? INSN_MOV_LOAD : INSN_MOV_STORE;
			i.size = op & 1 ? full : 1;
			i.reg = 0;
			i.disp = (int64_t)take(&c, i.addr_size);
			break;
		case 0x63:				/* MOVSXD r, r/m32 */
			if (bits != 64)
				return -1;
			i.op = full == 8 ? INSN_MOVSX : INSN_MOV_LOAD;
			i.size = MIN(full, 4u);
			if (!decode_modrm(&i, rex, bits, &c, &reg_field))
				return -1;
			set_reg(&i, reg_field, rex, full);
			i.reg_size = full;
			break;
		case 0x0f:
			op = take(&c, 1);
			if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
				return -1;
			i.op = op < 0xbe ? INSN_MOVZX : INSN_MOVSX;
			i.size = op & 1 ? 2 : 1;
			if (!decode_modrm(&i, rex, bits, &c, &reg_field))
				return -1;
			set_reg(&i, reg_field, rex, full);
			i.reg_size = full;
			break;
		default:
			return -1;
		}
	}
	if (c.short_read)
		return -1;
	if (!i.reg_size)
		i.reg_size = i.size;
	if (seg_given)
		i.seg = seg;
	i.len = c.pos;
	*out = i;
	return 0;
}

uint64_t insn_address(const struct insn *i, unsigned bits, const uint64_t gpr[16],
		      uint64_t next_rip, const uint64_t seg_base[6])
{
	uint64_t ea = (uint64_t)i->disp;
	uint64_t mask = i->addr_size == 8 ? ~0ull : (1ull << (8 * i->addr_size)) - 1;

	if (i->base == INSN_RIP)
		ea += next_rip;
	else if (i->base != INSN_NO_REG)
		ea += gpr[i->base];
	if (i->index != INSN_NO_REG)
		ea += gpr[i->index] * i->scale;
	ea &= mask;
	if (bits == 64)
		return i->seg == INSN_FS || i->seg == INSN_GS ? ea + seg_base[i->seg] : ea;
	return (ea + seg_base[i->seg]) & 0xffffffffull;
}

/* LMSW's operand after 0F 01: ModRM with reg field 6, a register or a
 * word in memory. False if the ModRM names another instruction. */
static bool decode_lmsw(struct insn_mov_cr *m, unsigned rex, unsigned bits, struct cursor *c)
{
	unsigned reg_field, rm = c->pos < c->len ? c->code[c->pos] & 7 : 0;

	m->from_memory = decode_modrm(&m->operand, rex, bits, c, &reg_field);
	m->gpr = rm | (rex & REX_B ? 8 : 0);
	m->lmsw = m->to_cr = true;
	return reg_field == 6;
}

int insn_decode_mov_cr(const uint8_t *code, size_t len, unsigned bits, struct insn_mov_cr *out)
{
	struct cursor c = { .code = code, .len = len };
	struct insn_mov_cr m = { .operand = { .seg = INSN_DS, .base = INSN_NO_REG,
					      .index = INSN_NO_REG, .scale = 1 } };
	unsigned rex = 0, op = take(&c, 1), modrm;
	bool lock = false, addr_override = false, seg_given = false;
	enum insn_seg seg = INSN_DS;

	for (;; op = take(&c, 1)) {
		if (op == 0xf0 || op == 0x66) {
			lock |= op == 0xf0;
		} else if (op == 0x67) {
			addr_override = true;
		} else if (segment_prefix(op, &seg)) {
			seg_given = true;
		} else {
			break;
		}
	}
	if (bits == 64 && (op & 0xf0) == 0x40) {
		rex = op;
		op = take(&c, 1);
	}
	if (op != 0x0f)
		return -1;
	op = take(&c, 1);
	m.operand.addr_size = address_size(bits, addr_override);
	if (op == 0x01) {
		if (lock || !decode_lmsw(&m, rex, bits, &c))
			return -1;
	} else {
		modrm = take(&c, 1);
		if ((op & ~3u) != 0x20 || (lock && (op & 1)))
			return -1;
		m.cr = ((modrm >> 3) & 7) | (rex & REX_R ? 8 : 0) | (lock ? 8 : 0);
		m.gpr = (modrm & 7) | (rex & REX_B ? 8 : 0);
		m.to_cr = op & 2;
		m.debug = op & 1;
	}
	if (c.short_read)
		return -1;
	if (seg_given)
		m.operand.seg = seg;
	m.len = c.pos;
	*out = m;
	return 0;
}
