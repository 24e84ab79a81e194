# shellcheck shell=bash
# Linux VMs that cannot be built, beside one that runs: a truncated bzImage,
# one that claims the too-old boot protocol 2.05, an initrd that does not fit
# between the kernel's end and the top of a 68 MiB VM, and a VM larger than
# the host's free memory. Each is refused with its own message; the demo
# guest runs to its end.
head -c 4000000 build/linux/vmlinuz >"$systest_dir/vmlinuz-truncated"
cp build/linux/vmlinuz "$systest_dir/vmlinuz-old"
printf '\x05\x02' | dd of="$systest_dir/vmlinuz-old" bs=1 seek=$((0x206)) conv=notrunc status=none
linux_modules bigrd "mem=68M"
bigrd=("${modules[@]}")
linux_modules huge "mem=3000M"
make_iso "console=com1" \
	"$systest_dir/vmlinuz-truncated" "vm=truncated mem=128M" \
	"$systest_dir/vmlinuz-old" "vm=old mem=128M" \
	"${bigrd[@]}" "${modules[@]}" build/guests/demo.elf "vm=demo mem=8M"
run_qemu 2 1024
expect_line 'vm truncated: stopped: guest_load: truncated bzImage: [0-9]+ bytes of kernel, the header says [0-9]+$'
expect_line 'vm old: stopped: guest_load: Linux boot protocol 2.05 is too old \(2.06 or later needed\)$'
expect_line "vm bigrd: stopped: guest_load: initrd of [0-9]+ KiB does not fit between the kernel's end \(0x4378000\) and 0x4400000$"
expect_line 'vm huge: stopped: guest RAM of 3000 MiB: only [0-9]+ MiB of host memory is free$'
expect_line 'vm demo: exit status=0$'
expect_line 'hv: all 5 VMs have ended'
expect_no_line 'EXCEPTION|PANIC'
