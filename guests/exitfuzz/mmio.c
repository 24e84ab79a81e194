/* Accesses to the local APIC's and the IOAPIC's pages, in the
 * instruction forms the hypervisor's emulator decodes (MOV to and from
 * memory, with an immediate, MOVZX/MOVSX, ALU and TEST on memory, XCHG),
 * 1, 2 or 4 bytes at random offsets, aligned or not. None may fault; the
 * APIC ID and version read as at the start. A write that could stop this
 * guest's timer, change its priority, send an IPI, unmask an interrupt
 * source or reach a register whose whole value cannot be predicted
 * becomes a read of the same size. An access crosses the page's end only
 * with straddle=1: the hypervisor then stops the VM, as it does for any
 * access it cannot carry out. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/apic.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define IOAPIC_PAGE	0xfec00000u
#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOEOI		0x40
#define IOAPIC_RTE_LOW(r)	((r) >= 0x10 && (r) < 0x40 && !((r) & 1))
#define LVT_MASKED	0x10000u

/* Each form's operand size and whether it writes memory. */
enum form {
	LOAD8, LOAD16, LOAD32, MOVZX8, MOVZX16, MOVSX8, MOVSX16, ADD_FROM32, CMP32, TEST8,
	TEST_IMM32, STORE8, STORE16, STORE32, STORE_IMM8, STORE_MASK32, OR_MASK32, ADD_TO32,
	AND_TO16, XOR_TO8, XCHG32, XCHG8, NR_FORMS,
};
#define FIRST_WRITE	STORE8

static const uint8_t form_size[NR_FORMS] = {
	[LOAD8] = 1, [LOAD16] = 2, [LOAD32] = 4, [MOVZX8] = 1, [MOVZX16] = 2, [MOVSX8] = 1,
	[MOVSX16] = 2, [ADD_FROM32] = 4, [CMP32] = 4, [TEST8] = 1, [TEST_IMM32] = 4,
	[STORE8] = 1, [STORE16] = 2, [STORE32] = 4, [STORE_IMM8] = 1, [STORE_MASK32] = 4,
	[OR_MASK32] = 4, [ADD_TO32] = 4, [AND_TO16] = 2, [XOR_TO8] = 1, [XCHG32] = 4,
	[XCHG8] = 1,
};

/* The load of the same size as a write form. */
static const uint8_t load_of_size[5] = { [1] = LOAD8, [2] = LOAD16, [4] = LOAD32 };

struct mmio_try {
	uint32_t addr;
	enum form form;
	uint32_t value;
};

static uint32_t apic_version;

/* The access a struct mmio_try describes, in its instruction form; a
 * value read lands in `value`. */
static void access(void *arg)
{
	struct mmio_try *t = arg;
	volatile uint8_t *b = (volatile uint8_t *)(uintptr_t)t->addr;
	volatile uint16_t *w = (volatile uint16_t *)b;
	volatile uint32_t *l = (volatile uint32_t *)b;
	uint32_t r = t->value;

	switch (t->form) {
	case LOAD8: __asm__ volatile("movb %1, %b0" : "+q"(r) : "m"(*b)); break;
	case LOAD16: __asm__ volatile("movw %1, %w0" : "+r"(r) : "m"(*w)); break;
	case LOAD32: __asm__ volatile("movl %1, %0" : "=r"(r) : "m"(*l)); break;
	case MOVZX8: __asm__ volatile("movzbl %1, %0" : "=r"(r) : "m"(*b)); break;
	case MOVZX16: __asm__ volatile("movzwl %1, %0" : "=r"(r) : "m"(*w)); break;
	case MOVSX8: __asm__ volatile("movsbl %1, %0" : "=r"(r) : "m"(*b)); break;
	case MOVSX16: __asm__ volatile("movswl %1, %0" : "=r"(r) : "m"(*w)); break;
	case ADD_FROM32: __asm__ volatile("addl %1, %0" : "+r"(r) : "m"(*l) : "cc"); break;
	case CMP32: __asm__ volatile("cmpl %1, %0" :: "r"(r), "m"(*l) : "cc"); break;
	case TEST8: __asm__ volatile("testb %b0, %1" :: "q"(r), "m"(*b) : "cc"); break;
	case TEST_IMM32: __asm__ volatile("testl $0x10001, %0" :: "m"(*l) : "cc"); break;
	case STORE8: __asm__ volatile("movb %b1, %0" : "=m"(*b) : "q"(r)); break;
	case STORE16: __asm__ volatile("movw %w1, %0" : "=m"(*w) : "r"(r)); break;
	case STORE32: __asm__ volatile("movl %1, %0" : "=m"(*l) : "r"(r)); break;
	case STORE_IMM8: __asm__ volatile("movb $0xff, %0" : "=m"(*b)); break;
	case STORE_MASK32: __asm__ volatile("movl $0x10000, %0" : "=m"(*l)); break;
	case OR_MASK32: __asm__ volatile("orl $0x10000, %0" : "+m"(*l) :: "cc"); break;
	case ADD_TO32: __asm__ volatile("addl %1, %0" : "+m"(*l) : "r"(r) : "cc"); break;
	case AND_TO16: __asm__ volatile("andw %w1, %0" : "+m"(*w) : "r"(r) : "cc"); break;
	case XOR_TO8: __asm__ volatile("xorb %b1, %0" : "+m"(*b) : "q"(r) : "cc"); break;
	case XCHG32: __asm__ volatile("xchgl %0, %1" : "+r"(r), "+m"(*l)); break;
	default: __asm__ volatile("xchgb %b0, %1" : "+q"(r), "+m"(*b)); break;
	}
	t->value = r;
}

/* Whether a write of `form` at APIC `offset` cannot hurt: the APIC
 * ignores accesses that are not aligned dwords; registers that are
 * read-only, reserved, or whose value changes nothing here take anything;
 * the unused LVT entries take writes that leave them masked. */
static bool apic_write_harmless(unsigned offset, enum form form)
{
	if (form_size[form] != 4 || (offset & 0xf))
		return true;
	switch (offset) {
	case 0x000: case 0x010: case 0x030: case 0x040 ... 0x070: case 0x090: case 0x0a0:
	case 0x0b0: case 0x0c0: case 0x0d0: case 0x0e0: case 0x100 ... 0x2e0: case 0x390:
	case 0x3a0 ... 0x3d0: case 0x3f0 ... 0xff0:
		return true;
	case 0x2f0: case 0x330: case 0x340:	/* CMCI, thermal and performance LVTs */
		return form == STORE_MASK32 || form == OR_MASK32;
	}
	return false;
}

/* Whether a write of `form` at IOAPIC `offset`, with `reg` selected,
 * cannot hurt: only dword writes to IOREGSEL, IOWIN and the EOI register
 * count; IOWIN takes anything but a redirection entry's low half, which
 * takes only writes that keep it masked. */
static bool ioapic_write_harmless(unsigned offset, enum form form, unsigned reg)
{
	if (form_size[form] != 4 || offset != IOWIN)
		return true;
	return !IOAPIC_RTE_LOW(reg) || form == STORE_MASK32 || form == OR_MASK32;
}

/* IOREGSEL = `reg`, so that IOWIN reaches it. */
static void select_ioapic_reg(unsigned reg)
{
	*(volatile uint32_t *)(uintptr_t)(IOAPIC_PAGE + IOREGSEL) = reg;
}

/* An offset in the page for an access of `size` bytes: a register of the
 * device half of the time, anywhere short of the page's end otherwise;
 * with straddle=1 one from which the access crosses the end. */
static unsigned random_offset(bool ioapic, unsigned size)
{
	static const uint32_t ioapic_regs[] = { IOREGSEL, IOWIN, IOEOI };

	if (fuzz_cpu.straddle)
		return 0x1000 - size + 1 + rng_below(size - 1);
	if (rng_one_in(2))
		return ioapic ? rng_pick(ioapic_regs, ARRAY_SIZE(ioapic_regs)) : rng_below(0x40) << 4;
	return rng_below(0x1000 - size + 1);
}

/* One access to the APIC or (a third of the time) the IOAPIC page. */
static void step(void)
{
	bool ioapic = rng_one_in(3);
	struct mmio_try t = { .form = rng_below(NR_FORMS), .value = rng32() };
	unsigned offset, reg;
	bool harmless;
	int v;

	if (fuzz_cpu.straddle && form_size[t.form] == 1)
		t.form = LOAD32;	/* a byte cannot cross */
	offset = random_offset(ioapic, form_size[t.form]);
	reg = rng_below(0x48);
	harmless = ioapic ? ioapic_write_harmless(offset, t.form, reg) :
			    apic_write_harmless(offset, t.form);
	if (t.form >= FIRST_WRITE && !harmless)
		t.form = load_of_size[form_size[t.form]];
	if (ioapic)
		select_ioapic_reg(reg);
	t.addr = (ioapic ? IOAPIC_PAGE : APIC_PAGE) + offset;
	v = fuzz_try(access, &t);
	fuzz_expect_vector(v, TRAP_NONE, "form %u at 0x%x", t.form, t.addr);
	if (v != TRAP_NONE || ioapic || t.form != LOAD32)
		return;
	if (offset == APIC_ID)
		fuzz_expect(!(t.value >> 24), "APIC ID reads 0x%x", t.value);
	if (offset == APIC_VERSION)
		fuzz_expect(t.value == apic_version, "APIC version reads 0x%x, was 0x%x", t.value,
			    apic_version);
}

/* What the version register reads at the start. */
static void init(void)
{
	apic_version = apic_read(APIC_VERSION);
}

const struct fuzz_class fuzz_mmio = { "mmio", 12, step, init };
