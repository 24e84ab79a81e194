/* A VM's memory as its guest sees it: guest-physical reads and writes
 * through the memslots, and guest-virtual reads through a vCPU's page
 * tables (the walker of hv/dev/gwalk.h). For the MMIO emulator now, the
 * monitor and the debugger later. */
#pragma once

#include "hv/dev/gwalk.h"
#include "hv/dev/insn.h"
#include "hv/vcpu.h"

struct vm;

/* Copy `len` bytes of guest-physical memory at `gpa` to `buf` / from
 * `buf`; false (nothing copied) unless all of them are guest RAM. */
bool guest_phys_read(struct vm *vm, uint64_t gpa, void *buf, size_t len);
bool guest_phys_write(struct vm *vm, uint64_t gpa, const void *buf, size_t len);

/* Whether the 4 KiB page at `gpa` is guest RAM (RAM comes in pieces of
 * whole pages, so its first byte tells for all of it). */
bool guest_page_in_ram(struct vm *vm, uint64_t gpa);

/* The walker's view of `v`'s paging registers `s` (and RFLAGS.AC). */
struct gwalk_mode guest_paging(const struct vcpu *v, const struct vcpu_sregs *s);

/* Translate `gva` for `access` (GWALK_*) as `v` would now. */
enum gwalk_status guest_translate(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
				  unsigned access, struct gwalk_result *out);

/* Read `len` bytes at linear address `gva` as `v` would (each page
 * translated on its own); on failure, *out describes the first page that
 * did not translate. */
enum gwalk_status guest_virt_read(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
				  void *buf, size_t len, unsigned access,
				  struct gwalk_result *out);

/* Write `len` bytes at linear address `gva` the same way (the pages
 * before a failing one are written). */
enum gwalk_status guest_virt_write(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
				   const void *buf, size_t len, unsigned access,
				   struct gwalk_result *out);

/* 16, 32 or 64: how the CPU runs the code at v's CS:RIP. */
unsigned guest_code_bits(const struct vcpu *v, const struct vcpu_sregs *s);

/* The linear address of v's CS:RIP. */
uint64_t guest_rip_linear(const struct vcpu *v, const struct vcpu_sregs *s);

/* Fetch up to `max` bytes of code at v's CS:RIP into `code` as the CPU
 * would (CPL 3 fetches need user pages); *got is how many: fewer when the
 * next page does not translate. Fails only when the first byte's page does
 * not (*out then describes it). */
enum gwalk_status guest_fetch_code(struct vcpu *v, const struct vcpu_sregs *s, uint8_t *code,
				   size_t max, size_t *got, struct gwalk_result *out);

/* A translation of `gva` failed with `st` (*r from the walk): inject the
 * fault the CPU would raise (#PF with CR2 = gva, #GP, or #SS for a stack
 * access) and return true to resume; a page table outside guest RAM
 * stops the VM instead (false). */
bool guest_fault(struct vcpu *v, enum gwalk_status st, const struct gwalk_result *r, uint64_t gva,
		 bool stack);

enum guest_decode {
	GUEST_DECODED,		/* *out describes the instruction */
	GUEST_FETCH_FAULTED,	/* its fetch faulted: injected, or the VM stopped */
	GUEST_NOT_DECODED,	/* it is not the instruction expected */
};

/* Fetch and decode the MOV to/from a CR or DR (as `debug` says) at v's
 * CS:RIP, for exits that do not describe it (SVM without decode assists).
 * GUEST_FETCH_FAULTED sets *resume as guest_fault() returns. */
enum guest_decode guest_decode_mov_cr(struct vcpu *v, const struct vcpu_sregs *s, bool debug,
				      struct insn_mov_cr *out, bool *resume);

/* Fetch the code at v's CS:RIP into code[INSN_MAX_LEN]: the index of its
 * opcode byte past the legacy and REX prefixes, or -1 when the fetch
 * failed or nothing but prefixes came; *opsize: a 0x66 prefix was there. */
int guest_opcode_at_rip(struct vcpu *v, const struct vcpu_sregs *s, uint8_t *code, bool *opsize);
