/* The idle loop. STI's one-instruction shadow makes `sti; hlt` atomic, so
 * a kick that arrives after the last look at the queue still ends the HLT. */
#include "hv/idle.h"
#include "hv/vm_sched.h"
#include "mm/rcu.h"
#include "x86/insn.h"

__noreturn void cpu_idle(void)
{
	for (;;) {
		rcu_idle_exit();
		vm_sched_work();
		rcu_idle_enter();
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
}
