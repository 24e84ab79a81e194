#!/usr/bin/env bash
# make bench: print the figures tracked in docs/benchmarks.md.
#   - the memory core on the host (tools/bench-mm.c), if built;
#   - VM-exit round trips (CPUID, port I/O, hypercall; the ping hypercall's
#     handler only sets RAX: the floor) in guest TSC cycles per exit, with the
#     same loop run bare for comparison;
#   - a compute-and-memory workload under the hypervisor divided by the same
#     workload as a bare kernel on the same emulator, in one invocation;
#   - SMP and time: IPI round trip between two vCPUs, TSC-deadline interrupt
#     latency, the cost of switching a CPU to another vCPU (owned state with
#     XSAVE/XRSTOR), exits per second of an idle 4-vCPU guest, and remote TLB
#     flushes requested/done/IPIs while a 4-vCPU guest has memory unmapped;
#     on Bochs VMX also with apicv=off (APIC virtualization inhibited).
#   - Linux with 2 vCPUs under the hypervisor and booted bare by GRUB's
#     linux/initrd on the same emulator: on QEMU the guest's uptime when its
#     /init gives the shell, on Bochs (whose guest clocks follow each
#     kernel's own calibration) the wall time from Bochs' start to the
#     kernel's power-off; their ratio, the VM's exits by reason and its
#     hypervisor memory; on Bochs VMX the exits again with apicv=off.
#   - the console: bytes per second a guest prints through the multiplexer
#     with its console focused (raw) and with the log focused (whole
#     prefixed lines), from the guest's cycles per byte and the TSC rate;
#     the history and exit-trace memory per VM and per CPU (QEMU only).
#   - boot: from boot_main's first instruction to `hv: ready`, no VMs, on
#     QEMU with 1, 4 and 128 CPUs.
# Each platform is QEMU TCG (SVM), Bochs ryzen (SVM) and Bochs skylake (VMX).
# BENCH_ITERS sets the exit loop's iterations (100000), BENCH_REMAPS the
# unmaps of the remap figure (200).
set -euo pipefail

out=build/bench
iters=${BENCH_ITERS:-100000}
remaps=${BENCH_REMAPS:-200}
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

# Build the ISOs of the SMP and time figures: $1 runs the timer guest alone,
# $2 a 4-vCPU SMP guest alone, with the VM-end counters (loglevel=debug);
# $3 adds keys to both VMs' lines (apicv=off).
smp_isos() {
	tools/mkiso.sh "$1" build/hv.elf "console=com1 idle=poweroff" \
		build/guests/timer.elf "vm=timer mem=16M ${3:-}"
	tools/mkiso.sh "$2" build/hv.elf "console=com1 idle=poweroff loglevel=debug" \
		build/guests/smp.elf "vm=smp4 mem=16M vcpus=4 ${3:-} -- remap=$remaps idle-ms=1000"
}

# Print the value of the first "KEY N" (a number after the words KEY) in FILE.
log_number() {
	local v
	v=$(sed -e 's/\r//g' "$1" | grep -a -m1 -o -E "[0-9]+ $2" | cut -d' ' -f1 || true)
	echo "${v:-?}"
}

# Print the SMP and time figures of one platform from the serial logs of
# its timer run ($2) and SMP run ($3).
report_smp() {
	local name=$1 time=$2 log=$3 idle
	idle=$(bench_value "$log" idle_exits)
	printf '%-10s ipi round trip=%s cycles, timer latency=%s (max %s) cycles, ' "$name" \
		"$(bench_value "$log" ipi_roundtrip_cycles)" \
		"$(bench_value "$time" timer_latency_cycles)" \
		"$(bench_value "$time" timer_latency_max_cycles)"
	printf 'vcpu switch=%s cycles, idle exits/s=%s\n' \
		"$(log_number "$log" "cycles each")" "$idle"
	printf '%-10s remap x%s on 4 vCPUs: flushes requested=%s done=%s ipis=%s\n' "$name" \
		"$(bench_value "$log" remap_rounds)" "$(bench_value "$log" flush_requests)" \
		"$(bench_value "$log" flushes_done)" "$(bench_value "$log" flush_ipis)"
}

# Run Bochs (model $1) on ISO $2 writing serial to $3 until a line matches
# $4 (bare guests cannot power Bochs off), at most $5 seconds, with $6 CPUs
# (1) and $7 MiB (256).
bochs_until() {
	local model=$1 iso=$2 serial=$3 pattern=$4 limit=$5 cpus=${6:-1} megs=${7:-256} pid
	rm -f "$serial"
	tools/bochs.sh "$iso" "$serial" "$model" "$cpus" "$megs" >"$serial.out" 2>&1 &
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

# The Linux guest under the hypervisor ($1; $3 adds keys to its VM line)
# and bare under GRUB ($2).
linux_isos() {
	local bare=$out/linux-bare
	tools/mkiso.sh "$1" build/hv.elf "console=com1 idle=poweroff loglevel=debug focus=linux" \
		build/linux/vmlinuz "vm=linux mem=256M vcpus=2 ${3:-} -- console=ttyS0 hv-linux.poweroff" \
		build/linux/initrd.gz "vm=linux role=initrd"
	rm -rf "$bare" && mkdir -p "$bare/boot/grub"
	cp build/linux/vmlinuz build/linux/initrd.gz "$bare/boot/"
	cat >"$bare/boot/grub/grub.cfg" <<-'CFG'
		set timeout=0
		serial --unit=0 --speed=115200
		terminal_output serial
		menuentry linux { linux /boot/vmlinuz console=ttyS0 hv-linux.poweroff; initrd /boot/initrd.gz }
	CFG
	grub-mkrescue --directory=/usr/lib/grub/i386-pc -o "$2" "$bare" >/dev/null 2>&1
}

# Print the first text matching extended regex $2 in FILE $1 (or "?").
log_match() {
	local v
	v=$(sed -e 's/\r//g' "$1" | grep -a -m1 -o -E "$2" || true)
	echo "${v:-?}"
}

# Print the guest uptimes of the Linux boots in hv log $2 and bare log $3.
report_linux_uptime() {
	local name=$1 up_hv up_bare
	up_hv=$(log_match "$2" 'CPUs, up [0-9.]+') up_hv=${up_hv##* }
	up_bare=$(log_match "$3" 'CPUs, up [0-9.]+') up_bare=${up_bare##* }
	printf '%-10s linux boot to the shell: hv=%s s bare=%s s ratio=%s\n' "$name" "$up_hv" \
		"$up_bare" "$(awk -v a="$up_hv" -v b="$up_bare" \
			'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "?" }')"
}

# Print the Linux VM's exits by reason and hypervisor memory from hv log $2.
report_linux_vm() {
	printf '%-10s linux %s\n' "$1" "$(log_match "$2" 'exits by reason:.*')"
	printf '%-10s linux %s\n' "$1" "$(log_match "$2" 'hypervisor memory: .*')"
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
smp_isos "$out/time.iso" "$out/smp.iso"
timeout 300 tools/qemu.sh "$out/time.iso" -smp 2 -m 256 </dev/null >"$out/qemu-svm-time.log" || true
timeout 300 tools/qemu.sh "$out/smp.iso" -smp 2 -m 256 </dev/null >"$out/qemu-svm-smp.log" || true
report_smp qemu-svm "$out/qemu-svm-time.log" "$out/qemu-svm-smp.log"
linux_isos "$out/linux.iso" "$out/linux-bare.iso"
timeout 300 tools/qemu.sh "$out/linux.iso" -smp 2 -m 1024 </dev/null >"$out/qemu-svm-linux.log" || true
QEMU_CPU=qemu64 timeout 300 tools/qemu.sh "$out/linux-bare.iso" -smp 2 -m 256 </dev/null \
	>"$out/qemu-bare-linux.log" || true
report_linux_uptime qemu-svm "$out/qemu-svm-linux.log" "$out/qemu-bare-linux.log"
report_linux_vm qemu-svm "$out/qemu-svm-linux.log"

# Console throughput on QEMU: the peek guest prints 256 KiB with its console
# focused ($1: focus=peek) or the log focused ($1: focus=log).
console_run() {
	tools/mkiso.sh "$out/console-$1.iso" build/hv.elf "console=com1 idle=poweroff loglevel=debug focus=$1" \
		build/guests/peek.elf "vm=peek mem=8M -- print=256"
	timeout 300 tools/qemu.sh "$out/console-$1.iso" -smp 1 -m 256 </dev/null \
		>"$out/qemu-console-$1.log" || true
}

# KiB/s from the cycles per byte of log $1 and its TSC rate.
console_kib_per_s() {
	local cycles khz
	cycles=$(bench_value "$1" console_cycles_per_byte)
	khz=$(log_match "$1" 'tsc: [0-9]+ kHz') khz=${khz#tsc: } khz=${khz% kHz}
	[[ $cycles =~ ^[1-9][0-9]*$ && $khz =~ ^[0-9]+$ ]] || { echo "?"; return; }
	echo $((khz * 1000 / cycles / 1024))
}

echo "== QEMU TCG, boot"
tools/mkiso.sh "$out/boot.iso" build/hv.elf "console=com1 idle=poweroff loglevel=debug"
for cpus in 1 4 128; do
	timeout 120 tools/qemu.sh "$out/boot.iso" -smp "$cpus" -m 256 </dev/null \
		>"$out/qemu-boot-$cpus.log" || true
	printf '%-10s boot, %s CPUs, no VMs: %s\n' qemu-svm "$cpus" \
		"$(log_match "$out/qemu-boot-$cpus.log" 'hv: ready [0-9]+ us')"
done

echo "== QEMU TCG, the console"
console_run peek
console_run log
printf '%-10s console throughput: focused (raw) %s KiB/s, log (lines) %s KiB/s\n' qemu-svm \
	"$(console_kib_per_s "$out/qemu-console-peek.log")" \
	"$(console_kib_per_s "$out/qemu-console-log.log")"
printf '%-10s %s\n' qemu-svm "$(log_match "$out/qemu-console-log.log" 'console: [0-9]+ KiB of history.*')"

tools/mkiso.sh "$out/bare-exitloop.iso" build/guests/exitloop-mb2.elf "iters=$iters"
tools/mkiso.sh "$out/bare-workload.iso" build/guests/workload-mb2.elf ""
for platform in bochs-svm:ryzen bochs-vmx:corei7_skylake_x; do
	name=${platform%%:*} model=${platform##*:}
	echo "== Bochs $model, $iters iterations"
	bochs_until "$model" "$out/hv.iso" "$out/$name.log" 'hv: poweroff' 900
	bochs_until "$model" "$out/bare-exitloop.iso" "$out/$name-bare-exitloop.log" 'DONE exitloop' 600
	bochs_until "$model" "$out/bare-workload.iso" "$out/$name-bare-workload.log" 'DONE workload' 600
	report "$name" "$out/$name.log" "$out/$name-bare-exitloop.log" "$out/$name-bare-workload.log"
	bochs_until "$model" "$out/time.iso" "$out/$name-time.log" 'hv: poweroff' 900 2
	bochs_until "$model" "$out/smp.iso" "$out/$name-smp.log" 'hv: poweroff' 900 2
	report_smp "$name" "$out/$name-time.log" "$out/$name-smp.log"
done
# The same SMP and time figures on VMX with APIC virtualization inhibited.
smp_isos "$out/time-noapicv.iso" "$out/smp-noapicv.iso" apicv=off
bochs_until corei7_skylake_x "$out/time-noapicv.iso" "$out/bochs-vmx-noapicv-time.log" \
	'hv: poweroff' 900 2
bochs_until corei7_skylake_x "$out/smp-noapicv.iso" "$out/bochs-vmx-noapicv-smp.log" \
	'hv: poweroff' 900 2
report_smp "bochs-vmx apicv=off" "$out/bochs-vmx-noapicv-time.log" \
	"$out/bochs-vmx-noapicv-smp.log"
echo "== Bochs corei7_skylake_x, Linux"
start=$SECONDS
bochs_until corei7_skylake_x "$out/linux.iso" "$out/bochs-vmx-linux.log" 'hv: poweroff' 900 2 512
hv_wall=$((SECONDS - start)) start=$SECONDS
BOCHS_IGNORE_BAD_MSRS=1 bochs_until corei7_skylake_x "$out/linux-bare.iso" \
	"$out/bochs-bare-linux.log" 'reboot: Power down' 900 2 256
bare_wall=$((SECONDS - start))
printf '%-10s linux boot to power-off, wall: hv=%s s bare=%s s ratio=%s\n' bochs-vmx "$hv_wall" \
	"$bare_wall" "$(ratio "$hv_wall" "$bare_wall")"
report_linux_vm bochs-vmx "$out/bochs-vmx-linux.log"
linux_isos "$out/linux-noapicv.iso" "$out/linux-bare.iso" apicv=off
bochs_until corei7_skylake_x "$out/linux-noapicv.iso" "$out/bochs-vmx-noapicv-linux.log" \
	'hv: poweroff' 900 2 512
report_linux_vm "bochs-vmx apicv=off" "$out/bochs-vmx-noapicv-linux.log"
