#!/usr/bin/env bash
# Run host unit-test binaries, each under a time limit (UNIT_TIMEOUT seconds,
# default 300), and show the output of those that fail.
# usage: tools/run-unit.sh BIN...
# Ends with "unit: N passed, N failed" (binaries); exits 1 if any failed.
set -uo pipefail

limit=${UNIT_TIMEOUT:-300}
passed=0 failed=0
for bin in "$@"; do
	output=$(timeout --foreground -k 5 "$limit" "$bin" 2>&1)
	status=$?
	if ((status == 0)); then
		echo "PASS $bin"
		passed=$((passed + 1))
		continue
	fi
	if ((status == 124 || status == 137)); then
		echo "FAIL $bin: still running after $limit s"
	else
		echo "FAIL $bin: exit status $status"
	fi
	if [[ -n $output ]]; then
		printf '%s\n' "$output" | awk '{ print "    | " $0 }'
	fi
	failed=$((failed + 1))
done
echo "unit: $passed passed, $failed failed"
((failed == 0))
