/* The MMIO instruction decoder and emulator: a table of encodings (every
 * form, prefix and addressing mode handled, in 16-, 32- and 64-bit code)
 * with the fields each must decode to; a table of forms that must be
 * refused; then the emulation of each operation against a fake device
 * register, with its effect on registers and flags. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "hv/dev/insn.h"

#define NOREG INSN_NO_REG

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

struct decode_case {
	const char *what;
	unsigned bits;
	uint8_t bytes[INSN_MAX_LEN];
	unsigned len;
	enum insn_op op;
	unsigned size, reg_size;
	int reg, base, index;
	unsigned scale;
	int64_t disp;
	enum insn_seg seg;
	unsigned addr_size;
	uint64_t imm;
};

#define B(...) { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ })

static const struct decode_case decodes[] = {
	{ "mov %eax,(%rdx)", 64, B(0x89, 0x02), INSN_MOV_STORE, 4, 4, RAX, RDX, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "mov 0x30(%rdx),%eax", 64, B(0x8b, 0x42, 0x30), INSN_MOV_LOAD, 4, 4, RAX, RDX, NOREG, 1, 0x30, INSN_DS, 8, 0 },
	{ "mov %r9,-0x10(%r13)", 64, B(0x4d, 0x89, 0x4d, 0xf0), INSN_MOV_STORE, 8, 8, R9, R13, NOREG, 1, -0x10, INSN_SS, 8, 0 },
	{ "mov 0x1000(%rip),%ecx", 64, B(0x8b, 0x0d, 0x00, 0x10, 0x00, 0x00), INSN_MOV_LOAD, 4, 4, RCX, INSN_RIP, NOREG, 1, 0x1000, INSN_DS, 8, 0 },
	{ "mov (%rax,%r12,8),%bl", 64, B(0x42, 0x8a, 0x1c, 0xe0), INSN_MOV_LOAD, 1, 1, RBX, RAX, R12, 8, 0, INSN_DS, 8, 0 },
	{ "mov %ah,(%rbx) (no REX)", 64, B(0x88, 0x23), INSN_MOV_STORE, 1, 1, RAX, RBX, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "mov %spl,(%rbx) (REX)", 64, B(0x40, 0x88, 0x23), INSN_MOV_STORE, 1, 1, RSP, RBX, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "mov 0xfee000b0,%eax (SIB, no base)", 64, B(0x8b, 0x04, 0x25, 0xb0, 0x00, 0xe0, 0xfe), INSN_MOV_LOAD, 4, 4, RAX, NOREG, NOREG, 1, (int64_t)(int32_t)0xfee000b0, INSN_DS, 8, 0 },
	{ "movw $0x1234,%fs:0x8(%rax)", 64, B(0x64, 0x66, 0xc7, 0x40, 0x08, 0x34, 0x12), INSN_MOV_STORE, 2, 2, NOREG, RAX, NOREG, 1, 8, INSN_FS, 8, 0x1234 },
	{ "movq $-1,(%rdi)", 64, B(0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff), INSN_MOV_STORE, 8, 8, NOREG, RDI, NOREG, 1, 0, INSN_DS, 8, ~0ull },
	{ "movb $0x5a,(%rsp)", 64, B(0xc6, 0x04, 0x24, 0x5a), INSN_MOV_STORE, 1, 1, NOREG, RSP, NOREG, 1, 0, INSN_SS, 8, 0x5a },
	{ "movabs 0xfec00000,%eax (moffs64)", 64, B(0xa1, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0), INSN_MOV_LOAD, 4, 4, RAX, NOREG, NOREG, 1, 0xfec00000, INSN_DS, 8, 0 },
	{ "movzbl (%rsi),%edx", 64, B(0x0f, 0xb6, 0x16), INSN_MOVZX, 1, 4, RDX, RSI, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "movswq 2(%rsi),%r8", 64, B(0x4c, 0x0f, 0xbf, 0x46, 0x02), INSN_MOVSX, 2, 8, R8, RSI, NOREG, 1, 2, INSN_DS, 8, 0 },
	{ "movslq (%rax),%rcx", 64, B(0x48, 0x63, 0x08), INSN_MOVSX, 4, 8, RCX, RAX, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "addl $8,0x10(%rbp) (group 1, imm8)", 64, B(0x83, 0x45, 0x10, 0x08), INSN_ALU, 4, 4, NOREG, RBP, NOREG, 1, 0x10, INSN_SS, 8, 8 },
	{ "andl $0xfffeffff,(%rax)", 64, B(0x81, 0x20, 0xff, 0xff, 0xfe, 0xff), INSN_ALU, 4, 4, NOREG, RAX, NOREG, 1, 0, INSN_DS, 8, 0xfffeffff },
	{ "or (%rax),%ecx", 64, B(0x0b, 0x08), INSN_ALU, 4, 4, RCX, RAX, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "cmpb %al,(%rcx)", 64, B(0x38, 0x01), INSN_ALU, 1, 1, RAX, RCX, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "testl $0x1000,(%rdx)", 64, B(0xf7, 0x02, 0x00, 0x10, 0x00, 0x00), INSN_TEST, 4, 4, NOREG, RDX, NOREG, 1, 0, INSN_DS, 8, 0x1000 },
	{ "test %eax,(%rdx)", 64, B(0x85, 0x02), INSN_TEST, 4, 4, RAX, RDX, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "lock xchg %eax,(%rbx)", 64, B(0xf0, 0x87, 0x03), INSN_XCHG, 4, 4, RAX, RBX, NOREG, 1, 0, INSN_DS, 8, 0 },
	{ "mov %eax,(%edx) (addr32)", 64, B(0x67, 0x89, 0x02), INSN_MOV_STORE, 4, 4, RAX, RDX, NOREG, 1, 0, INSN_DS, 4, 0 },
	{ "mov %eax,0xfee00300 (32-bit, disp32)", 32, B(0xa3, 0x00, 0x03, 0xe0, 0xfe), INSN_MOV_STORE, 4, 4, RAX, NOREG, NOREG, 1, 0xfee00300, INSN_DS, 4, 0 },
	{ "mov 0xfee00020,%ebx (32-bit ModRM)", 32, B(0x8b, 0x1d, 0x20, 0x00, 0xe0, 0xfe), INSN_MOV_LOAD, 4, 4, RBX, NOREG, NOREG, 1, (int64_t)(int32_t)0xfee00020, INSN_DS, 4, 0 },
	{ "mov %cx,%es:(%ebp,%esi,2) (32-bit)", 32, B(0x26, 0x66, 0x89, 0x4c, 0x75, 0x00), INSN_MOV_STORE, 2, 2, RCX, RBP, RSI, 2, 0, INSN_ES, 4, 0 },
	{ "mov (%bx,%si),%ax (16-bit)", 16, B(0x8b, 0x00), INSN_MOV_LOAD, 2, 2, RAX, RBX, RSI, 1, 0, INSN_DS, 2, 0 },
	{ "mov %eax,0x10(%bp) (16-bit, 66)", 16, B(0x66, 0x89, 0x46, 0x10), INSN_MOV_STORE, 4, 4, RAX, RBP, NOREG, 1, 0x10, INSN_SS, 2, 0 },
	{ "mov 0x1234,%al (16-bit moffs)", 16, B(0xa0, 0x34, 0x12), INSN_MOV_LOAD, 1, 1, RAX, NOREG, NOREG, 1, 0x1234, INSN_DS, 2, 0 },
	{ "mov %eax,(%ebx) (16-bit code, 67)", 16, B(0x67, 0x89, 0x03), INSN_MOV_STORE, 2, 2, RAX, RBX, NOREG, 1, 0, INSN_DS, 4, 0 },
};

struct refuse_case {
	const char *what;
	unsigned bits;
	uint8_t bytes[INSN_MAX_LEN];
	unsigned len;
};

static const struct refuse_case refusals[] = {
	{ "mov %eax,%ecx (no memory)", 64, B(0x89, 0xc1) },
	{ "rep movsb", 64, B(0xf3, 0xa4) },
	{ "add $1,%eax (accumulator form)", 64, B(0x05, 0x01, 0, 0, 0) },
	{ "notl (%rax) (group 3 /2)", 64, B(0xf7, 0x10) },
	{ "movdqu (%rax),%xmm0", 64, B(0xf3, 0x0f, 0x6f, 0x00) },
	{ "cut short: 8b 80 (disp32 missing)", 64, B(0x8b, 0x80, 0x00) },
	{ "only prefixes", 64, B(0x66, 0x67, 0x2e) },
	{ "movsxd outside 64-bit code (arpl)", 32, B(0x63, 0x08) },
	{ "fifteen prefixes and an opcode", 64, B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66) },
};

static void test_decode_table(void **state)
{
	for (size_t n = 0; n < sizeof(decodes) / sizeof(decodes[0]); n++) {
		const struct decode_case *c = &decodes[n];
		struct insn i;

		print_message("  %s\n", c->what);
		assert_int_equal(insn_decode(c->bytes, c->len, c->bits, &i), 0);
		assert_int_equal(i.len, c->len);
		assert_int_equal(i.op, c->op);
		assert_int_equal(i.size, c->size);
		assert_int_equal(i.reg_size, c->reg_size);
		assert_int_equal(i.reg, c->reg);
		assert_int_equal(i.base, c->base);
		assert_int_equal(i.index, c->index);
		assert_int_equal(i.scale, c->scale);
		assert_int_equal(i.disp, c->disp);
		assert_int_equal(i.seg, c->seg);
		assert_int_equal(i.addr_size, c->addr_size);
		assert_int_equal(i.imm, c->imm);
		/* Fewer bytes than the instruction needs: refused. */
		assert_int_equal(insn_decode(c->bytes, c->len - 1, c->bits, &i), -1);
	}
}

static void test_refusals(void **state)
{
	for (size_t n = 0; n < sizeof(refusals) / sizeof(refusals[0]); n++) {
		struct insn i;

		print_message("  %s\n", refusals[n].what);
		assert_int_equal(insn_decode(refusals[n].bytes, refusals[n].len, refusals[n].bits, &i), -1);
	}
}

static void test_address(void **state)
{
	static const uint8_t rip_rel[] = { 0x8b, 0x0d, 0xf0, 0xff, 0xff, 0xff };	/* -0x10(%rip) */
	static const uint8_t sib[] = { 0x8b, 0x44, 0xb3, 0x08 };	/* 8(%rbx,%rsi,4) */
	static const uint8_t fs[] = { 0x64, 0x8b, 0x00 };		/* %fs:(%rax) */
	static const uint8_t wrap16[] = { 0x8b, 0x46, 0x10 };		/* 0x10(%bp), 16-bit */
	uint64_t gpr[16] = { [RAX] = 0x1000, [RBX] = 0x100, [RSI] = 3, [RBP] = 0xfff8 };
	uint64_t bases[6] = { [INSN_DS] = 0x5000, [INSN_FS] = 0x7000000, [INSN_SS] = 0x20000 };
	struct insn i;

	assert_int_equal(insn_decode(rip_rel, sizeof(rip_rel), 64, &i), 0);
	assert_int_equal(insn_address(&i, 64, gpr, 0x400006, bases), 0x3ffff6);
	assert_int_equal(insn_decode(sib, sizeof(sib), 64, &i), 0);
	assert_int_equal(insn_address(&i, 64, gpr, 0, bases), 0x114);	/* DS base ignored */
	assert_int_equal(insn_decode(fs, sizeof(fs), 64, &i), 0);
	assert_int_equal(insn_address(&i, 64, gpr, 0, bases), 0x7001000);
	assert_int_equal(insn_decode(sib, sizeof(sib), 32, &i), 0);
	assert_int_equal(insn_address(&i, 32, gpr, 0, bases), 0x5114);
	assert_int_equal(insn_decode(wrap16, sizeof(wrap16), 16, &i), 0);
	assert_int_equal(insn_address(&i, 16, gpr, 0, bases), 0x20008);	/* wraps at 64K */
}

/* A device register for the emulation tests. */
static uint64_t reg_value;
static unsigned reads, writes, last_size;
static bool refuse;

static bool dev_read(void *ctx, uint64_t *v, unsigned size)
{
	reads++;
	last_size = size;
	*v = reg_value;
	return !refuse;
}

static bool dev_write(void *ctx, uint64_t v, unsigned size)
{
	writes++;
	last_size = size;
	reg_value = v;
	return !refuse;
}

static const struct insn_mem dev = { dev_read, dev_write, NULL };

/* Decode and emulate `bytes` as 64-bit code. */
static bool run(const uint8_t *bytes, size_t len, uint64_t gpr[16], uint64_t *rflags)
{
	struct insn i;

	reads = writes = 0;
	assert_int_equal(insn_decode(bytes, len, 64, &i), 0);
	return insn_emulate(&i, gpr, rflags, &dev);
}

#define RUN(gpr, fl, ...) run((const uint8_t[]){ __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), gpr, fl)
#define CF 0x1ull
#define PF 0x4ull
#define AF 0x10ull
#define ZF 0x40ull
#define SF 0x80ull
#define OF 0x800ull

static void test_emulate_moves(void **state)
{
	uint64_t gpr[16] = { [RAX] = 0x1122334455667788, [RBX] = 0xffffffffffffffff };
	uint64_t fl = 0x202;

	assert_true(RUN(gpr, &fl, 0x89, 0x02));			/* mov %eax,(%rdx) */
	assert_int_equal(reg_value, 0x55667788);
	assert_int_equal(last_size, 4);
	assert_int_equal(writes, 1);
	reg_value = 0xaabbccdd;
	assert_true(RUN(gpr, &fl, 0x8b, 0x1a));			/* mov (%rdx),%ebx */
	assert_int_equal(gpr[RBX], 0xaabbccdd);			/* bits 63:32 cleared */
	gpr[RBX] = 0xffffffffffffffff;
	assert_true(RUN(gpr, &fl, 0x66, 0x8b, 0x1a));		/* mov (%rdx),%bx */
	assert_int_equal(gpr[RBX], 0xffffffffffffccdd);
	assert_true(RUN(gpr, &fl, 0x8a, 0x3a));			/* mov (%rdx),%bh */
	assert_int_equal(gpr[RBX], 0xffffffffffffddddull);
	reg_value = 0x80;
	assert_true(RUN(gpr, &fl, 0x48, 0x0f, 0xbe, 0x0a));	/* movsbq (%rdx),%rcx */
	assert_int_equal(gpr[RCX], 0xffffffffffffff80ull);
	assert_true(RUN(gpr, &fl, 0x0f, 0xb6, 0x0a));		/* movzbl (%rdx),%ecx */
	assert_int_equal(gpr[RCX], 0x80);
	assert_true(RUN(gpr, &fl, 0x48, 0xc7, 0x02, 0x00, 0x00, 0x00, 0x80));	/* movq $-2^31 */
	assert_int_equal(reg_value, 0xffffffff80000000ull);
	assert_int_equal(last_size, 8);
	reg_value = 0x1234;
	gpr[RAX] = 0x5678;
	assert_true(RUN(gpr, &fl, 0x87, 0x02));			/* xchg %eax,(%rdx) */
	assert_int_equal(gpr[RAX], 0x1234);
	assert_int_equal(reg_value, 0x5678);
	assert_int_equal(reads, 1);
	assert_int_equal(writes, 1);
	assert_int_equal(fl, 0x202);				/* moves change no flag */
}

static void test_emulate_alu_flags(void **state)
{
	uint64_t gpr[16] = { [RAX] = 1 };
	uint64_t fl = 0x202;

	reg_value = 0xffffffff;
	assert_true(RUN(gpr, &fl, 0x01, 0x02));			/* add %eax,(%rdx) */
	assert_int_equal(reg_value, 0);
	assert_int_equal(fl, 0x202 | CF | PF | AF | ZF);
	reg_value = 0x7f;
	assert_true(RUN(gpr, &fl, 0x00, 0x02));			/* add %al,(%rdx) */
	assert_int_equal(reg_value, 0x80);
	assert_int_equal(fl, 0x202 | AF | SF | OF);
	reg_value = 5;
	assert_true(RUN(gpr, &fl, 0x3b, 0x02));			/* cmp (%rdx),%eax: 1 - 5 */
	assert_int_equal(reg_value, 5);				/* CMP writes nothing */
	assert_int_equal(writes, 0);
	assert_int_equal(fl, 0x202 | CF | PF | SF | AF);	/* 0xfffffffc */
	fl = 0x202 | CF;
	reg_value = 10;
	assert_true(RUN(gpr, &fl, 0x19, 0x02));			/* sbb %eax,(%rdx): 10 - 1 - 1 */
	assert_int_equal(reg_value, 8);
	assert_int_equal(fl, 0x202);				/* no borrow, odd parity */
	reg_value = 0xf0f0;
	assert_true(RUN(gpr, &fl, 0x81, 0x22, 0x0f, 0xff, 0x00, 0x00));	/* andl $0xff0f */
	assert_int_equal(reg_value, 0xf000);
	assert_int_equal(fl, 0x202 | PF);
	assert_true(RUN(gpr, &fl, 0xf7, 0x02, 0x00, 0x00, 0x01, 0x00));	/* testl $0x10000 */
	assert_int_equal(reg_value, 0xf000);
	assert_int_equal(fl, 0x202 | ZF | PF);
	gpr[RCX] = 0x0f;
	assert_true(RUN(gpr, &fl, 0x0b, 0x0a));			/* or (%rdx),%ecx */
	assert_int_equal(gpr[RCX], 0xf00f);
	assert_int_equal(reg_value, 0xf000);
	assert_int_equal(fl, 0x202 | PF);			/* 0x0f: even parity */
	reg_value = 0x80000000;
	assert_true(RUN(gpr, &fl, 0x83, 0x2a, 0x01));		/* subl $1,(%rdx) */
	assert_int_equal(reg_value, 0x7fffffff);
	assert_int_equal(fl, 0x202 | OF | AF | PF);
}

static void test_emulate_refused_by_device(void **state)
{
	uint64_t gpr[16] = { [RBX] = 7 };
	uint64_t fl = 0x202;

	refuse = true;
	assert_false(RUN(gpr, &fl, 0x8b, 0x1a));		/* mov (%rdx),%ebx */
	assert_int_equal(gpr[RBX], 7);
	assert_false(RUN(gpr, &fl, 0x3b, 0x1a));		/* cmp (%rdx),%ebx */
	assert_int_equal(fl, 0x202);
	refuse = false;
}

static void test_mov_cr(void **state)
{
	static const uint8_t to_cr8[] = { 0x44, 0x0f, 0x22, 0xc1 };	/* mov %rcx,%cr8 */
	static const uint8_t from_cr8[] = { 0x4d, 0x0f, 0x20, 0xc7 };	/* mov %cr8,%r15 */
	static const uint8_t lock_cr0[] = { 0xf0, 0x0f, 0x22, 0xc0 };	/* AMD: mov %eax,%cr8 */
	static const uint8_t from_dr0[] = { 0x0f, 0x21, 0xc0 };		/* mov %dr0,%eax */
	static const uint8_t to_dr7[] = { 0x41, 0x0f, 0x23, 0xfa };	/* mov %r10,%dr7 */
	static const uint8_t lock_dr[] = { 0xf0, 0x0f, 0x23, 0xc0 };	/* no DR8 */
	static const uint8_t not_cr[] = { 0x0f, 0x24, 0xc0 };		/* mov %tr0: gone */
	struct insn_mov_cr m;

	assert_int_equal(insn_decode_mov_cr(to_cr8, sizeof(to_cr8), 64, &m), 0);
	assert_int_equal(m.cr, 8);
	assert_int_equal(m.gpr, RCX);
	assert_true(m.to_cr);
	assert_int_equal(m.len, 4);
	assert_int_equal(insn_decode_mov_cr(from_cr8, sizeof(from_cr8), 64, &m), 0);
	assert_int_equal(m.cr, 8);
	assert_int_equal(m.gpr, R15);
	assert_false(m.to_cr);
	assert_int_equal(insn_decode_mov_cr(lock_cr0, sizeof(lock_cr0), 32, &m), 0);
	assert_int_equal(m.cr, 8);
	assert_int_equal(m.gpr, RAX);
	assert_false(m.lmsw);
	assert_false(m.debug);
	assert_int_equal(insn_decode_mov_cr(from_dr0, sizeof(from_dr0), 32, &m), 0);
	assert_true(m.debug);
	assert_int_equal(m.cr, 0);
	assert_false(m.to_cr);
	assert_int_equal(insn_decode_mov_cr(to_dr7, sizeof(to_dr7), 64, &m), 0);
	assert_true(m.debug);
	assert_int_equal(m.cr, 7);
	assert_int_equal(m.gpr, R10);
	assert_true(m.to_cr);
	assert_int_equal(insn_decode_mov_cr(lock_dr, sizeof(lock_dr), 32, &m), -1);
	assert_int_equal(insn_decode_mov_cr(not_cr, sizeof(not_cr), 32, &m), -1);
	assert_int_equal(insn_decode_mov_cr(to_cr8, 3, 64, &m), -1);
}

/* LMSW from a register and from memory, with the prefixes that shape its
 * address; other 0F 01 forms and LOCK refused. */
static void test_lmsw(void **state)
{
	static const uint8_t from_reg[] = { 0x0f, 0x01, 0xf3 };		/* lmsw %bx */
	static const uint8_t from_r9[] = { 0x41, 0x0f, 0x01, 0xf1 };	/* lmsw %r9w */
	static const uint8_t from_mem[] = { 0x0f, 0x01, 0x70, 0x08 };	/* lmsw 8(%eax) */
	static const uint8_t from_fs[] = { 0x64, 0x67, 0x0f, 0x01, 0x37 };	/* lmsw %fs:(%bx) */
	static const uint8_t smsw[] = { 0x0f, 0x01, 0xe0 };		/* smsw %eax */
	static const uint8_t locked[] = { 0xf0, 0x0f, 0x01, 0xf3 };
	struct insn_mov_cr m;

	assert_int_equal(insn_decode_mov_cr(from_reg, sizeof(from_reg), 32, &m), 0);
	assert_true(m.lmsw && m.to_cr && !m.from_memory);
	assert_int_equal(m.cr, 0);
	assert_int_equal(m.gpr, RBX);
	assert_int_equal(m.len, 3);
	assert_int_equal(insn_decode_mov_cr(from_r9, sizeof(from_r9), 64, &m), 0);
	assert_int_equal(m.gpr, R9);
	assert_int_equal(insn_decode_mov_cr(from_mem, sizeof(from_mem), 32, &m), 0);
	assert_true(m.lmsw && m.from_memory);
	assert_int_equal(m.operand.base, RAX);
	assert_int_equal(m.operand.disp, 8);
	assert_int_equal(m.operand.addr_size, 4);
	assert_int_equal(m.operand.seg, INSN_DS);
	assert_int_equal(m.len, 4);
	assert_int_equal(insn_decode_mov_cr(from_fs, sizeof(from_fs), 32, &m), 0);
	assert_int_equal(m.operand.addr_size, 2);
	assert_int_equal(m.operand.base, RBX);
	assert_int_equal(m.operand.index, NOREG);
	assert_int_equal(m.operand.seg, INSN_FS);
	assert_int_equal(m.len, 5);
	assert_int_equal(insn_decode_mov_cr(smsw, sizeof(smsw), 32, &m), -1);
	assert_int_equal(insn_decode_mov_cr(locked, sizeof(locked), 32, &m), -1);
	assert_int_equal(insn_decode_mov_cr(from_mem, 3, 32, &m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_emulate_moves),
		cmocka_unit_test(test_emulate_alu_flags),
		cmocka_unit_test(test_emulate_refused_by_device),
		cmocka_unit_test(test_mov_cr),
		cmocka_unit_test(test_lmsw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
