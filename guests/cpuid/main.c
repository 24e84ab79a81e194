/*
 * CPUID as a guest sees it: the basics, and what the hypervisor must show or
 * hide. expect=hv: hypervisor bit set, leaf 0x40000000 signed "hvhvhvhvhvhv",
 * SVM and VMX hidden. expect=bare (QEMU with -cpu qemu64,-hypervisor):
 * hypervisor bit clear, no such signature, and any SVM/VMX the CPU
 * advertises can really be switched on.
 */
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/cpu.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "cpuid";

#define HV_LEAF			0x40000000u
#define HV_SIGNATURE		"hvhvhvhvhvhv"
#define EXT_LEAF_BASE		0x80000000u
#define EXT_LEAF_FEATURES	0x80000001u

static void check_basics(void)
{
	char vendor[CPU_VENDOR_LEN + 1];
	uint32_t max_leaf = cpuid(0, 0).eax;
	uint32_t eax = cpuid(1, 0).eax;
	uint32_t family = (eax >> 8) & 0xf;

	cpu_vendor(vendor);
	check(vendor[0] != '\0', "vendor \"%s\"", vendor);
	check(max_leaf >= 1, "max basic leaf 0x%x", max_leaf);
	if (family == 0xf)
		family += (eax >> 20) & 0xff;
	check(family != 0, "family 0x%x (leaf 1 eax 0x%x)", family, eax);
}

static void check_hypervisor_leaves(bool hv)
{
	bool bit = cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR;
	struct cpuid_regs r = cpuid(HV_LEAF, 0);
	char sig[13];

	/* QEMU sets the bit by default: bare runs use -cpu qemu64,-hypervisor. */
	check(bit == hv, "hypervisor bit (leaf 1 ecx[31]) %s", bit ? "set" : "clear");
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	if (hv)
		check(!memcmp(sig, HV_SIGNATURE, 12) && r.eax >= HV_LEAF,
		      "leaf 0x40000000 signature \"%s\", max leaf 0x%x", sig, r.eax);
	else
		check(memcmp(sig, HV_SIGNATURE, 12) != 0,
		      "leaf 0x40000000 has no hypervisor signature");
}

static void toggle_svme(void *unused)
{
	uint64_t efer = rdmsr(MSR_EFER);

	wrmsr(MSR_EFER, efer | EFER_SVME);
	wrmsr(MSR_EFER, efer);
}

static void toggle_vmxe(void *unused)
{
	unsigned long cr4 = read_cr4();

	write_cr4(cr4 | CR4_VMXE);
	write_cr4(cr4);
}

/*
 * Under the hypervisor the feature must be hidden; bare, an advertised
 * feature must be real: its enable bit (EFER.SVME, CR4.VMXE) can be set.
 */
static void check_virt_feature(bool hv, const char *name, bool advertised,
			       void (*toggle)(void *), const char *enable_bit)
{
	int vector;

	if (hv) {
		check(!advertised, "%s hidden", name);
		return;
	}
	if (!advertised) {
		pass("%s not advertised", name);
		return;
	}
	vector = trap_run(toggle, NULL);
	check(vector == TRAP_NONE, "%s advertised and %s can be set (vector %d)",
	      name, enable_bit, vector);
}

void guest_main(const struct boot_info *bi)
{
	bool hv = cmdline_expect_hv(bi->cmdline);
	bool svm = false;

	kprintf("cpuid: expecting %s (multiboot v%u, command line \"%s\")\n",
		hv ? "hypervisor" : "bare", bi->multiboot_version, bi->cmdline);
	check_basics();
	check_hypervisor_leaves(hv);
	if (cpuid(EXT_LEAF_BASE, 0).eax >= EXT_LEAF_FEATURES)
		svm = cpuid(EXT_LEAF_FEATURES, 0).ecx & CPUID80000001_ECX_SVM;
	check_virt_feature(hv, "svm (leaf 0x80000001 ecx[2])", svm, toggle_svme, "EFER.SVME");
	check_virt_feature(hv, "vmx (leaf 1 ecx[5])", cpuid(1, 0).ecx & CPUID1_ECX_VMX,
			   toggle_vmxe, "CR4.VMXE");
}
