/*
 * The hypercall ABI of docs/hypercalls.md, through VMMCALL (AMD) or VMCALL
 * (Intel) by CPU vendor. expect=hv: each call returns what the ABI says and
 * preserves the other registers. expect=bare: no hypervisor answers, so each
 * call must raise #UD at the instruction. Bad arguments get HC_EINVAL and
 * change nothing.
 */
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "hypercall";

struct hc_case {
	const char *name;
	struct hc_regs in;
	uint32_t want_eax, want_ebx;	/* ebx: as passed in unless the call returns one */
};

/* Distinct values in every register, so a clobber or a swap shows. */
#define UNTOUCHED	.edx = 0x3333dddd, .esi = 0x4444eeee, .edi = 0x5555ffff

static const struct hc_case cases[] = {
	{ "ping", { .eax = HC_PING, .ebx = 0x1111bbbb, .ecx = 0x2222cccc, UNTOUCHED },
	  HC_PING_MAGIC, HC_ABI_VERSION },
	{ "add 40 + 2", { .eax = HC_ADD, .ebx = 40, .ecx = 2, UNTOUCHED }, 42, 40 },
	{ "add wraps at 32 bits", { .eax = HC_ADD, .ebx = 0xffffffff, .ecx = 2, UNTOUCHED },
	  1, 0xffffffff },
	{ "unknown number 0xdead", { .eax = 0xdead, .ebx = 0x1111bbbb, .ecx = 0x2222cccc, UNTOUCHED },
	  HC_ENOSYS, 0x1111bbbb },
	{ "counter 99 (none)", { .eax = HC_COUNTER, .ebx = 99, .ecx = 0x2222cccc, UNTOUCHED },
	  HC_EINVAL, 99 },
	{ "unmap an unaligned range", { .eax = HC_UNMAP, .ebx = 0x801001, .ecx = 0x1000, UNTOUCHED },
	  HC_EINVAL, 0x801001 },
	{ "unmap zero bytes", { .eax = HC_UNMAP, .ebx = 0x800000, .ecx = 0, UNTOUCHED },
	  HC_EINVAL, 0x800000 },
	{ "unmap past the end of RAM", { .eax = HC_UNMAP, .ebx = 0x800000, .ecx = 0x7ffff000,
	  UNTOUCHED }, HC_EINVAL, 0x800000 },
	{ "unmap a wrapping range", { .eax = HC_UNMAP, .ebx = 0xfffff000, .ecx = 0x2000,
	  UNTOUCHED }, HC_EINVAL, 0xfffff000 },
	{ "unmap 64 KiB of RAM", { .eax = HC_UNMAP, .ebx = 0x800000, .ecx = 0x10000, UNTOUCHED },
	  0, 0x800000 },
};

struct hc_call {
	struct hypercall_insn hc;
	struct hc_regs regs;
};

static void do_call(void *arg)
{
	struct hc_call *c = arg;

	c->hc.call(&c->regs);
}

static void run_case(bool hv, struct hypercall_insn hc, const struct hc_case *t)
{
	struct hc_call c = { hc, t->in };
	const struct hc_regs *out = &c.regs;
	int vector = trap_run(do_call, &c);

	if (!hv) {
		check(vector == VEC_UD && trap_last.eip == (uint32_t)(uintptr_t)hc.insn,
		      "%s: %s raises #UD at its eip (vector %d)", t->name, hc.name, vector);
		return;
	}
	check(vector == TRAP_NONE && out->eax == t->want_eax && out->ebx == t->want_ebx &&
	      out->ecx == t->in.ecx && out->edx == t->in.edx && out->esi == t->in.esi &&
	      out->edi == t->in.edi,
	      "%s: eax 0x%x ebx 0x%x (want 0x%x 0x%x), ecx 0x%x edx 0x%x esi 0x%x edi 0x%x, vector %d",
	      t->name, out->eax, out->ebx, t->want_eax, t->want_ebx, out->ecx, out->edx,
	      out->esi, out->edi, vector);
}

/* The exit counter counts this VM's exits: the hypercall reading it is
 * one, so two reads differ; and unmapped RAM keeps its contents. */
static void check_counter_and_unmap(struct hypercall_insn hc)
{
	static uint32_t page[1024] __aligned(4096);
	uint64_t first, second;
	bool kept;

	for (unsigned i = 0; i < 1024; i++)
		page[i] = i * 2654435761u;
	first = hypercall_counter(HC_COUNTER_EXITS);
	second = hypercall_counter(HC_COUNTER_EXITS);
	check(first > 0 && second > first, "exit counter: %llu, then %llu",
	      (unsigned long long)first, (unsigned long long)second);
	kept = hypercall_unmap((uint32_t)(uintptr_t)page, sizeof(page)) == 0;

	for (unsigned i = 0; i < 1024; i++)
		kept &= page[i] == i * 2654435761u;
	check(kept, "a page unmapped by %s keeps its contents", hc.name);
}

void guest_main(const struct boot_info *bi)
{
	bool hv = cmdline_expect_hv(bi->cmdline);
	struct hypercall_insn hc = hypercall_for_cpu();

	kprintf("hypercall: %s, expecting %s\n", hc.name, hv ? "hypervisor" : "#UD (bare)");
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(hv, hc, &cases[i]);
	if (hv)
		check_counter_and_unmap(hc);
}
