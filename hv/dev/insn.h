/* The x86 instructions a guest uses on memory-mapped device registers,
 * decoded from the guest's own bytes (SVM on QEMU has no decode assists)
 * and carried out against a device: MOV in every form that has a memory
 * operand (r/m, immediate, moffs), MOVZX, MOVSX, MOVSXD, the eight ALU
 * operations and TEST with a memory operand, and XCHG. Operand- and
 * address-size, segment, LOCK and REX prefixes; ModRM, SIB, displacements
 * and RIP-relative addressing; 16-, 32- and 64-bit code. Anything else is
 * refused, never emulated wrongly. Pure logic, table-tested. */
#pragma once

#include "lib/compiler.h"

#define INSN_MAX_LEN	15

enum insn_op {
	INSN_MOV_STORE,		/* memory <- register or immediate */
	INSN_MOV_LOAD,		/* register <- memory */
	INSN_MOVZX,		/* register <- memory, zero-extended */
	INSN_MOVSX,		/* register <- memory, sign-extended */
	INSN_ALU,		/* ADD OR ADC SBB AND SUB XOR CMP */
	INSN_TEST,
	INSN_XCHG,
};

enum insn_alu { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

/* Segment registers in the encoding's order (ES CS SS DS FS GS). */
enum insn_seg { INSN_ES, INSN_CS, INSN_SS, INSN_DS, INSN_FS, INSN_GS };

#define INSN_NO_REG	(-1)
#define INSN_RIP	(-2)	/* base of a RIP-relative operand */

struct insn {
	unsigned len;
	enum insn_op op;
	enum insn_alu alu;		/* INSN_ALU */
	unsigned size;			/* bytes of the memory operand: 1, 2, 4 or 8 */
	unsigned reg_size;		/* bytes of the register operand (MOVZX/MOVSX: the destination) */
	bool mem_is_dest;		/* INSN_ALU: memory is written (else the register) */
	int reg;			/* the register operand, 0..15, or INSN_NO_REG for an immediate */
	bool high_byte;			/* reg names AH, CH, DH or BH */
	uint64_t imm;			/* the immediate, sign-extended to `size` bytes */
	/* The memory operand: seg:[base + index * scale + disp], wrapped to
	 * addr_size bytes. */
	enum insn_seg seg;
	int base, index;		/* 0..15, INSN_NO_REG, or INSN_RIP for base */
	unsigned scale;
	int64_t disp;
	unsigned addr_size;		/* 2, 4 or 8 */
	bool lock;
};

/* Decode the instruction in `code` (`len` bytes available) as code of
 * `bits` (16, 32 or 64) runs it. Returns 0, or -1 when the bytes are not
 * one of the forms above with a memory operand (or are cut short). */
int insn_decode(const uint8_t *code, size_t len, unsigned bits, struct insn *out);

/* The linear address of the memory operand: segment base (in 64-bit code
 * only FS and GS have one) plus the effective address, given the GPRs in
 * the encoding's order (RAX RCX RDX RBX RSP RBP RSI RDI R8..R15), the
 * address of the next instruction and the six segment bases. */
uint64_t insn_address(const struct insn *i, unsigned bits, const uint64_t gpr[16],
		      uint64_t next_rip, const uint64_t seg_base[6]);

/* The device side of an emulated access: read or write `size` bytes of the
 * register the operand addresses; false when the device refuses. */
struct insn_mem {
	bool (*read)(void *ctx, uint64_t *value, unsigned size);
	bool (*write)(void *ctx, uint64_t value, unsigned size);
	void *ctx;
};

/* Carry out `i`: read and/or write the memory operand through `mem`,
 * update the GPRs (encoding's order, as insn_address) and the arithmetic
 * flags of *rflags the way the CPU does. Returns false, changing nothing
 * in the registers, when the device refused. */
bool insn_emulate(const struct insn *i, uint64_t gpr[16], uint64_t *rflags,
		  const struct insn_mem *mem);

/* MOV to or from a control register (0F 22 / 0F 20, with AMD's LOCK
 * prefix naming CR8 outside 64-bit code) or a debug register (0F 23 /
 * 0F 21): which CR or DR and which GPR; or LMSW (0F 01 /6), which writes
 * CR0's low four bits from a register or a word in memory. */
struct insn_mov_cr {
	unsigned len;
	unsigned cr;			/* or DR, if `debug` */
	unsigned gpr;			/* the register operand */
	bool to_cr;			/* to the CR or DR */
	bool debug;			/* MOV to/from DRn */
	bool lmsw;			/* LMSW: cr 0, to_cr */
	bool from_memory;		/* LMSW's source is the word `operand` addresses */
	struct insn operand;		/* seg, base, index, scale, disp, addr_size (insn_address) */
};

/* Decode `code` as a MOV to/from CR or DR, or an LMSW, in `bits`-bit code;
 * 0 or -1. */
int insn_decode_mov_cr(const uint8_t *code, size_t len, unsigned bits, struct insn_mov_cr *out);
