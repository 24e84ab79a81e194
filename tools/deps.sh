#!/bin/bash
# Check that the Debian packages the build and the tests need are installed;
# install the missing ones when run as root, else print the command to run.
set -euo pipefail

# libc6-dev is only a recommendation of gcc, but the host unit tests and
# newlib's configure need the host C library's headers and crt files. The
# fuzz targets need clang and its runtime libraries (libFuzzer, ASan,
# UBSan), which clang only recommends.
PACKAGES="gcc libc6-dev binutils make grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf
	qemu-system-x86 bochs bochsbios vgabios newlib-source libcmocka-dev
	xz-utils cpio python3-pexpect gdb clang libclang-rt-14-dev"

missing=()
for pkg in $PACKAGES; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' ||
		missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

install=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: install them with: sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${install[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive "${install[@]}"
