#!/bin/bash
# Build newlib's C library for the hypervisor and install it into PREFIX:
# PREFIX/include (headers) and PREFIX/lib/libc.a. The Makefile runs this
# once, when PREFIX/lib/libc.a is missing. See docs/newlib.md for every
# choice made here.
#
# usage: tools/build-newlib.sh PREFIX
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 PREFIX" >&2
	exit 2
fi
TARBALL=/usr/src/newlib/newlib-3.3.0.tar.xz
PREFIX=$(realpath -m "$1")
WORK="$PREFIX-build"		# sources, objects and the log
SRC="$WORK/newlib-salsa"
OBJ="$WORK/obj"
LOG="$WORK/build.log"
TOOLS=$(dirname "$(realpath "$0")")

# The hypervisor's code-generation flags (HV_CFLAGS in the Makefile), so
# libc code follows the same rules: no SSE/x87, no red zone, frame pointers
# for backtraces. -UMISSING_SYSCALL_NAMES makes libc call the OS hooks by
# their underscored names (_write, _sbrk) instead of write, sbrk.
TARGET_CFLAGS="-O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
-mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-omit-frame-pointer \
-UMISSING_SYSCALL_NAMES"

# Sources that pass or return floating point values, which cannot compile
# without SSE, and the sources that need them (dtoastub, gdtoa-gethex,
# gdtoa-hexnan, ldtoa). All are float conversions the hypervisor never uses.
FLOAT_STDLIB=(__adjust __exp10 __ten_mu atof atoff drand48 dtoa dtoastub ecvtbuf
	efgcvt erand48 gdtoa-gethex gdtoa-hexnan ldtoa mprec strtod wcstod)
FLOAT_TIME=(difftime)

# What libc.a may reference without defining: the OS hooks (the glue in
# lib/newlib_glue.c supplies those the hypervisor pulls in), and symbols
# referenced only by members the hypervisor does not use (aligned_alloc,
# arc4random, dbopen, psignal, rpmatch, towctrans_l, __libc_init_array,
# the fortify and stack-protector checks). Anything else means a dropped
# float object is still needed.
OS_HOOKS=(_close _execve _exit _fcntl _fork _fstat _getpid _gettimeofday
	_isatty _kill _link _lseek _mkdir _open _read _sbrk _stat _times _unlink
	_wait _write)
UNUSED_REFS=(_fini _init _jp2uc_l _uc2jp_l close getentropy lseek open
	posix_memalign read regcomp regexec regfree sigprocmask unlink write)

fail() {
	echo "build-newlib: $*" >&2
	exit 1
}

# Run a build step, its output going to the log only (its tail on failure).
step() {
	echo "+ $*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 && return
	tail -n 30 "$LOG" >&2
	fail "'$*' failed; full log: $LOG"
}

# Take objects out of the generated Makefile of libc/DIR, so they are
# neither compiled nor archived. Fails if newlib no longer has one of them.
drop_objects() {
	local mk="$OBJ/x86_64-elf/newlib/libc/$1/Makefile" name
	shift
	for name in "$@"; do
		grep -q "\blib_a-$name\.\$(OBJEXT)" "$mk" ||
			fail "lib_a-$name not listed in $mk"
		sed -i "s/\blib_a-$name\.\$(OBJEXT)//g" "$mk"
	done
}

# Fail unless every symbol libc.a references but does not define is expected.
check_imports() {
	local unexpected
	unexpected=$(comm -23 \
		<(nm "$1" 2>/dev/null | awk '$1 == "U" { print $2 }' | sort -u) \
		<({ nm --defined-only "$1" 2>/dev/null | awk 'NF == 3 { print $3 }'
		    printf '%s\n' "${OS_HOOKS[@]}" "${UNUSED_REFS[@]}"; } | sort -u))
	[ -z "$unexpected" ] || fail "libc.a references unknown symbols: ${unexpected//$'\n'/ }"
}

[ -f "$TARBALL" ] || { echo "build-newlib: $TARBALL missing: run tools/deps.sh" >&2; exit 1; }
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL	# no settings from an outer make
SECONDS=0
rm -rf "$WORK"
mkdir -p "$OBJ"
: >"$LOG"
echo "build-newlib: building newlib's libc into $PREFIX (log: $LOG)"

step tar -xJf "$TARBALL" -C "$WORK"
cd "$OBJ"
step "$SRC/configure" --target=x86_64-elf --prefix="$PREFIX" \
	--disable-multilib --disable-newlib-supplied-syscalls \
	--disable-newlib-io-float --enable-newlib-io-long-long \
	--enable-newlib-io-c99-formats \
	CC_FOR_TARGET=gcc AS_FOR_TARGET=as AR_FOR_TARGET=ar LD_FOR_TARGET=ld \
	NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib STRIP_FOR_TARGET=strip \
	OBJCOPY_FOR_TARGET=objcopy OBJDUMP_FOR_TARGET=objdump \
	READELF_FOR_TARGET=readelf CFLAGS_FOR_TARGET="$TARGET_CFLAGS"
step make configure-target-newlib
drop_objects stdlib "${FLOAT_STDLIB[@]}"
drop_objects time "${FLOAT_TIME[@]}"
# Only libc: the target-specific headers, then the library (libm and the
# math objects newlib copies from libm into libc.a all need SSE).
step make -C x86_64-elf/newlib stmp-targ-include
step make -j2 -C x86_64-elf/newlib/libc AR_FLAGS=rc

LIBC="$OBJ/x86_64-elf/newlib/libc/libc.a"
check_imports "$LIBC"
"$TOOLS/check-no-sse.sh" "$LIBC" || fail "libc.a must not use SSE/x87 registers"

# Headers: newlib's generic ones overlaid with the configured ones (newlib.h,
# machine headers), the same two -isystem directories libc was built with.
rm -rf "$PREFIX/include"
mkdir -p "$PREFIX/include" "$PREFIX/lib"
cp -R "$SRC/newlib/libc/include/." "$OBJ/x86_64-elf/newlib/targ-include/." \
	"$PREFIX/include/"
# The archive goes last, under its final name only when complete: the
# Makefile takes its presence to mean the whole install is done.
cp "$LIBC" "$PREFIX/lib/libc.a.tmp"
mv "$PREFIX/lib/libc.a.tmp" "$PREFIX/lib/libc.a"
echo "build-newlib: done in ${SECONDS}s ($(du -h "$PREFIX/lib/libc.a" | cut -f1) libc.a)"
