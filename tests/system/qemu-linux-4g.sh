# shellcheck shell=bash
# A Linux VM larger than 3 GiB (QEMU TCG with 4 GiB, an EPYC CPU for its
# 1 GiB pages): its RAM runs to the PCI hole and continues at 4 GiB as a
# memslot of its own, the e820 map says so, Linux counts all of it, and the
# nested page tables map a whole aligned GiB with one 1 GiB page.
linux_modules big "mem=3328M"
make_iso "console=com1 loglevel=debug focus=big" "${modules[@]}"
cat >"$systest_dir/qemu-linux-4g.steps" <<'STEPS'
expect \[ *[0-9.]+\] BIOS-e820: \[mem 0x0000000000100000-0x00000000bfffffff\] usable
expect \[ *[0-9.]+\] BIOS-e820: \[mem 0x0000000100000000-0x000000010fffffff\] usable
expect hv-linux: shell on ttyS0 with 1 CPUs
expect / # 
send dmesg -n 1
send awk '/MemTotal/ { print ($2 > 3072 * 1024 ? "more" : "less") "-than-3-gib" }' /proc/meminfo
expect more-than-3-gib
send poweroff -f
expect vm big: power off, exit status=0
expect vm big: .*pages mapped: [0-9]+ 4K, [0-9]+ 2M, [0-9]+ 1G; memory core
STEPS
reason=$(python3 tests/system/console_session.py "$iso" "$log" \
	"$systest_dir/qemu-linux-4g.steps" -smp 1 -m 4096 -cpu EPYC) || fail "linux shell: $reason"
expect_line 'vm big: 3328 MiB of guest RAM in [0-9]+ host blocks, [2-9][0-9]* memslots$'
expect_line 'vm big: .*pages mapped: [0-9]+ 4K, [1-9][0-9]* 2M, [1-9][0-9]* 1G'
expect_no_line 'EXCEPTION|PANIC'
