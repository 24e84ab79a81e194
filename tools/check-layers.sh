#!/usr/bin/env bash
# The layering check: every #include "..." in the hypervisor's rooms must
# point along an allowed arrow (docs/architecture.md has the same table).
# Also: the allowed arrows form no circle, mm/ code never names an EPT or
# NPT format, and hv/ code never names a VMCS or VMCB.
# usage: tools/check-layers.sh [ROOT]   (default: the repository)
# LAYERS_RULES replaces the table (tests/layers.sh checks the checker).
# Prints one line per violation, "FILE:LINE: ...", and exits 1 if any.
set -euo pipefail
root=${1:-$(dirname "$0")/..}
cd "$root"

# room: the rooms it may include besides itself. Sub-rooms (hv/load) are
# rooms of their own: a file belongs to the longest room that prefixes it.
rules=${LAYERS_RULES:-'
x86:
lib:        x86
cpu:        drivers lib x86
mm:         lib x86
drivers:    lib x86
hv/load:    lib x86
hv/dev:     mm cpu drivers lib x86
hv:         hv/load hv/dev mm drivers cpu lib x86
hv/console: hv hv/load hv/dev mm drivers cpu lib x86
vmx:        hv hv/load hv/dev mm drivers cpu lib x86
svm:        hv hv/load hv/dev mm drivers cpu lib x86
boot:       hv/console hv hv/load hv/dev vmx svm mm drivers cpu lib x86
guests:     lib x86
'}

declare -A allowed=()
rooms=()
while read -r room deps; do
	[[ -n $room ]] || continue
	room=${room%:}
	rooms+=("$room")
	allowed[$room]=" $deps "
done <<<"$rules"

# The room of a path: the longest room name that is a prefix of it.
room_of() {
	local path=$1 best="" r
	for r in "${rooms[@]}"; do
		if [[ $path == "$r"/* && ${#r} -gt ${#best} ]]; then
			best=$r
		fi
	done
	printf '%s' "$best"
}

failed=0
fail() {
	echo "$1"
	failed=1
}

# The arrows themselves must not make a circle (depth-first search).
declare -A state=()
visit() {
	local r=$1 d
	state[$r]=active
	for d in ${allowed[$r]}; do
		[[ -n ${allowed[$d]+set} ]] || fail "rules: $r may include unknown room $d"
		case ${state[$d]:-} in
		active) fail "rules: the arrows $r -> $d close a circle" ;;
		done) ;;
		*) visit "$d" ;;
		esac
	done
	state[$r]=done
}
for r in "${rooms[@]}"; do
	[[ -n ${state[$r]:-} ]] || visit "$r"
done

mapfile -t files < <(find "${rooms[@]%%/*}" -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) 2>/dev/null | sort -u)
for file in "${files[@]}"; do
	from=$(room_of "$file")
	[[ -n $from ]] || continue
	while IFS=: read -r line target; do
		to=$(room_of "$target")
		[[ -z $to || $to == "$from" ]] && continue
		[[ ${allowed[$from]} == *" $to "* ]] ||
			fail "$file:$line: includes \"$target\": $from/ may not include $to/"
	done < <(awk -F'"' '/^[[:space:]]*#[[:space:]]*include[[:space:]]*"/ { print FNR ":" $2 }' "$file")
done

# Names that must not appear in code (comments may explain the design).
code_names() {
	local pattern=$1 file
	shift
	for file in "$@"; do
		gcc -fpreprocessed -dD -E -P -x c "$file" 2>/dev/null |
			grep -oE "$pattern" | head -n 1 | sed "s|^|$file: names |"
	done
}
mapfile -t mm_files < <(find mm -name '*.[ch]' 2>/dev/null | sort)
mapfile -t hv_files < <(find hv -name '*.[ch]' 2>/dev/null | sort)
while read -r hit; do
	[[ -n $hit ]] && fail "$hit (mm/ reaches entry formats only through mm/tdp_pte.h)"
done < <(code_names '\<([Ee][Pp][Tt]|[Nn][Pp][Tt])_[A-Za-z0-9_]*' "${mm_files[@]}")
while read -r hit; do
	[[ -n $hit ]] && fail "$hit (hv/ reaches the vendor only through hv/vendor.h)"
done < <(code_names '\<[A-Za-z0-9_]*([Vv][Mm][Cc][SsBb])[A-Za-z0-9_]*' "${hv_files[@]}")

if ((failed)); then
	echo "layers: forbidden includes or names (the table is in tools/check-layers.sh)"
	exit 1
fi
echo "layers: ${#files[@]} files, every include on an allowed arrow"
