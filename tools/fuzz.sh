#!/usr/bin/env bash
# Run libFuzzer targets, each for FUZZ_SECONDS (default 60) on its seed
# corpus tests/fuzz/corpus/NAME (read, never written) and its dictionary
# tests/fuzz/NAME.dict, keeping what it finds in FUZZ_WORK/corpus/NAME.
# usage: tools/fuzz.sh BIN...
# Prints each target's executions, execs/s and coverage (libFuzzer's final
# cov: edges and ft: features); a crash or a failed invariant fails the
# target, its input kept as FUZZ_WORK/crashes/NAME-*. Ends with
# "fuzz: N passed, N failed"; exits 1 if any failed.
set -uo pipefail

seconds=${FUZZ_SECONDS:-60}
work=${FUZZ_WORK:-build/fuzz}
passed=0 failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpora=("$work/corpus/$name")
	[[ -d tests/fuzz/corpus/$name ]] && corpora+=("tests/fuzz/corpus/$name")
	args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10
	      -artifact_prefix="$work/crashes/$name-")
	[[ -f tests/fuzz/$name.dict ]] && args+=(-dict="tests/fuzz/$name.dict")
	mkdir -p "${corpora[0]}" "$work/crashes"
	log=$work/$name.log
	# Twice the run time: libFuzzer stops itself, this only catches a hang.
	if timeout -k 5 $((2 * seconds + 60)) "$bin" "${args[@]}" "${corpora[@]}" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
		cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
		ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
		printf 'PASS fuzz %-11s %10s execs %8s execs/s  cov: %5s  ft: %6s\n' \
			"$name" "$execs" "$rate" "$cov" "$ft"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz $name (log: $log)"
		grep -E 'invariant failed|ERROR:|SUMMARY:|runtime error|Test unit written' "$log" |
			awk '{ print "    | " $0 }'
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
