#!/bin/bash
# Fail if compiled code uses SSE/AVX or x87/MMX registers. The hypervisor
# never saves guest FPU state on exits, so its own code must leave those
# registers alone (-mgeneral-regs-only); this proves it for a linked ELF, an
# object or an archive.
#
# usage: tools/check-no-sse.sh FILE    (exit 1 and the offending functions)
#
# Only .text and .text.* are checked: .boot holds 32-bit startup code and
# data, which a 64-bit disassembly would misread. Explicit FPU state
# management (fxsave, xrstor, fninit, fldcw, ...) is allowed: it saves or
# loads guest state and computes nothing.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	echo "usage: $0 FILE" >&2
	exit 2
fi

disasm=$(objdump -d --no-show-raw-insn "$1") || exit 2
offenders=$(awk '
	/^In archive / { archive = 1; next }
	/:[ \t]+file format / { member = $1; sub(/:$/, "", member); next }
	/^Disassembly of section / {
		section = $4; sub(/:$/, "", section)
		checked = section ~ /^\.text(\..*)?$/
		next
	}
	/^[0-9a-f]+ <.*>:$/ {
		fn = $2; gsub(/^<|>:$/, "", fn)
		next
	}
	checked && /^ *[0-9a-f]+:\t/ {
		insn = $0
		sub(/^ *[0-9a-f]+:\t/, "", insn)
		sub(/[ \t]*[<#].*/, "", insn)	# symbol annotations, comments
		split(insn, word, " ")
		i = 1
		while (word[i] ~ /^(rep|repz|repnz|repe|repne|lock|data16|addr32|notrack|bnd|cs|ds|es|fs|gs|ss)$/)
			i++
		mnemonic = word[i]
		x87 = mnemonic ~ /^f/ && mnemonic !~ /^f(n?save|rstor|xsave|xrstor|n?init|n?clex|n?stcw|ldcw|n?stsw|n?stenv|ldenv|wait|nop)/
		if (x87 || mnemonic ~ /^(emms|vzeroupper|vzeroall)$/ ||
		    insn ~ /%([xyz]mm[0-9]|mm[0-7]|st|k[0-7])/) {
			where = archive ? member ": " fn : fn
			if (!(where in seen))
				print where "\t" insn
			seen[where] = 1
		}
	}
' <<<"$disasm")

if [ -n "$offenders" ]; then
	echo "check-no-sse: $1 uses SSE/AVX/x87 registers in these functions (first use shown):" >&2
	sed 's/^/  /; s/\t/   /' <<<"$offenders" >&2
	exit 1
fi
