/* The guest page walker: translate a guest-virtual address the way the
 * guest's CPU does, in every paging mode (none, 32-bit with 4 MiB pages,
 * PAE, 4- and 5-level), with the CPU's permission and reserved-bit checks,
 * so a failed translation is the page fault the guest would take. Pure
 * logic over a reader of guest-physical memory; the MMIO emulator, the
 * monitor and the debugger share it. Accessed and dirty bits are not set
 * (the walks here only look). Protection keys are not checked. */
#pragma once

#include "lib/compiler.h"

/* The guest's paging registers. */
struct gwalk_mode {
	uint64_t cr0, cr3, cr4, efer;
	bool rflags_ac;			/* EFLAGS.AC, for SMAP */
	bool gbpages;			/* 1 GiB pages exist (else PS is reserved there) */
	unsigned maxphyaddr;		/* physical-address width, 36..52 */
};

/* What the access is (bits). */
#define GWALK_WRITE	(1u << 0)
#define GWALK_USER	(1u << 1)	/* CPL 3 */
#define GWALK_FETCH	(1u << 2)

/* Page-fault error code bits, as the CPU reports them. */
#define PF_PRESENT	(1u << 0)
#define PF_WRITE	(1u << 1)
#define PF_USER		(1u << 2)
#define PF_RSVD		(1u << 3)
#define PF_FETCH	(1u << 4)

#define GWALK_MAX_LEVELS 5

struct gwalk_result {
	uint64_t gpa;			/* the translation */
	unsigned levels;		/* entries read (0 without paging) */
	uint64_t entry[GWALK_MAX_LEVELS];	/* each entry read, top level first */
	uint64_t entry_gpa[GWALK_MAX_LEVELS];	/* where it was read */
	unsigned page_shift;		/* 12, 21 (2 MiB), 22 (4 MiB) or 30 */
	bool writable, user, executable;	/* the combined permissions */
	uint32_t pf_error;		/* the #PF error code, when the walk faults */
};

/* Reads `len` bytes of guest-physical memory at `gpa` into buf; false when
 * they are not all guest RAM. */
typedef bool (*gwalk_read_fn)(void *ctx, uint64_t gpa, void *buf, size_t len);

enum gwalk_status {
	GWALK_OK,
	GWALK_PAGE_FAULT,	/* the guest takes #PF with out->pf_error, CR2 = gva */
	GWALK_NONCANONICAL,	/* the guest takes #GP (#SS for a stack access) */
	GWALK_BAD_TABLE,	/* a table lies outside guest RAM (the CPU would read MMIO) */
};

/* Translate `gva` for an access of kind `access` (GWALK_* bits) under
 * `mode`; fills *out (entries and permissions even when the walk faults). */
enum gwalk_status gwalk(const struct gwalk_mode *mode, uint64_t gva, unsigned access,
			gwalk_read_fn read, void *ctx, struct gwalk_result *out);
