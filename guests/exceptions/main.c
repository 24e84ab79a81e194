/*
 * Exception delivery inside the guest: #DE, #UD, #BP, #PF and #GP, each
 * raised on purpose, caught by the guest's own IDT, checked (vector, error
 * code, saved EIP, CR2) and resumed from.
 */
#include "guests/exceptions/faults.h"
#include "guests/lib/boot.h"
#include "guests/lib/paging.h"
#include "guests/lib/report.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "exceptions";

#define PF_ERR_WRITE	(1u << 1)	/* present bit 0 clear: not-present page */

static volatile uint32_t unmapped_page[PAGE_SIZE / 4] __aligned(PAGE_SIZE);

/* fn must raise vector at insn (at the instruction after it for a trap). */
static void expect(const char *name, void (*fn)(void *), void *arg, int vector,
		   const char *insn, bool is_trap)
{
	int got = trap_run(fn, arg);
	uint32_t want_eip = (uint32_t)(uintptr_t)insn + (is_trap ? 1 : 0);

	check(got == vector && trap_last.eip == want_eip,
	      "%s: vector %d at eip 0x%x (want vector %d at 0x%x)", name, got,
	      got == TRAP_NONE ? 0 : trap_last.eip, vector, want_eip);
}

static void check_page_fault(void)
{
	uint32_t addr = (uint32_t)(uintptr_t)unmapped_page;
	int vector;

	if (!paging_enable() || !paging_set_present(addr, false)) {
		fail("#PF: cannot unmap a page at 0x%x (PSE missing or page above 4 MiB)", addr);
		return;
	}
	vector = trap_run(raise_pf, (void *)unmapped_page);
	paging_set_present(addr, true);
	unmapped_page[0] = 2;	/* mapped again: this write must not fault */
	paging_disable();
	check(vector == VEC_PF && trap_last.cr2 == addr &&
	      trap_last.error_code == PF_ERR_WRITE &&
	      trap_last.eip == (uint32_t)(uintptr_t)pf_insn && unmapped_page[0] == 2,
	      "#PF: vector %d, cr2 0x%x, error 0x%x, eip 0x%x (want 0x%x, 0x%x at 0x%x)",
	      vector, trap_last.cr2, trap_last.error_code, trap_last.eip, addr,
	      PF_ERR_WRITE, (uint32_t)(uintptr_t)pf_insn);
}

void guest_main(const struct boot_info *bi)
{
	int vector;

	expect("#DE", raise_de, NULL, VEC_DE, de_insn, false);
	expect("#UD", raise_ud, NULL, VEC_UD, ud_insn, false);
	expect("#BP", raise_bp, NULL, VEC_BP, bp_insn, true);
	check_page_fault();
	vector = trap_run(raise_gp, NULL);
	check(vector == VEC_GP && trap_last.error_code == GP_SELECTOR &&
	      trap_last.eip == (uint32_t)(uintptr_t)gp_insn,
	      "#GP: vector %d, error 0x%x at eip 0x%x (want selector 0x%x at 0x%x)",
	      vector, trap_last.error_code, trap_last.eip, GP_SELECTOR,
	      (uint32_t)(uintptr_t)gp_insn);
}
