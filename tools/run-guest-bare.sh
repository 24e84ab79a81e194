#!/usr/bin/env bash
# Run the test guests (guests/README.md) directly under QEMU, without the
# hypervisor: the "bare" half of every bare-vs-virtualized comparison.
#
#   tools/run-guest-bare.sh GUEST [CMDLINE]
#       boot build/guests/GUEST (modes: -bios; cpuid-mb2: a GRUB ISO; the rest:
#       -kernel, multiboot v1) with CMDLINE (default "expect=bare"), serial on
#       stdout; exit with the guest's own status, 0 also after a triple fault.
#   tools/run-guest-bare.sh --all
#       run every guest, check its exit and its number of PASS lines, print
#       PASS/FAIL guest-NAME per guest and `guests-bare: N passed, N failed`.
#
# GUEST_DIR (build/guests), GUEST_TIMEOUT (seconds per guest, 60) and
# GUEST_MEM (MiB, 64) override the defaults. The CPU is qemu64 without the
# hypervisor bit QEMU sets by default: bare means no hypervisor to see.
set -euo pipefail

GUEST_DIR=${GUEST_DIR:-build/guests}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-60}
GUEST_MEM=${GUEST_MEM:-64}

# name, PASS lines, how it ends: "exit" (isa-debug-exit, status 0) or
# "shutdown" (QEMU stops on a triple fault under -no-reboot), and a line the
# output must contain ("-": none).
GUESTS=(
	"modes 3 exit -"
	"cpuid 7 exit -"
	"cpuid-mb2 7 exit (multiboot v2, command line \"expect=bare\")"
	"msr 7 exit -"
	"io 6 exit -"
	"memtest 2 exit -"
	"hypercall 10 exit -"
	"exceptions 5 exit -"
	"oob 1 exit oob: wrote beyond RAM"
	"triplefault 0 shutdown triplefault: raising int3 with an empty IDT"
	"exitloop 3 exit bench: cpuid_cycles="
	"workload 2 exit bench: workload_cycles="
	"demo 1 exit -"
)

die() {
	echo "$0: $*" >&2
	exit 2
}

# Prints the QEMU arguments that boot guest $1 with command line $2.
boot_args() {
	local name=$1 cmdline=$2 iso
	case $name in
	modes)
		[[ -f $GUEST_DIR/modes.bin ]] || die "no $GUEST_DIR/modes.bin: run make guests"
		echo "-bios $GUEST_DIR/modes.bin"
		;;
	*-mb2)
		[[ -f $GUEST_DIR/$name.elf ]] || die "no $GUEST_DIR/$name.elf: run make guests"
		iso=$GUEST_DIR/$name.iso
		tools/mkiso.sh "$iso" "$GUEST_DIR/$name.elf" "$cmdline" || die "cannot build $iso"
		echo "-cdrom $iso -boot d"
		;;
	*)
		[[ -f $GUEST_DIR/$name.elf ]] || die "no $GUEST_DIR/$name.elf: run make guests"
		echo "-kernel $GUEST_DIR/$name.elf"
		;;
	esac
}

# Runs guest $1 with command line $2; serial output on stdout. Returns QEMU's
# status: (guest status << 1) | 1 after isa-debug-exit, 0 after a triple
# fault, 124 on timeout.
run_qemu() {
	local name=$1 cmdline=$2 args append=()
	args=$(boot_args "$name" "$cmdline") || exit 2
	[[ $args == -kernel* ]] && append=(-append "$cmdline")
	# shellcheck disable=SC2086 # args is a list of words
	timeout "$GUEST_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu qemu64,-hypervisor \
		-m "$GUEST_MEM" -display none -monitor none -serial stdio -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 $args "${append[@]}" </dev/null
}

# Runs one row of GUESTS; prints PASS/FAIL guest-NAME; returns nonzero on FAIL.
check_guest() {
	local name=$1 want_pass=$2 want_end=$3 want_line=$4 log status=0 end passes why=
	log=$(run_qemu "$name" "expect=bare" 2>&1) || status=$?
	case $status in
	0) end=shutdown ;;
	124) end=timeout ;;
	*) if ((status % 2)); then end="exit $((status >> 1))"; else end="qemu status $status"; fi ;;
	esac
	passes=$(grep -c "^PASS $name: \|^PASS ${name%-mb2}: " <<<"$log" || true)
	if [[ $want_end == exit && $end != "exit 0" ]] || [[ $want_end == shutdown && $end != shutdown ]]; then
		why="ended by $end, want ${want_end/exit/exit 0}"
	elif grep -q '^FAIL ' <<<"$log"; then
		why=$(grep -m1 '^FAIL ' <<<"$log")
	elif ((passes != want_pass)); then
		why="$passes PASS lines, want $want_pass"
	elif [[ $want_line != - ]] && ! grep -qF "$want_line" <<<"$log"; then
		why="no line \"$want_line\""
	fi
	if [[ -z $why ]]; then
		echo "PASS guest-$name"
		return 0
	fi
	echo "FAIL guest-$name: $why"
	tail -n 20 <<<"$log" | sed 's/^/    /'
	return 1
}

run_all() {
	local row name want_pass want_end want_line passed=0 failed=0
	for row in "${GUESTS[@]}"; do
		read -r name want_pass want_end want_line <<<"$row"
		if check_guest "$name" "$want_pass" "$want_end" "$want_line"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	done
	echo "guests-bare: $passed passed, $failed failed"
	((failed == 0))
}

(($# >= 1 && $# <= 2)) || die "usage: $0 GUEST [CMDLINE] | --all"
if [[ $1 == --all ]]; then
	(($# == 1)) || die "usage: $0 --all"
	run_all
	exit
fi
status=0
run_qemu "$1" "${2:-expect=bare}" || status=$?
((status == 0 || status == 124 || status % 2 == 0)) && exit "$status"
exit $((status >> 1))
