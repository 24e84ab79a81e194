/* Host FPU state machinery (cpu/fpu.h). XSAVE and XRSTOR run with XCR0 and
 * the request mask set to every supported component, so an area always
 * holds all of them whatever the guest's own XCR0: a component one guest
 * never enabled still comes back with its owner's value (or reset state),
 * never with another guest's. */
#include <string.h>

#include "cpu/fpu.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "x86/insn.h"
#include "x86/regs.h"

#define FXSAVE_BYTES		512
#define XSAVE_HEADER_BYTES	64
#define FCW_RESET		0x037f
#define MXCSR_RESET		0x1f80
#define FXSAVE_MXCSR_OFFSET	24

static uint64_t xcr0_supported = XCR0_X87;
static size_t area_size = FXSAVE_BYTES;
static bool has_xsave;

uint64_t fpu_xcr0_supported(void)
{
	return xcr0_supported;
}

bool fpu_has_xsave(void)
{
	return has_xsave;
}

size_t fpu_area_size(void)
{
	return area_size;
}

void fpu_area_init(void *area)
{
	uint8_t *a = area;
	uint16_t fcw = FCW_RESET;
	uint32_t mxcsr = MXCSR_RESET;

	memset(a, 0, area_size);
	memcpy(a, &fcw, sizeof(fcw));
	memcpy(a + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
}

uint64_t fpu_save(void *area)
{
	uint64_t xcr0;

	if (!has_xsave) {
		fxsave(area);
		return XCR0_X87;
	}
	xcr0 = xgetbv(0);
	xsetbv(0, xcr0_supported);
	xsave(area, xcr0_supported);
	return xcr0;
}

void fpu_load(const void *area, uint64_t xcr0)
{
	if (!has_xsave) {
		fxrstor(area);
		return;
	}
	xsetbv(0, xcr0_supported);
	xrstor(area, xcr0_supported);
	xsetbv(0, xcr0);
}

/* XCR0 bits the hypervisor hands to guests: user state components that
 * come in the groups the architecture requires (SSE with AVX, the three
 * AVX-512 parts together, both AMX parts together). */
static uint64_t xcr0_usable(uint64_t cpu)
{
	const uint64_t avx512 = XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM;
	const uint64_t amx = XCR0_TILECFG | XCR0_TILEDATA;
	uint64_t x = cpu & (XCR0_X87 | XCR0_SSE | XCR0_AVX | avx512 | XCR0_PKRU | amx);

	if ((x & avx512) != avx512 || !(x & XCR0_AVX))
		x &= ~avx512;
	if ((x & amx) != amx)
		x &= ~amx;
	return x;
}

void fpu_init_cpu(void)
{
	bool bsp = cpu_id() == 0;
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	if (bsp)
		has_xsave = cpuid(1, 0).ecx & CPUID1_ECX_XSAVE;
	if (has_xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (!has_xsave) {
		if (bsp)
			log_info("fpu: FXSAVE, %zu-byte areas", area_size);
		return;
	}
	if (bsp) {
		struct cpuid_regs d = cpuid(0xd, 0);

		xcr0_supported = xcr0_usable(d.eax | (uint64_t)d.edx << 32);
	}
	xsetbv(0, xcr0_supported);
	if (bsp) {
		/* EBX: the area size for the components XCR0 enables now. */
		area_size = ALIGN_UP(MAX(cpuid(0xd, 0).ebx, FXSAVE_BYTES + XSAVE_HEADER_BYTES), 64);
		log_info("fpu: XSAVE, components %#llx, %zu-byte areas",
			 (unsigned long long)xcr0_supported, area_size);
	}
}
