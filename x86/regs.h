/* Architectural register bits and MSR numbers the hypervisor uses. */
#pragma once

#ifdef __ASSEMBLY__
#define BIT(n) (1 << (n))
#else
#define BIT(n) (1ull << (n))
#endif

#define CR0_PE          BIT(0)
#define CR0_MP          BIT(1)
#define CR0_ET          BIT(4)
#define CR0_NE          BIT(5)
#define CR0_WP          BIT(16)
#define CR0_NW          BIT(29)
#define CR0_CD          BIT(30)
#define CR0_PG          BIT(31)

#define CR4_VME         BIT(0)
#define CR4_PVI         BIT(1)
#define CR4_TSD         BIT(2)
#define CR4_DE          BIT(3)
#define CR4_PSE         BIT(4)
#define CR4_PAE         BIT(5)
#define CR4_MCE         BIT(6)
#define CR4_PGE         BIT(7)
#define CR4_PCE         BIT(8)
#define CR4_OSFXSR      BIT(9)
#define CR4_OSXMMEXCPT  BIT(10)
#define CR4_UMIP        BIT(11)
#define CR4_LA57        BIT(12)
#define CR4_VMXE        BIT(13)
#define CR4_SMXE        BIT(14)
#define CR4_FSGSBASE    BIT(16)
#define CR4_PCIDE       BIT(17)
#define CR4_OSXSAVE     BIT(18)
#define CR4_KL          BIT(19)
#define CR4_SMEP        BIT(20)
#define CR4_SMAP        BIT(21)
#define CR4_PKE         BIT(22)
#define CR4_CET         BIT(23)
#define CR4_PKS         BIT(24)
#define CR4_UINTR       BIT(25)
#define CR4_LAM_SUP     BIT(28)

#define XCR0_X87        BIT(0)
#define XCR0_SSE        BIT(1)
#define XCR0_AVX        BIT(2)
#define XCR0_BNDREGS    BIT(3)
#define XCR0_BNDCSR     BIT(4)
#define XCR0_OPMASK     BIT(5)
#define XCR0_ZMM_HI256  BIT(6)
#define XCR0_HI16_ZMM   BIT(7)
#define XCR0_PKRU       BIT(9)
#define XCR0_TILECFG    BIT(17)
#define XCR0_TILEDATA   BIT(18)

#define CPUID1_ECX_XSAVE   BIT(26)
#define CPUID1_ECX_OSXSAVE BIT(27)

#define DR6_RESET       0xffff0ff0
#define DR7_RESET       0x400

#define MSR_TSC         0x00000010
#define MSR_APIC_BASE   0x0000001b
#define MSR_FEATURE_CONTROL 0x0000003a
#define MSR_PAT         0x00000277
#define PAT_POWER_ON    0x0007040600070406ull	/* WB WT UC- UC, twice */
#define MSR_EFER        0xc0000080
#define MSR_FS_BASE     0xc0000100
#define MSR_GS_BASE     0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX     0xc0000103

#define EFER_SCE        BIT(0)
#define EFER_LME        BIT(8)
#define EFER_LMA        BIT(10)
#define EFER_NXE        BIT(11)
#define EFER_SVME       BIT(12)

#define RFLAGS_FIXED    BIT(1)	/* reads as one */
#define RFLAGS_TF       BIT(8)
#define RFLAGS_IF       BIT(9)
#define RFLAGS_OF       BIT(11)
#define RFLAGS_RF       BIT(16)
