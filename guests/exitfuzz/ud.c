/* Instructions of features CPUID hides, which must be #UD: SVM's (VMRUN,
 * VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA), VMX's (VMXON, VMCLEAR,
 * VMPTRLD, VMPTRST, VMREAD, VMWRITE, VMLAUNCH, VMRESUME, VMXOFF, INVEPT,
 * INVVPID), and MONITOR/MWAIT when CPUID has no MONITOR. Under the
 * hypervisor the ones of the host's vendor exit and come back as #UD; the
 * others are #UD on the CPU itself. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

/* Memory operands for the forms that take one (never used for real); a
 * page, so that VMRUN, VMLOAD and VMSAVE pass the alignment check the CPU
 * makes before their intercept. */
static uint64_t operand[512] __aligned(4096);

/* Instruction number `arg` of `names`. */
static void insn(void *arg)
{
	uint32_t value;

	switch ((uintptr_t)arg) {
	case 0: __asm__ volatile(".byte 0x0f, 0x01, 0xd8" :: "a"(operand)); break;	/* vmrun */
	case 1: __asm__ volatile(".byte 0x0f, 0x01, 0xda" :: "a"(operand)); break;	/* vmload */
	case 2: __asm__ volatile(".byte 0x0f, 0x01, 0xdb" :: "a"(operand)); break;	/* vmsave */
	case 3: __asm__ volatile(".byte 0x0f, 0x01, 0xdc"); break;			/* stgi */
	case 4: __asm__ volatile(".byte 0x0f, 0x01, 0xdd"); break;			/* clgi */
	case 5: __asm__ volatile(".byte 0x0f, 0x01, 0xde" :: "a"(operand)); break;	/* skinit */
	case 6: __asm__ volatile(".byte 0x0f, 0x01, 0xdf" :: "a"(operand), "c"(0)); break; /* invlpga */
	case 7: __asm__ volatile("vmxon %0" :: "m"(operand[0])); break;
	case 8: __asm__ volatile("vmclear %0" :: "m"(operand[0])); break;
	case 9: __asm__ volatile("vmptrld %0" :: "m"(operand[0])); break;
	case 10: __asm__ volatile("vmptrst %0" : "=m"(operand[0])); break;
	case 11: __asm__ volatile("vmread %1, %0" : "=r"(value) : "r"(0)); break;
	case 12: __asm__ volatile("vmwrite %0, %1" :: "r"(0), "r"(0)); break;
	case 13: __asm__ volatile("vmlaunch"); break;
	case 14: __asm__ volatile("vmresume"); break;
	case 15: __asm__ volatile("vmxoff"); break;
	case 16: __asm__ volatile("invept %0, %1" :: "m"(operand), "r"(1)); break;
	case 17: __asm__ volatile("invvpid %0, %1" :: "m"(operand), "r"(1)); break;
	case 18: __asm__ volatile("monitor" :: "a"(operand), "c"(0), "d"(0)); break;
	default: __asm__ volatile("mwait" :: "a"(0), "c"(0)); break;
	}
}

#define NR_INSNS	20
#define FIRST_MONITOR	18

static const char *const names[NR_INSNS] = {
	"vmrun", "vmload", "vmsave", "stgi", "clgi", "skinit", "invlpga", "vmxon", "vmclear",
	"vmptrld", "vmptrst", "vmread", "vmwrite", "vmlaunch", "vmresume", "vmxoff", "invept",
	"invvpid", "monitor", "mwait",
};

/* One hidden instruction, which must be #UD. */
static void step(void)
{
	unsigned which = rng_below(NR_INSNS);

	if (which >= FIRST_MONITOR && fuzz_cpu.monitor)
		return;
	fuzz_expect_vector(fuzz_try(insn, (void *)(uintptr_t)which), VEC_UD, "%s", names[which]);
}

const struct fuzz_class fuzz_ud = { "ud", 4, step, NULL };
