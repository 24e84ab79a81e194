#!/usr/bin/env bash
# The exit-path fuzzer (guests/exitfuzz) for FUZZ_EXITS (10^6) exits: the
# system case qemu-exit-fuzz with a seed of its own, FUZZ_EXIT_SEED or one
# from the clock, logs in FUZZ_WORK/exits (build/fuzz/exits).
# usage: tools/fuzz-exits.sh   (after make build/hv.elf guests)
# Prints "PASS fuzz exits N exits R exits/s seed S" like tools/fuzz.sh, or
# "FAIL fuzz exits" with the case's reason and the command that replays
# the run; exits 1 on a failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

exits=${FUZZ_EXITS:-1000000}
seed=${FUZZ_EXIT_SEED:-$(($(date +%s%N) / 1000 % 1000000000))}
work=${FUZZ_WORK:-build/fuzz}/exits
mkdir -p "$work"
start=$(date +%s%N)
EXIT_FUZZ_EXITS=$exits EXIT_FUZZ_SEED=$seed SYSTEST_DIR=$work \
	tests/system/run.sh qemu-exit-fuzz >"$work/run.out" 2>&1
status=$?
ms=$((($(date +%s%N) - start) / 1000000))
if ((status == 0)); then
	done_line=$(grep -a -m1 'PASS exitfuzz: seed' "$work/qemu-exit-fuzz.log")
	taken=$(sed -n 's/.* steps, \([0-9]*\) exits.*/\1/p' <<<"$done_line")
	printf 'PASS fuzz %-11s %10s exits %8s exits/s  seed %s  %s s\n' exits "$taken" \
		"$((taken * 1000 / (ms ? ms : 1)))" "$seed" "$((ms / 1000))"
else
	echo "FAIL fuzz exits (seed $seed; log: $work/qemu-exit-fuzz.log)"
	grep -a -m1 '^FAIL' "$work/run.out" | awk '{ print "    | " $0 }'
	echo "    replay: EXIT_FUZZ_SEED=$seed EXIT_FUZZ_EXITS=$exits tests/system/run.sh qemu-exit-fuzz"
fi
exit $((status != 0))
