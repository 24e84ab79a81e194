/* Architectural register bits and MSR numbers the hypervisor uses. */
#pragma once

#define CR0_PE          (1ull << 0)
#define CR0_MP          (1ull << 1)
#define CR0_ET          (1ull << 4)
#define CR0_NE          (1ull << 5)
#define CR0_WP          (1ull << 16)
#define CR0_NW          (1ull << 29)
#define CR0_CD          (1ull << 30)
#define CR0_PG          (1ull << 31)

#define CR4_PAE         (1ull << 5)
#define CR4_PGE         (1ull << 7)
#define CR4_OSFXSR      (1ull << 9)
#define CR4_VMXE        (1ull << 13)

#define MSR_APIC_BASE   0x0000001b
#define MSR_FEATURE_CONTROL 0x0000003a
#define MSR_PAT         0x00000277
#define MSR_EFER        0xc0000080
#define MSR_FS_BASE     0xc0000100
#define MSR_GS_BASE     0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

#define EFER_SCE        (1ull << 0)
#define EFER_LME        (1ull << 8)
#define EFER_LMA        (1ull << 10)
#define EFER_NXE        (1ull << 11)
#define EFER_SVME       (1ull << 12)

#define RFLAGS_IF       (1ull << 9)
