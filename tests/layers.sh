#!/usr/bin/env bash
# Tests of tools/check-layers.sh: the tree passes, and each kind of forbidden
# include or name in a small made-up tree fails with the file, the line and
# the arrow it breaks.
set -uo pipefail
cd "$(dirname "$0")/.."
check=$PWD/tools/check-layers.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() {
	echo "PASS layers: $1"
	passed=$((passed + 1))
}
bad() {
	echo "FAIL layers: $1"
	printf '%s\n' "$2" | sed 's/^/    | /'
	failed=$((failed + 1))
}

# A made-up tree: one clean file per room, then FILE with CONTENT added.
tree() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t"/{lib,x86,mm,hv/load,vmx,svm,drivers,boot}
	echo '#include "x86/insn.h"' >"$tmp/t/lib/log.h"
	echo '#include "lib/log.h"' >"$tmp/t/mm/tdp.c"
	echo '#include "hv/load/guest_load.h"' >"$tmp/t/hv/vm.c"
	if (($#)); then
		mkdir -p "$(dirname "$tmp/t/$1")"
		printf '%b\n' "$2" >>"$tmp/t/$1"
	fi
}

# expect_fail NAME EXPECTED-LINE: the check fails and prints that line.
expect_fail() {
	local out
	out=$("$check" "$tmp/t" 2>&1) && { bad "$1: passed" "$out"; return; }
	grep -qF -- "$2" <<<"$out" && ok "$1" || bad "$1: no line '$2'" "$out"
}
expect_pass() {
	local out
	out=$("$check" "$tmp/t" 2>&1) && ok "$1" || bad "$1: failed" "$out"
}

out=$("$check" 2>&1) && ok "the repository" || bad "the repository" "$out"

tree
expect_pass "a clean tree"
tree mm/bad.c '#include "lib/compiler.h"\n#include "hv/vm.h"'
expect_fail "mm includes hv" 'mm/bad.c:2: includes "hv/vm.h": mm/ may not include hv/'
tree drivers/uart.c '#include "boot/main.h"'
expect_fail "drivers include boot" 'drivers/uart.c:1: includes "boot/main.h": drivers/ may not include boot/'
tree lib/x.h '#include "hv/vcpu.h"'
expect_fail "lib includes hv" 'lib/x.h:1: includes "hv/vcpu.h": lib/ may not include hv/'
tree x86/insn.h '#include "lib/compiler.h"'
expect_fail "x86 includes lib" 'x86/insn.h:1: includes "lib/compiler.h": x86/ may not include lib/'
tree vmx/vmx.c '#include "svm/vmcb.h"'
expect_fail "vmx includes svm" 'vmx/vmx.c:1: includes "svm/vmcb.h": vmx/ may not include svm/'
tree hv/load/elf.c '#include "hv/vm.h"'
expect_fail "a sub-room includes its parent" 'hv/load/elf.c:1: includes "hv/vm.h": hv/load/ may not include hv/'
tree boot/main.c '#include "hv/vm.h"\n#include "vmx/vmx.h"'
expect_pass "boot includes every room"
tree mm/tdp.c 'static int ept_levels;'
expect_fail "mm names an EPT format" 'mm/tdp.c: names ept_levels'
tree mm/tdp.c '/* Filled by vmx/ept_pte.c */'
expect_pass "mm mentions EPT in a comment"
tree hv/vm.c 'struct vmcb *v;'
expect_fail "hv names a VMCB" 'hv/vm.c: names vmcb'
tree
LAYERS_RULES='lib: mm
mm: lib' expect_fail "rules with a circle" 'rules: the arrows mm -> lib close a circle'

echo "layers: $passed passed, $failed failed"
((failed == 0))
