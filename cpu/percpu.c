/* Per-CPU blocks: the BSP's is static (needed before the heap exists),
 * the APs' are allocated at bring-up. */
#include "cpu/percpu.h"
#include "x86/insn.h"
#include "x86/regs.h"

struct percpu *percpu_blocks[MAX_CPUS];
static struct percpu bsp_block __aligned(4096);
static unsigned cpus_online;

/* Point this CPU's GS base at its block (after any GS selector load). */
void percpu_activate(struct percpu *pc)
{
	pc->self = pc;
	wrmsr(MSR_GS_BASE, (uint64_t)pc);
}

/* Make the BSP's block current; the first thing boot_main() does so that
 * logging can name the CPU. */
struct percpu *percpu_init_bsp(void)
{
	extern char bsp_stack_top[];

	bsp_block.id = 0;
	bsp_block.stack_top = (uintptr_t)bsp_stack_top;
	percpu_blocks[0] = &bsp_block;
	percpu_activate(&bsp_block);
	return &bsp_block;
}

/* Count `pc` as online; returns the number of CPUs online. */
unsigned percpu_set_online(struct percpu *pc)
{
	WRITE_ONCE(pc->online, true);
	return __atomic_add_fetch(&cpus_online, 1, __ATOMIC_SEQ_CST);
}

unsigned cpu_id(void)
{
	return this_cpu()->id;
}

unsigned cpu_count(void)
{
	return __atomic_load_n(&cpus_online, __ATOMIC_SEQ_CST);
}

__noreturn void cpu_halt_forever(void)
{
	struct percpu *pc = this_cpu();

	if (pc->online) {
		WRITE_ONCE(pc->online, false);
		__atomic_sub_fetch(&cpus_online, 1, __ATOMIC_SEQ_CST);
	}
	for (;;) {
		cli();
		hlt();
	}
}
