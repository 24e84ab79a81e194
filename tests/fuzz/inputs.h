/* Input layouts the targets read and the seed generator (seeds.c) writes;
 * the loader targets' struct load_config is in guest_ram_fuzz.h. */
#pragma once

#include "lib/compiler.h"

/* insn.c: a header, then the instruction bytes. */
struct insn_input {
	uint8_t mode;		/* code size in bits 1:0 (16, 32, 64, 64), INSN_REFUSE_* */
	uint64_t value;		/* what the fake device reads as */
} __packed;

#define INSN_REFUSE_READ	(1u << 2)
#define INSN_REFUSE_WRITE	(1u << 3)

/* gwalk.c: the walk, then the guest memory, repeated through the physical
 * space up to 2^(12 + ram_bits % 41). */
struct walk_input {
	uint64_t cr0, cr3, cr4, efer, gva;
	uint8_t access;		/* GWALK_* in bits 2:0, WALK_AC, WALK_GBPAGES */
	uint8_t maxphyaddr;	/* 36 + maxphyaddr % 17 */
	uint8_t ram_bits;
} __packed;

#define WALK_AC		(1u << 3)	/* EFLAGS.AC */
#define WALK_GBPAGES	(1u << 4)	/* 1 GiB pages exist */
