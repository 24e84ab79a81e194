/* Per-CPU GDT and TSS. Every CPU gets its own because LTR marks the TSS
 * descriptor busy, and its own IST stacks so an NMI, #DF or #MC always
 * lands on a known-good stack, even when the CPU's stack has overflowed. */
#include <string.h>

#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "x86/insn.h"
#include "x86/regs.h"

/* Access byte: present, code/data (S), and type. */
#define DESC_PRESENT      0x80
#define DESC_CODE_DATA    0x10
#define DESC_CODE_READ    0x0a
#define DESC_DATA_WRITE   0x02
#define DESC_ACCESSED     0x01	/* preset, so the CPU never writes it */
#define DESC_TSS64_AVAIL  0x09

/* Flags nibble (descriptor bits 52..55). */
#define DESC_FLAG_LONG    0x2
#define DESC_FLAG_32BIT   0x4
#define DESC_FLAG_4K_GRAN 0x8

static_assert(GDT_NULL == 0 && GDT_CODE64 == 1 * 8 && GDT_DATA == 2 * 8 &&
	      GDT_TSS == 3 * 8, "GDT layout: null, code64, data, TSS");
static_assert(GDT_TSS / 8 + 2 <= ARRAY_SIZE(((struct percpu *)0)->gdt),
	      "the 16-byte TSS descriptor must fit in percpu.gdt");

/* A flat (base 0, limit 4 GiB) code or data descriptor. */
static uint64_t flat_descriptor(uint64_t access, uint64_t flags)
{
	return 0xffffull | access << 40 | 0xfull << 48 | flags << 52;
}

/* Write the 16-byte system descriptor for `tss` into slot[0..1]. */
static void tss_descriptor(uint64_t *slot, const struct tss64 *tss)
{
	uint64_t base = (uintptr_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		  (uint64_t)(DESC_PRESENT | DESC_TSS64_AVAIL) << 40 |
		  ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	slot[1] = base >> 32;
}

/* Give the TSS its IST stacks; no I/O bitmap (the hypervisor runs only
 * in ring 0, so RSP0-2 stay unused). */
static void tss_init(struct percpu *pc)
{
	memset(&pc->tss, 0, sizeof(pc->tss));
	for (unsigned slot = 1; slot <= IST_COUNT; slot++)
		pc->tss.ist[slot] = (uintptr_t)pc->ist_stacks[slot - 1] + PERCPU_IST_SIZE;
	pc->tss.iomap_base = sizeof(pc->tss);
}

static void gdt_init(struct percpu *pc)
{
	memset(pc->gdt, 0, sizeof(pc->gdt));
	pc->gdt[GDT_CODE64 / 8] = flat_descriptor(DESC_PRESENT | DESC_CODE_DATA | DESC_CODE_READ |
						  DESC_ACCESSED,
						  DESC_FLAG_4K_GRAN | DESC_FLAG_LONG);
	pc->gdt[GDT_DATA / 8] = flat_descriptor(DESC_PRESENT | DESC_CODE_DATA | DESC_DATA_WRITE |
						DESC_ACCESSED,
						DESC_FLAG_4K_GRAN | DESC_FLAG_32BIT);
	tss_descriptor(&pc->gdt[GDT_TSS / 8], &pc->tss);
}

/* Reload CS (far return), DS/ES/SS with the data selector and FS/GS with
 * the null selector. Loading a selector into FS or GS clears its base on
 * some CPUs, so both base MSRs are saved and written back: the per-CPU
 * pointer (GS base) survives this call. */
static void segments_reload(void)
{
	uint64_t fs_base = rdmsr(MSR_FS_BASE);
	uint64_t gs_base = rdmsr(MSR_GS_BASE);

	__asm__ volatile("pushq %[code]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %[data], %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs"
			 :
			 : [code] "i"(GDT_CODE64), [data] "i"(GDT_DATA)
			 : "rax", "memory");
	wrmsr(MSR_FS_BASE, fs_base);
	wrmsr(MSR_GS_BASE, gs_base);
}

void cpu_tables_load(struct percpu *pc)
{
	struct descriptor_table_register gdtr = {
		.limit = sizeof(pc->gdt) - 1,
		.base = (uintptr_t)pc->gdt,
	};

	tss_init(pc);
	gdt_init(pc);
	__asm__ volatile("lgdt %0" :: "m"(gdtr) : "memory");
	segments_reload();
	__asm__ volatile("ltr %w0" :: "r"(GDT_TSS) : "memory");
	idt_load();
}
