# shellcheck shell=bash
# Helpers for system tests (sourced by run.sh). A case builds its ISO with
# make_iso, boots it with run_qemu or run_bochs, then checks the serial log
# against the console contract; the first failed check ends the case, its
# reason written to fd 3 for run.sh.

systest_dir=${SYSTEST_DIR:-build/systest}
hv_elf=${HV_ELF:-build/hv.elf}

# Point the helpers at case NAME's files. Set here and by run_*: the case's
# ISO and serial log, the CPUs and MiB the emulator has, its time limit in
# seconds, whether it had to be stopped.
begin_case() {
	iso=$systest_dir/$1.iso
	log=$systest_dir/$1.log
	cpus=0 megs=0 time_limit=0 timed_out=0
}

# End the case as failed with REASON.
fail() {
	echo "$*" >&3
	exit 1
}

# Exit status of a case that cannot run here (run.sh reports it skipped).
skip_status=77

# End the case as skipped: this machine lacks what it needs (REASON).
skip() {
	echo "$*" >&3
	exit "$skip_status"
}

# Build the case's ISO: the hypervisor with CMDLINE, then guest modules as
# tools/mkiso.sh takes them (FILE "MODULE ARGS" pairs).
make_iso() {
	tools/mkiso.sh "$iso" "$hv_elf" "$@" || fail "cannot build the ISO"
}

# Run COMMAND... with no input under time_limit; note if it had to be stopped.
run_limited() {
	local status=0
	timeout --foreground -k 5 "$time_limit" "$@" </dev/null || status=$?
	timed_out=$((status == 124 || status == 137))
}

# Boot the ISO in QEMU with CPUS CPUs and MEGS MiB (then any extra QEMU args).
run_qemu() {
	cpus=$1 megs=$2 time_limit=${qemu_time_limit:-60}
	shift 2
	run_limited tools/qemu.sh "$iso" -smp "$cpus" -m "$megs" "$@" >"$log"
}

# Boot the ISO in Bochs as CPU MODEL with CPUS CPUs and MEGS MiB. The
# guest suite needs about 120 s of a 2.6 GHz host: the limit leaves room
# for a slower one (only a hang waits for it).
run_bochs() {
	cpus=$2 megs=$3 time_limit=300
	run_limited tools/bochs.sh "$iso" "$log" "$1" "$cpus" "$megs"
}

# The serial log as plain lines: no carriage returns, no terminal escapes.
console() {
	sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$log"
}

# Print the first console line matching extended regex PATTERN (none: nothing).
find_line() {
	console | grep -a -m1 -E -- "$1" || true
}

# Print how many console lines match extended regex PATTERN.
count_lines() {
	console | grep -a -c -E -- "$1" || true
}

# Fail unless a console line matches extended regex PATTERN.
expect_line() {
	[[ -n $(find_line "$1") ]] || fail "no line matching \"$1\""
}

# Fail if a console line matches extended regex PATTERN; the reason quotes it.
expect_no_line() {
	local line
	line=$(find_line "$1")
	[[ -z $line ]] || fail "unexpected line: $line"
}

# Fail unless exactly N console lines match extended regex PATTERN.
expect_count() {
	local seen
	seen=$(count_lines "$1")
	((seen == $2)) || fail "$seen lines matching \"$1\", expected $2"
}

# Fail unless the emulator stopped by itself, having printed `hv: poweroff`.
expect_poweroff() {
	((!timed_out)) || fail "hung: still running after ${time_limit} s"
	[[ -n $(find_line 'hv: poweroff') ]] ||
		fail "emulator stopped without 'hv: poweroff' (reset or triple fault?)"
}

# Fail unless the mem line shows usable memory at most 16 MiB below the
# emulator's and free memory below that.
expect_mem() {
	local usable free
	[[ $(find_line 'mem: usable=') =~ mem:\ usable=([0-9]+)\ MiB\ free=([0-9]+)\ MiB ]] ||
		fail "no 'mem: usable=U MiB free=F MiB' line"
	usable=${BASH_REMATCH[1]} free=${BASH_REMATCH[2]}
	((usable <= megs && usable >= megs - 16)) ||
		fail "usable=$usable MiB, expected $((megs - 16))..$megs"
	((free < usable)) || fail "free=$free MiB not below usable=$usable MiB"
}

# Fail unless the boot reached `hv: ready` with N CPUs, each announced online.
expect_ready() {
	local want=$1
	[[ $(find_line 'hv: ready cpus=') =~ hv:\ ready\ cpus=([0-9]+)\ free=[0-9]+\ MiB ]] ||
		fail "boot never reached 'hv: ready cpus=N free=M MiB'"
	((BASH_REMATCH[1] == want)) || fail "ready with cpus=${BASH_REMATCH[1]}, expected $want"
	expect_count 'cpu[0-9]+: online apic=' "$want"
}

# Fail unless the boot went as the console contract says, with CPUS CPUs
# (default: all the emulator's) and no fault, then powered off by itself.
expect_clean_boot() {
	expect_no_line 'EXCEPTION|PANIC'
	expect_poweroff
	expect_line 'hv: x86-64 micro-hypervisor'
	expect_mem
	expect_ready "${1:-$cpus}"
}

# Fail unless the boot CPU reported exception MNEMONIC (e.g. UD) from the
# self-test with a symbolized backtrace, then ended it as a panic=halt
# (the machine stays up).
expect_selftest_exception() {
	expect_line "EXCEPTION #$1 \\(vector [0-9]+\\)"
	expect_line "#[0-9]+ 0x[0-9a-f]+ (\\? )?traps_selftest\\+0x"
	expect_line "hv: halted after the panic"
	expect_no_line "hv: ready"
	((timed_out)) || fail "the machine stopped; a halted CPU should leave it running"
}

# Show the tail of case NAME's serial log, and where its other output went.
show_log() {
	begin_case "$1"
	echo "    --- $log (last 40 lines) ---"
	if [[ -s $log ]]; then
		console | tail -n 40 | cat -v | awk '{ print "    | " $0 }'
	else
		echo "    | (nothing)"
	fi
	echo "    --- build and emulator messages: $systest_dir/$1.out"
}

# The guest suite: "vm name|file|module args|PASS lines expected" for the
# guests that end themselves with status 0 after that many PASS lines.
guest_suite=(
	"modes|modes.bin|mem=16M kind=flat|3"
	"cpuid|cpuid.elf|mem=16M -- expect=hv|7"
	"cpuidmb2|cpuid-mb2.elf|mem=16M -- expect=hv|7"
	"msr|msr.elf|mem=16M -- expect=hv|7"
	"io|io.elf|mem=32M -- expect=hv|6"
	"memtest|memtest.elf|mem=64M -- expect=hv|2"
	"hypercall|hypercall.elf|mem=16M -- expect=hv|12"
	"exceptions|exceptions.elf|mem=16M -- expect=hv|5"
	"exitloop|exitloop.elf|mem=16M -- expect=hv|3"
	"apic|apic.elf|mem=16M|7"
	"timer|timer.elf|mem=16M|6"
	"platform|platform.elf|mem=16M -- @PLATFORM@|7"
)

# The events guest's options where the platform lacks something it checks
# (guests/events): QEMU's SVM drops an STI shadow at a first-touch exit.
events_args="fresh-shadow=0"
# The platform guest's interrupt rates (guests/platform): Bochs cannot take
# a 1 kHz tick with the hypervisor in the loop, so its suites slow both;
# QEMU's TCG, time-sharing the suite's VMs, loses about half of 1024 RTC
# interrupts a second (each costs several ~20 us exits), so it runs 256 Hz.
platform_args="rtc-rs=8"

# Whether the suite includes the triple-faulting guest (see bochs-svm-guests).
suite_triplefault=1

# make_iso arguments for the whole suite, then the guests the hypervisor
# must stop (out-of-bounds write, triple fault; with on_exit=restart, which
# must not restart them) and one more good guest after them, into the
# array `modules`.
suite_modules() {
	local entry name file args
	modules=()
	for entry in "${guest_suite[@]}"; do
		IFS='|' read -r name file args _ <<<"$entry"
		modules+=("build/guests/$file" "vm=$name ${args//@PLATFORM@/$platform_args}")
	done
	modules+=(build/guests/events.elf "vm=events mem=16M -- $events_args")
	# Asked to restart, yet stopped for good: `all N VMs have ended` shows it.
	modules+=(build/guests/oob.elf "vm=oob mem=16M on_exit=restart -- expect=hv")
	((suite_triplefault)) && modules+=(build/guests/triplefault.elf \
		"vm=triplefault mem=16M on_exit=restart on_reboot=restart -- expect=hv")
	modules+=(build/guests/demo.elf "vm=demo mem=8M")
}

# Fail unless VM NAME printed N PASS lines, no FAIL line and exited with status 0.
expect_vm_passed() {
	expect_no_line "^.*\[$1\] FAIL"
	expect_count "\[$1\] PASS " "$2"
	expect_line "vm $1: exit status=0\$"
}

# Fail unless VM NAME was stopped by the hypervisor with a reason matching REGEX.
expect_vm_stopped() {
	expect_line "vm $1: stopped: $2"
}

# Fail unless every guest of the suite ran as expected, with the console
# contract intact and the machine powered off after the last VM.
expect_suite_verdicts() {
	local entry name passes
	expect_no_line 'EXCEPTION|PANIC'
	expect_poweroff
	for entry in "${guest_suite[@]}"; do
		IFS='|' read -r name _ _ passes <<<"$entry"
		expect_vm_passed "$name" "$passes"
	done
	expect_vm_passed events 5
	expect_vm_stopped oob "write at guest-physical 0x2000000 outside guest memory"
	((suite_triplefault)) && expect_vm_stopped triplefault "triple fault"
	expect_vm_passed demo 1
	expect_line "hv: all $((${#guest_suite[@]} + 3 + suite_triplefault)) VMs have ended"
}

# Print the line number of the first console line matching extended regex
# PATTERN (0 if none), for checks of the order in which things happened.
line_number() {
	local n
	n=$(console | grep -a -n -m1 -E -- "$1" | cut -d: -f1)
	echo "${n:-0}"
}

# Fail unless the first line matching FIRST comes before the first matching
# SECOND (both must exist).
expect_before() {
	local a b
	a=$(line_number "$1") b=$(line_number "$2")
	((a > 0)) || fail "no line matching \"$1\""
	((b > 0)) || fail "no line matching \"$2\""
	((a < b)) || fail "\"$1\" (line $a) does not come before \"$2\" (line $b)"
}

# The time-sharing and isolation VMs (owned, spinner, demo) for one CPU
# (cpus=1 on a two-CPU machine): SPIN is each owned round's spin and the
# spinner's length, in million loop iterations.
owned_modules() {
	local spin=$1 rounds=$2 spinner=$3
	modules=(
		build/guests/owned.elf "vm=owneda mem=8M cpus=1 -- mark=1 rounds=$rounds spin=$spin"
		"$systest_dir/owned-b.elf" "vm=ownedb mem=8M cpus=1 -- mark=2 rounds=$rounds spin=$spin delay=$((spin * 2))"
		build/guests/spinner.elf "vm=spinner mem=4M cpus=1 -- spin=$spinner"
		build/guests/demo.elf "vm=demo1 mem=4M cpus=1"
		"$systest_dir/demo-b.elf" "vm=demo2 mem=4M cpus=0"
	)
	cp build/guests/owned.elf "$systest_dir/owned-b.elf"
	cp build/guests/demo.elf "$systest_dir/demo-b.elf"
}

# Fail unless the owned VMs kept their state apart and the spinner shared
# its CPU: ownedb checked its reset state while owneda held its marks, both
# passed everything, and the demos ended before the spinner did.
expect_owned_verdicts() {
	expect_no_line 'EXCEPTION|PANIC'
	expect_poweroff
	expect_vm_passed owneda 5
	expect_vm_passed ownedb 5
	expect_vm_passed spinner 1
	expect_vm_passed demo1 1
	expect_vm_passed demo2 1
	expect_before '\[owneda\] PASS owned: .*XSETBV' '\[ownedb\] PASS owned: x87/SSE in reset state'
	expect_before '\[ownedb\] PASS owned: x87/SSE in reset state' '\[owneda\] PASS owned: mark 1 kept'
	expect_before 'vm demo1: exit status=0' 'vm spinner: exit status=0'
	expect_before 'vm owneda: exit status=0' 'vm spinner: exit status=0'
	expect_line 'hv: all 5 VMs have ended'
}

# The Linux guest (guests/linux/build.sh, built by make into build/linux)
# as VM NAME (default linux) with VM OPTIONS (default mem=256M) and its
# initrd, into `modules`.
linux_modules() {
	local name=${1:-linux} options=${2:-mem=256M}

	[[ -f build/linux/vmlinuz && -f build/linux/initrd.gz ]] ||
		fail "no Linux guest in build/linux: run make build/linux/initrd.gz"
	# Each VM's copy has a name of its own: an ISO holds one file per name.
	cp build/linux/vmlinuz "$systest_dir/vmlinuz-$name"
	cp build/linux/initrd.gz "$systest_dir/initrd-$name.gz"
	modules=(
		"$systest_dir/vmlinuz-$name" "vm=$name $options -- console=ttyS0"
		"$systest_dir/initrd-$name.gz" "vm=$name role=initrd"
	)
}

# The SMP guest with 1, 2 and 4 vCPUs in one boot, into `modules`.
smp_modules() {
	cp build/guests/smp.elf "$systest_dir/smp-2.elf"
	cp build/guests/smp.elf "$systest_dir/smp-4.elf"
	modules=(
		build/guests/smp.elf "vm=smp1 mem=16M -- remap=20"
		"$systest_dir/smp-2.elf" "vm=smp2 mem=16M vcpus=2 -- remap=20"
		"$systest_dir/smp-4.elf" "vm=smp4 mem=16M vcpus=4 -- remap=20"
	)
}

# Fail unless the three SMP VMs passed and computed the same result.
expect_smp_verdicts() {
	local r1 r2 r4
	expect_no_line 'EXCEPTION|PANIC'
	expect_poweroff
	for n in 1 2 4; do
		expect_vm_passed "smp$n" 6
	done
	expect_line 'vm smp4: started on cpu[0-9]+,cpu[0-9]+,cpu[0-9]+,cpu[0-9]+$'
	r1=$(find_line '\[smp1\] result=') r2=$(find_line '\[smp2\] result=') r4=$(find_line '\[smp4\] result=')
	[[ ${r1##*=} == "${r2##*=}" && ${r2##*=} == "${r4##*=}" && -n ${r1##*=} ]] ||
		fail "results differ: '${r1##*=}' '${r2##*=}' '${r4##*=}'"
}

# The restart check's VM: the demo guest, which passes its one check and
# exits at once, in the smallest VM there is, built anew each time.
restart_modules=(build/guests/demo.elf "vm=demo mem=1M on_exit=restart")

# Write the console script that stops the emulator at the demo VM's Nth
# restart into FILE.
restart_steps() {
	echo "expect vm demo: restart $1: host free [0-9]+ KiB, heap [0-9]+ bytes" >"$2"
}

# Fail unless the demo VM (restart_modules) was built anew N times with
# nothing going wrong on the way, and the host's free memory and heap
# right after its Nth build equal those after its first and its (N/2)th:
# restarts leak nothing.
expect_restarts() {
	local n=$1 upto=${log%.log}.upto first half last
	console | sed -E "/vm demo: restart $n: /q" >"$upto"
	# The helpers read $log: judge the console only up to the Nth restart,
	# since the emulator ran on a little before it was stopped.
	local log=$upto
	expect_no_line ' cpu[0-9]+ [EW]: |EXCEPTION|PANIC|stopped|\[demo\] FAIL'
	expect_count 'vm demo: started on cpu[0-9]+$' "$n"
	expect_count '\[demo\] PASS ' "$n"
	expect_count 'vm demo: exit status=0$' "$n"
	expect_count 'vm demo: restarting$' "$n"
	expect_count 'vm demo: restart [0-9]+: host free [0-9]+ KiB, heap [0-9]+ bytes$' "$n"
	first=$(find_line 'vm demo: restart 1: ') half=$(find_line "vm demo: restart $((n / 2)): ")
	last=$(find_line "vm demo: restart $n: ")
	[[ ${first##*host free } == "${half##*host free }" &&
		${first##*host free } == "${last##*host free }" ]] ||
		fail "memory drifted: '${first#*D: }', '${half#*D: }', '${last#*D: }'"
}

# The panic self-test's VMs on a 2-CPU machine: exitloop, in CPUID exits
# for minutes, on CPU 0 (where selftest=panic panics) and the spinner on
# CPU 1.
panic_modules=(
	build/guests/exitloop.elf "vm=exitloop mem=16M cpus=0 -- expect=hv iters=999999999"
	build/guests/spinner.elf "vm=spinner mem=4M cpus=1 -- spin=100000"
)

# Fail unless selftest=panic panicked on CPU 0 with panic_modules running:
# the PANIC line and a backtrace through the self-test's timer, then CPU 0's
# exit trace (its last 16 exits, all exitloop's, CPUIDs among them) and
# CPU 1's last exit (the spinner's), in that order.
expect_panic_report() {
	local exit='E:   tsc\+[0-9]+ vm'
	expect_line 'cpu0 E: PANIC: selftest: panic on purpose$'
	expect_line '#[0-9]+ 0x[0-9a-f]+ (\? )?selftest_panic\+0x'
	expect_line 'exit trace cpu0: the last 16 of [0-9]+ exits, oldest first$'
	expect_count "$exit exitloop vcpu0 [a-z-]+.* rip=0x[0-9a-f]+ code=" 16
	expect_line "$exit exitloop vcpu0 cpuid leaf=0 subleaf=0 rip=0x[0-9a-f]+ code=0x72\$"
	expect_line 'exit trace cpu1: the last 1 of [0-9]+ exits, oldest first$'
	expect_count "$exit spinner vcpu0 [a-z-]+ rip=0x[0-9a-f]+ code=" 1
	expect_before 'PANIC: selftest' 'exit trace cpu0: '
	expect_before 'exit trace cpu0: ' 'exit trace cpu1: '
}

# Write the gdb session of qemu-gdb and bochs-vmx-gdb into FILE: the peek
# guest with 2 vCPUs (gdb_modules), known from its ELF's spin_here symbol.
gdb_modules=(build/guests/peek.elf "vm=peek mem=8M vcpus=2")
gdb_steps() {
	local spin
	spin=$(nm build/guests/peek.elf | awk '$3 == "spin_here" { print $1 }' | sed 's/^0*//')
	[[ -n $spin ]] || fail "no spin_here symbol in peek.elf"
	cat >"$1" <<STEPS
expect Remote debugging using
expect 0x0*$spin in \?\? \(\)
send info threads
expect Thread 1 .*vcpu0 paused
expect Thread 2 .*vcpu1 .*waiting for a start-up IPI
send p/x \$rip
expect = 0x$spin
send x/s 0x380000
expect 0x380000:\s+"peek: the monitor reads this"
send set {int}0x380020 = 0x12345678
send x/wx 0x380020
expect 0x380020:\s+0x12345678
send set \$rax = 0x4242
send p/x \$rax
expect = 0x4242
send set remote set-register-packet off
send set \$rbx = 0x5151
send maint flush register-cache
send p/x \$rbx
expect = 0x5151
send set \$cs = 0x99
expect Could not write registers.*E01
send set remote set-register-packet auto
send p/x \$cr0
expect = 0x8[0-9a-f]{7}
send p \$st0
expect <unavailable>
send x/wx 0x40000000
expect Cannot access memory at address 0x40000000
send monitor vms
expect peek +paused +2
send break *0x$spin
send continue
expect Breakpoint 1, 0x0*$spin in \?\? \(\)
send delete 1
send continue
expect Continuing.
sleep 1
type \\x03
expect received signal SIGINT
send p/x \$rip
expect = 0x$spin
send detach
expect Inferior 1 \(Remote target\) detached
send quit
STEPS
}

# Write the gdb session of qemu-gdb64 and bochs-vmx-gdb64 into FILE: the
# 64-bit gdb64 guest, with its symbols loaded, held by debug=wait at its
# entry point until gdb continues it. A breakpoint in leaf() and
# the backtrace through middle(); ten steps through step_block, each at the
# address of the next instruction of its listing (one of them a CPUID the
# hypervisor emulates; the APIC timer interrupts every millisecond) and TF
# hidden from its PUSHF; a hardware breakpoint on the code the guest copies
# into place and a watchpoint (with `hw` as the second argument); then
# detach, and the guest runs on.
gdb64_modules=(build/guests/gdb64.elf "vm=gdb64 mem=16M debug=wait")
gdb64_steps() {
	local copied addrs a start
	copied=$(nm build/guests/gdb64.elf | awk '$3 == "copied_code" { print $1 }' | sed 's/^0*//')
	start=$(nm build/guests/gdb64.elf | awk '$3 == "_start" { print $1 }' | sed 's/^0*//')
	mapfile -t addrs < <(objdump -d build/guests/gdb64.elf |
		sed -n '/<step_block>:/,/^$/p' | awk -F: '/^ +[0-9a-f]+:/ { print $1 }' | tr -d ' ')
	[[ -n $copied && ${#addrs[@]} -eq 11 ]] || fail "gdb64.elf: no copied_code, or step_block changed"
	{
		cat <<STEPS
expect Remote debugging using
send set confirm off
send file build/guests/gdb64.elf
expect Reading symbols from
send info threads
expect Thread 1 .*vcpu0 paused
send p/x \$pc
expect = 0x$start
send break leaf
expect Breakpoint 1 at 0x
send continue
expect Breakpoint 1, (0x[0-9a-f]+ in )?leaf \(x=
send bt
expect #1 .*middle
expect #2 .*gdb64_main
send print rounds
expect = [1-9][0-9]*
send delete 1
send break step_block
send continue
expect Breakpoint 2, 0x0*${addrs[0]} in step_block
send delete 2
STEPS
		for a in "${addrs[@]:1}"; do
			printf 'send stepi\nexpect 0x0*%s in step_block\n' "$a"
		done
		cat <<STEPS
send print step_tf
expect = 0
send print \$eflags & 0x100
expect = 0
STEPS
		[[ ${2:-} == hw ]] && cat <<STEPS
send hbreak *0x$copied
expect Hardware assisted breakpoint 3 at 0x0*$copied
send continue
expect Breakpoint 3, 0x0*$copied in copied_code
send delete 3
send watch watched
expect Hardware watchpoint 4: watched
send continue
expect Old value = [0-9]+
expect New value = [0-9]+
send delete 4
STEPS
		cat <<STEPS
send monitor vms
expect gdb64 +paused
send detach
expect Inferior 1 \(Remote target\) detached
# Two report lines after the detach (expect_gdb64_own_drs), ~1 s apart
# under QEMU: 3 s was too short on a busy host (one line seen).
sleep 8
STEPS
	} >"$1"
}

# Write the gdb session of qemu-panic-gdb into FILE: the hypervisor's own
# post-mortem after selftest=pf with panic=gdb, with the symbols of hv.elf.
# rip within provoke_page_fault (nm's address and size) before the
# symbols are loaded; the backtrace from the fault through traps_selftest
# and boot_main to the entry; CR2 the address written; code bytes as in
# the ELF; a variable read through its type; page 0, the address that
# faulted, the local APIC's registers and a non-canonical address refused;
# continue answered with the same stop; with `reattach` as the second
# argument a detach and a second attach (Bochs takes one connection
# only); then kill.
panic_gdb_steps() {
	local start size code i bytes=""
	read -r start size < <(nm -S "$hv_elf" | awk '$4 == "provoke_page_fault" { print $1, $2 }')
	[[ -n $start ]] || fail "no provoke_page_fault in $hv_elf"
	code=$(objdump -s --start-address="0x$start" --stop-address=$((0x$start + 4)) "$hv_elf" |
		awk 'END { print $2 }')
	for i in 0 2 4 6; do
		bytes+="\\s+0x${code:i:2}"
	done
	{
		cat <<STEPS
expect Remote debugging using
expect 0x[0-9a-f]+ in \?\? \(\)
send p \$pc >= 0x$start && \$pc < 0x$start + 0x$size
expect \\\$[0-9]+ = 1
send set confirm off
send file $hv_elf
expect Reading symbols from
send bt
expect #0 +0x[0-9a-f]+ in provoke_page_fault \(\)
expect #1 +0x[0-9a-f]+ in traps_selftest \(which=
expect #2 +0x[0-9a-f]+ in boot_main \(
expect #3 +0x[0-9a-f]+ in long_mode \(\)
send info symbol \$pc
expect provoke_page_fault \+ [0-9]+ in section \.text
send p/x \$cr2
expect = 0x7ffffffff000
send x/4xb provoke_page_fault
expect <provoke_page_fault>:$bytes
send p (enum panic_action)hv_options.panic
expect = PANIC_GDB
send p \$st0
expect <unavailable>
send x/xg 0
expect Cannot access memory at address 0x0
send x/xg 0x7ffffffff000
expect Cannot access memory at address 0x7ffffffff000
send x/wx 0xfee00030
expect Cannot access memory at address 0xfee00030
send x/xg 0x8000000000000000
expect Cannot access memory at address 0x8000000000000000
send continue
expect received signal SIGSEGV
send bt 1
expect #0 +0x[0-9a-f]+ in provoke_page_fault \(\)
STEPS
		[[ ${2:-} == reattach ]] && cat <<STEPS
send detach
expect Inferior 1 \(Remote target\) detached
send eval "target remote tcp:127.0.0.1:%d", \$stub_port
expect Remote debugging using
expect in provoke_page_fault \(\)
STEPS
		cat <<STEPS
send kill
expect Inferior 1 \(Remote target\) killed
STEPS
	} >"$1"
}

# After a panic_gdb_steps session: the fault reported, the post-mortem
# served, and gdb's kill resetting the machine; the boot never went on.
expect_panic_gdb_verdicts() {
	expect_line 'EXCEPTION #PF \(vector 14\)'
	expect_line 'hv: serving the panicked state of cpu0 to gdb on COM2$'
	expect_line 'hv: gdb killed the panicked hypervisor$'
	expect_line 'hv: reboot$'
	expect_no_line 'hv: ready|hv: halted'
}

# After a gdb64 session: the guest ran on after the detach, reading its
# own DR7 and DR0 as it wrote them, its own breakpoint firing again.
expect_gdb64_own_drs() {
	local hits
	hits=$(console | sed -n '/gdb: detached from vm gdb64$/,$p' |
		sed -n 's/.*gdb64: round [0-9]*, own DR7 0xd0401 DR0 0x[0-9a-f]*, own #DB hits \([0-9]*\)$/\1/p')
	[[ $(wc -l <<<"$hits") -ge 2 && $(tail -1 <<<"$hits") -gt $(head -1 <<<"$hits") ]] ||
		fail "gdb64 did not run on with its own breakpoint after the detach: $(tr '\n' ' ' <<<"$hits")"
	expect_no_line 'FAIL gdb64'
}

# debug=wait held gdb64 until gdb attached: it printed nothing before.
expect_gdb64_held() {
	expect_before 'vm gdb64: held at its first instruction' 'gdb: attached to vm gdb64$'
	expect_before 'gdb: attached to vm gdb64$' 'gdb64: running'
}

# The exit fuzzer's options where the CPU under the hypervisor falls short
# in what the hypervisor passes through (guests/exitfuzz/fuzz.h): QEMU's TCG
# has no DR7.GD #DB, takes non-canonical FS/GS/SWAPGS bases and LSTAR, and
# drops an STI shadow at an exit (as the events guest's fresh-shadow=0).
exit_fuzz_args=""

# The exit fuzzer with seed SEED until EXITS exits, pinned to CPU 0 with the
# owned guest (FPU, XCR0 and debug registers it must keep) beside it for
# most of the run; memtest and the fuzzer's MMIO accesses across the end
# of the APIC and IOAPIC pages (straddle=1) on CPU 1; into `modules`.
exit_fuzz_modules() {
	cp build/guests/exitfuzz.elf "$systest_dir/exitfuzz-straddle.elf"
	modules=(
		build/guests/exitfuzz.elf "vm=exitfuzz mem=16M cpus=0 -- expect=hv seed=$1 exits=$2 $exit_fuzz_args"
		build/guests/owned.elf "vm=owned mem=8M cpus=0 -- mark=3 rounds=$(($2 / 2500 + 1)) spin=5"
		build/guests/memtest.elf "vm=memtest mem=64M cpus=1 -- expect=hv"
		"$systest_dir/exitfuzz-straddle.elf" "vm=straddle mem=16M cpus=1 -- expect=hv seed=$1 only=mmio straddle=1"
	)
}

# Fail unless the exit fuzzer passed every class with no fault in the
# hypervisor, the VMs beside it passed their own checks, and the MMIO
# access across a page's end stopped its VM with the report (not a guest
# stuck re-faulting on it).
expect_exit_fuzz_verdicts() {
	expect_no_line 'EXCEPTION|PANIC'
	expect_poweroff
	expect_vm_passed exitfuzz 13
	expect_vm_passed owned 5
	expect_vm_passed memtest 2
	expect_vm_stopped straddle 'MMIO access of [248] bytes at guest-physical 0xfe[ce]00f[0-9a-f]{2} crosses into the next page'
	expect_line 'hv: all 4 VMs have ended'
}

# Bad VM configurations and a malformed kernel under FIRMWARE (bios|uefi):
# each VM is reported with its reason and skipped, and the good VM after
# them still runs.
badconfig_case() {
	local bad=$systest_dir/$1-badconfig
	mkdir -p "$bad"
	head -c 200 build/guests/demo.elf >"$bad/truncated.elf"
	cp build/guests/demo.elf "$bad/d1.elf"
	cp build/guests/demo.elf "$bad/d2.elf"
	cp build/guests/demo.elf "$bad/d3.elf"
	make_iso "console=com1 idle=poweroff" \
		"$bad/d1.elf" "vm=unknownkey mem=16M frobnicate=1" \
		"$bad/d2.elf" "vm=tiny mem=512K" \
		"$bad/d3.elf" "vm=offlinecpu mem=16M vcpus=2 cpus=0,7" \
		"$bad/truncated.elf" "vm=truncated mem=16M" \
		build/guests/demo.elf "vm=good mem=16M"
	FIRMWARE=$1 run_qemu 1 256
	expect_no_line 'EXCEPTION|PANIC'
	expect_poweroff
	expect_vm_stopped unknownkey "bad configuration: .*unknown key 'frobnicate'"
	expect_vm_stopped tiny "bad configuration: .*mem"
	expect_vm_stopped offlinecpu "bad configuration: cpus= names cpu7, which is not online \\(1 online\\)"
	expect_vm_stopped truncated "guest_load: "
	expect_vm_passed good 1
	expect_line "hv: all 5 VMs have ended"
}
