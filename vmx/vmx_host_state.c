/* The host-state area: what a VM exit loads. It is per CPU (the GDT, the
 * TSS and the per-CPU block behind the GS base are), so it is written each
 * time a VMCS becomes active on a CPU. RSP is written by vmx_vmrun at each
 * entry; RFLAGS, which a VM exit clears, is restored there too. */
#include "cpu/gdt.h"
#include "cpu/percpu.h"
#include "vmx/vmx.h"
#include "x86/insn.h"
#include "x86/regs.h"

/* The exit landing point in vmx_entry.S. */
extern const char vmx_vmexit[];

/* The IDT base, which only SIDT tells. */
static uint64_t idt_base(void)
{
	struct descriptor_table_register idtr;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	return idtr.base;
}

void vmx_host_state_write(void)
{
	struct percpu *pc = this_cpu();

	vmx_write(VMCS_HOST_CR0, read_cr0());
	vmx_write(VMCS_HOST_CR3, read_cr3());
	vmx_write(VMCS_HOST_CR4, read_cr4());
	vmx_write(VMCS_HOST_SEL(VMCS_ES), GDT_DATA);
	vmx_write(VMCS_HOST_SEL(VMCS_CS), GDT_CODE64);
	vmx_write(VMCS_HOST_SEL(VMCS_SS), GDT_DATA);
	vmx_write(VMCS_HOST_SEL(VMCS_DS), GDT_DATA);
	vmx_write(VMCS_HOST_SEL(VMCS_FS), 0);
	vmx_write(VMCS_HOST_SEL(VMCS_GS), 0);
	vmx_write(VMCS_HOST_TR_SEL, GDT_TSS);
	vmx_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmx_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmx_write(VMCS_HOST_TR_BASE, (uintptr_t)&pc->tss);
	vmx_write(VMCS_HOST_GDTR_BASE, (uintptr_t)pc->gdt);
	vmx_write(VMCS_HOST_IDTR_BASE, idt_base());
	vmx_write(VMCS_HOST_SYSENTER_CS, 0);
	vmx_write(VMCS_HOST_SYSENTER_ESP, 0);
	vmx_write(VMCS_HOST_SYSENTER_EIP, 0);
	vmx_write(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmx_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmx_write(VMCS_HOST_RIP, (uintptr_t)vmx_vmexit);
}
