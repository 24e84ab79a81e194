/*
 * Event delivery at the edges: an interrupt that waits out an STI shadow
 * (the handler sees where it interrupted), also across an exit
 * inside the shadow (CPUID; and with fresh-shadow=1 a first touch of a
 * page, which QEMU's SVM reports without the shadow); exceptions and a
 * software interrupt whose delivery is cut short by an exit (the stack page
 * untouched), delivered exactly once (soft-int=0 leaves the INT n out:
 * Bochs' SVM reports a stale event for it); NMIs masked until the IRET.
 * Fresh pages each lie in their own 2 MiB of RAM that nothing used before.
 */
#include "guests/lib/apic.h"
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/report.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "events";

#define VEC_IPI		0x60
#define VEC_SOFT	0x61
#define FRESH(n)	((volatile uint32_t *)(0x400000u + (n) * 0x200000u))

static volatile uint32_t hits[256], ipi_eip;
static volatile unsigned nmi_depth, nmi_max_depth, nmis;

static void ipi(struct trap_frame *f)
{
	ipi_eip = f->eip;
	hits[f->vector]++;
	apic_eoi();
}

static void count(struct trap_frame *f)
{
	hits[f->vector]++;
	if (f->vector == VEC_UD)
		f->eip += 2;		/* past the ud2 */
}

static void nmi(struct trap_frame *f)
{
	nmi_depth++;
	if (nmi_depth > nmi_max_depth)
		nmi_max_depth = nmi_depth;
	if (nmis++ == 0)
		apic_send_ipi(0, ICR_SELF | ICR_NMI);	/* masked until our IRET */
	for (volatile int i = 0; i < 1000; i++)
		;
	nmi_depth--;
}

/* Each sequence starts with an interrupt pending and interrupts off, and
 * marks with label 2 where the interrupt may first come. */
static void shadow_sti(void)
{
	__asm__ volatile("sti\n\t1: movl $1, %%eax\n\t2: cli\n\t"
			 ".pushsection .rodata\n\tshadow_sti_end: .long 2b\n\t.popsection"
			 ::: "eax", "memory");
}

static void shadow_cpuid(void)
{
	__asm__ volatile("xorl %%eax, %%eax\n\tsti\n\tcpuid\n\t2: cli\n\t"
			 ".pushsection .rodata\n\tshadow_cpuid_end: .long 2b\n\t.popsection"
			 ::: "eax", "ebx", "ecx", "edx", "memory");
}

static void shadow_fresh(void)
{
	__asm__ volatile("sti\n\tmovl $1, (%0)\n\t2: cli\n\t"
			 ".pushsection .rodata\n\tshadow_fresh_end: .long 2b\n\t.popsection"
			 :: "r"(FRESH(0)) : "memory");
}

extern const uint32_t shadow_sti_end, shadow_cpuid_end, shadow_fresh_end;

static void check_shadow(const char *what, void (*seq)(void), const uint32_t *end)
{
	unsigned before = hits[VEC_IPI];

	apic_send_ipi(0, ICR_SELF | VEC_IPI);
	seq();
	check(hits[VEC_IPI] == before + 1 && ipi_eip == *end,
	      "%s shadow: the waiting interrupt comes once, after the shadowed instruction "
	      "(eip 0x%x, want 0x%x)", what, ipi_eip, *end);
}

/* `ud2` and `int $VEC_SOFT` with the stack on a fresh page: the delivery
 * itself exits and must be completed once, not lost or repeated. */
static void check_interrupted_delivery(bool soft_int)
{
	uint32_t top = (uint32_t)(uintptr_t)FRESH(2) + 0x1000, saved;

	__asm__ volatile("movl %%esp, %0\n\tmovl %1, %%esp\n\tud2\n\tmovl %0, %%esp"
			 : "=&r"(saved) : "r"(top) : "memory");
	if (soft_int) {
		top = (uint32_t)(uintptr_t)FRESH(3) + 0x1000;
		__asm__ volatile("movl %%esp, %0\n\tmovl %1, %%esp\n\tint %2\n\tmovl %0, %%esp"
				 : "=&r"(saved) : "r"(top), "i"(VEC_SOFT) : "memory");
	}
	check(hits[VEC_UD] == 1 && hits[VEC_SOFT] == soft_int,
	      "delivery cut short by an exit: #UD %u time(s), INT 0x%x %u time(s)%s",
	      hits[VEC_UD], VEC_SOFT, hits[VEC_SOFT], soft_int ? "" : " (not tried: soft-int=0)");
}

static void check_nmi_masking(void)
{
	apic_send_ipi(0, ICR_SELF | ICR_NMI);
	for (volatile int i = 0; i < 100000 && nmis < 2; i++)
		;
	check(nmis == 2 && nmi_max_depth == 1,
	      "an NMI sent from the NMI handler waits for its IRET: %u NMIs, depth %u", nmis,
	      nmi_max_depth);
}

void guest_main(const struct boot_info *bi)
{
	if (boot_available_bytes(bi) < 0x400000u + 4 * 0x200000u) {
		fail("needs at least 12 MiB of RAM");
		return;
	}
	trap_set_handler(VEC_IPI, ipi);
	trap_set_handler(VEC_UD, count);
	trap_set_handler(VEC_SOFT, count);
	trap_set_handler(2, nmi);
	apic_enable(false);
	check_shadow("STI", shadow_sti, &shadow_sti_end);
	check_shadow("STI with a CPUID exit in the", shadow_cpuid, &shadow_cpuid_end);
	if (cmdline_number(bi->cmdline, "fresh-shadow", 0))
		check_shadow("STI with a first-touch exit in the", shadow_fresh, &shadow_fresh_end);
	else
		pass("STI with a first-touch exit in the shadow: not checked (fresh-shadow=0)");
	check_interrupted_delivery(cmdline_number(bi->cmdline, "soft-int", 1));
	check_nmi_masking();
}
