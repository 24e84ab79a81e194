#!/usr/bin/env bash
# make bench: print the figures tracked in docs/benchmarks.md.
#   - the memory core on the host (tools/bench-mm.c), if built;
#   - VM-exit round trips (CPUID, port I/O, hypercall; the ping hypercall's
#     handler only sets RAX: the floor) in guest TSC cycles per exit, with the
#     same loop run bare for comparison;
#   - a compute-and-memory workload under the hypervisor divided by the same
#     workload as a bare kernel on the same emulator, in one invocation.
# Each platform is QEMU TCG (SVM), Bochs ryzen (SVM) and Bochs skylake (VMX).
# BENCH_ITERS sets the exit loop's iterations (100000).
set -euo pipefail

out=build/bench
iters=${BENCH_ITERS:-100000}
mkdir -p "$out"

# Print the value of KEY=N from the first "bench:" line of FILE (or "?").
bench_value() {
	local v
	v=$(sed -e 's/\r//g' "$1" | grep -a -m1 -o -E "\\b$2=[0-9]+" | cut -d= -f2 || true)
	echo "${v:-?}"
}

# Ratio A/B with two decimals, or "?".
ratio() {
	[[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || { echo "?"; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# Build an ISO at $1 running the exit loop and the workload as VMs.
hv_iso() {
	tools/mkiso.sh "$1" build/hv.elf "console=com1 idle=poweroff" \
		build/guests/exitloop.elf "vm=exitloop mem=16M -- expect=hv iters=$iters" \
		build/guests/workload.elf "vm=workload mem=32M -- expect=hv"
}

# Run Bochs (model $1) on ISO $2 writing serial to $3 until a line matches
# $4 (bare guests cannot power Bochs off), at most $5 seconds.
bochs_until() {
	local model=$1 iso=$2 serial=$3 pattern=$4 limit=$5 pid
	rm -f "$serial"
	tools/bochs.sh "$iso" "$serial" "$model" 1 256 >"$serial.out" 2>&1 &
	pid=$!
	for ((t = 0; t < limit * 2; t++)); do
		grep -a -q -E "$pattern" "$serial" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# Print the figures of one platform from its hv and bare serial logs.
report() {
	local name=$1 hv=$2 bare_loop=$3 bare_work=$4 hv_work bare
	printf '%-10s exit cycles: cpuid=%s io=%s hypercall(floor)=%s   bare: cpuid=%s io=%s\n' \
		"$name" "$(bench_value "$hv" cpuid_cycles)" "$(bench_value "$hv" io_cycles)" \
		"$(bench_value "$hv" vmcall_cycles)" "$(bench_value "$bare_loop" cpuid_cycles)" \
		"$(bench_value "$bare_loop" io_cycles)"
	hv_work=$(bench_value "$hv" workload_cycles)
	bare=$(bench_value "$bare_work" workload_cycles)
	printf '%-10s workload cycles: hv=%s bare=%s ratio=%s\n' "$name" "$hv_work" "$bare" \
		"$(ratio "$hv_work" "$bare")"
}

if [[ -x build/bench-mm ]]; then
	echo "== memory core (host)"
	build/bench-mm
fi

echo "== QEMU TCG, SVM (qemu64,+svm,+npt), $iters iterations"
hv_iso "$out/hv.iso"
timeout 300 tools/qemu.sh "$out/hv.iso" -smp 1 -m 256 </dev/null >"$out/qemu-svm.log" || true
timeout 120 tools/run-guest-bare.sh exitloop "iters=$iters" >"$out/qemu-bare-exitloop.log" || true
timeout 120 tools/run-guest-bare.sh workload >"$out/qemu-bare-workload.log" || true
report qemu-svm "$out/qemu-svm.log" "$out/qemu-bare-exitloop.log" "$out/qemu-bare-workload.log"

tools/mkiso.sh "$out/bare-exitloop.iso" build/guests/exitloop-mb2.elf "iters=$iters"
tools/mkiso.sh "$out/bare-workload.iso" build/guests/workload-mb2.elf ""
for platform in bochs-svm:ryzen bochs-vmx:corei7_skylake_x; do
	name=${platform%%:*} model=${platform##*:}
	echo "== Bochs $model, $iters iterations"
	bochs_until "$model" "$out/hv.iso" "$out/$name.log" 'hv: poweroff' 900
	bochs_until "$model" "$out/bare-exitloop.iso" "$out/$name-bare-exitloop.log" 'DONE exitloop' 600
	bochs_until "$model" "$out/bare-workload.iso" "$out/$name-bare-workload.log" 'DONE workload' 600
	report "$name" "$out/$name.log" "$out/$name-bare-exitloop.log" "$out/$name-bare-workload.log"
done
