/* The target description both GDB stubs serve (hv/console/gdb_target.h). */
#include <string.h>

#include "hv/console/gdb_packet.h"
#include "hv/console/gdb_target.h"

/* gdb's amd64 numbering: 16 GPRs, rip, eflags, 6 selectors, the x87
 * block, the SSE block, then fs_base/gs_base and our own control
 * registers (gdb_regs.c encodes them in this order). */
static const char target_xml[] =
	"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<target version=\"1.0\"><architecture>i386:x86-64</architecture>"
	"<feature name=\"org.gnu.gdb.i386.core\">"
	"<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>"
	"<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>"
	"<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>"
	"<reg name=\"eflags\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"</feature><feature name=\"org.gnu.gdb.i386.sse\">"
	"<reg name=\"xmm0\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm1\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm2\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm3\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm4\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm5\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm6\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm7\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm8\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm9\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm10\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm11\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm12\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm13\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm14\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"xmm15\" bitsize=\"128\" type=\"uint128\"/>"
	"<reg name=\"mxcsr\" bitsize=\"32\" type=\"int\" group=\"vector\"/>"
	"</feature><feature name=\"org.gnu.gdb.i386.segments\">"
	"<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>"
	"<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>"
	"</feature><feature name=\"org.hv.x86.system\">"
	"<reg name=\"cr0\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"<reg name=\"cr2\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"<reg name=\"cr3\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"<reg name=\"cr4\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"<reg name=\"efer\" bitsize=\"64\" type=\"int64\" group=\"system\"/>"
	"</feature></target>";

void gdb_target_read(const char *annex, char *reply)
{
	size_t total = strlen(target_xml);
	uint64_t off, len;

	if (strncmp(annex, "target.xml:", 11)) {
		strcpy(reply, "E00");
		return;
	}
	annex += 11;
	if (!gdb_parse_range(&annex, &off, &len) || *annex || off > total) {
		strcpy(reply, "E01");
		return;
	}
	len = MIN(len, MIN((uint64_t)(total - off), (uint64_t)GDB_PACKET_MAX - 1));
	reply[0] = off + len < total ? 'm' : 'l';
	memcpy(reply + 1, target_xml + off, len);
	reply[1 + len] = '\0';
}
