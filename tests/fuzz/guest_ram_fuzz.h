/* What the guest loader targets share: the input turned into a load request
 * (an 8-byte struct load_config, then the kernel image), guest RAM made of
 * pieces with an unmapped guard page after each, and the checks of a load's
 * outcome. */
#pragma once

#include "hv/load/guest_load.h"
#include "lib/compiler.h"

/* The input's first bytes: how the request around the image looks. */
struct load_config {
	uint8_t ram;		/* RAM: (ram % 16 + 1) * 2 MiB */
	uint8_t piece[3];	/* piece sizes, cycled: (piece + 1) * 16 KiB */
	uint8_t flags;		/* LOAD_* */
	uint8_t cmdline_len;	/* a command line of this many characters */
	uint8_t module_size;	/* module and initrd sizes scale with it */
	uint8_t string_len;	/* each module's string */
};

#define LOAD_AUTO		(1u << 0)	/* kind=auto instead of the target's */
#define LOAD_MODULES_SHIFT	1		/* bits 2:1: how many modules */
#define LOAD_INITRD		(1u << 3)
#define LOAD_NULL_CMDLINE	(1u << 4)	/* cmdline NULL rather than a string */

/* Load the input's image as `kind` (or auto) into fresh guest RAM and
 * check the outcome: a refusal leaves every page of RAM untouched, an
 * accepted load put what it reports where it reports it, and nothing is
 * ever written outside the pieces (the guard pages fault). Returns -1 for
 * an input too short to hold a configuration, else 0. */
int fuzz_guest_load(const uint8_t *data, size_t size, enum vm_kind kind);
