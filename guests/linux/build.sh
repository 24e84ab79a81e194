#!/usr/bin/env bash
# The Linux guest for tests and `make run`: Debian's cloud kernel (the
# package linux-image-cloud-amd64 depends on) and busybox-static, fetched
# with `apt-get download` (no root needed), unpacked with `dpkg -x`, and an
# initramfs whose /init (guests/linux/init) starts a shell on the console.
#   guests/linux/build.sh OUTDIR    -> OUTDIR/vmlinuz, OUTDIR/initrd.gz
# The downloads are kept in OUTDIR/debs: a second run fetches nothing.
set -euo pipefail

out=${1:?usage: $0 OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/debs"
out=$(cd "$out" && pwd)

# Download package $1 into debs/ unless a .deb of it is there already.
fetch() {
	compgen -G "$out/debs/$1_*.deb" >/dev/null && return
	(cd "$out/debs" && apt-get download "$1" 2>&1 | { grep -v '^W: Download is performed unsandboxed' || true; }) ||
		{ echo "$0: apt-get download $1 failed" >&2; exit 1; }
}

if [[ ! -f $out/vmlinuz ]]; then
	kernel=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '/Depends: linux-image-/ { print $2; exit }')
	[[ -n $kernel ]] || { echo "$0: no linux-image-cloud-amd64 in the package lists (apt-get update?)" >&2; exit 1; }
	fetch "$kernel"
	rm -rf "$out/kernel"
	dpkg -x "$out"/debs/"$kernel"_*.deb "$out/kernel"
	cp "$out"/kernel/boot/vmlinuz-* "$out/vmlinuz.tmp"
	mv "$out/vmlinuz.tmp" "$out/vmlinuz"
	rm -rf "$out/kernel"
fi

if [[ ! -f $out/initrd.gz || $here/init -nt $out/initrd.gz ]]; then
	fetch busybox-static
	root=$out/rootfs
	rm -rf "$root" "$out/busybox"
	dpkg -x "$out"/debs/busybox-static_*.deb "$out/busybox"
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
	cp "$out/busybox/bin/busybox" "$root/bin/busybox"
	cp "$here/init" "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -9 >"$out/initrd.tmp"
	mv "$out/initrd.tmp" "$out/initrd.gz"
	rm -rf "$root" "$out/busybox"
fi
