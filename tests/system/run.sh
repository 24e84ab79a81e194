#!/usr/bin/env bash
# Run the system tests: each case tests/system/NAME.sh boots the hypervisor in
# an emulator and checks its serial console (see docs/testing.md).
# usage: tests/system/run.sh [NAME]...   (no NAME: every case)
# HV_ELF picks the hypervisor binary (default build/hv.elf); logs go to
# SYSTEST_DIR (default build/systest).
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/system/lib.sh

if [[ ! -f $hv_elf ]]; then
	echo "$0: $hv_elf missing: run make first" >&2
	exit 2
fi

if (($#)); then
	names=("$@")
else
	names=()
	for file in tests/system/*.sh; do
		name=$(basename "$file" .sh)
		[[ $name == lib || $name == run ]] || names+=("$name")
	done
fi
for name in "${names[@]}"; do
	if [[ $name == lib || $name == run || ! -f tests/system/$name.sh ]]; then
		echo "$0: no such case: $name" >&2
		exit 2
	fi
done

mkdir -p "$systest_dir"
passed=0 failed=0 skipped=0
for name in "${names[@]}"; do
	rm -f "$systest_dir/$name".*
	# The case runs in a subshell that its checks exit; a failing command
	# or an unknown helper fails it too (set -e would be ignored in an `if`).
	reason=$( (
		set -euo pipefail
		begin_case "$name"
		# shellcheck source=/dev/null
		source "tests/system/$name.sh"
	) 3>&1 >"$systest_dir/$name.out" 2>&1)
	status=$?
	if ((status == 0)); then
		echo "PASS $name"
		passed=$((passed + 1))
	elif ((status == skip_status)); then
		echo "SKIP $name: $reason"
		skipped=$((skipped + 1))
	else
		echo "FAIL $name: ${reason:-case script error, see $systest_dir/$name.out}"
		show_log "$name"
		failed=$((failed + 1))
	fi
done
echo "system: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
