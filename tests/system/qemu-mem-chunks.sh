# shellcheck shell=bash
# Guest RAM from whatever host memory is free: on a 512 MiB machine no
# aligned 256 MiB block is free, yet a 192 MiB VM is built from smaller
# blocks beside a 96 MiB one, and memtest writes and reads back every page
# of both (so the nested page tables map all of it) and passes.
cp build/guests/memtest.elf "$systest_dir/memtest-2.elf"
make_iso "console=com1 loglevel=debug" build/guests/memtest.elf "vm=big mem=192M" \
	"$systest_dir/memtest-2.elf" "vm=small mem=96M"
run_qemu 1 512
expect_line 'vm big: 192 MiB of guest RAM in [2-9] host blocks, [1-9] memslots$'
expect_line 'vm small: 96 MiB of guest RAM in [1-9] host blocks, [1-9] memslots$'
expect_line 'vm big: .*pages mapped: [0-9]+ 4K, [1-9][0-9]* 2M'
expect_vm_passed big 2
expect_vm_passed small 2
expect_no_line 'EXCEPTION|PANIC|stopped'
