# shellcheck shell=bash
# Forty module2 lines: the module table is sized to the modules present
# (there used to be a limit of 32), and every one of the forty VMs runs.
dir=$systest_dir/qemu-modules-40
mkdir -p "$dir"
modules=()
for i in $(seq 1 40); do
	cp build/guests/demo.elf "$dir/demo$i.elf"
	modules+=("$dir/demo$i.elf" "vm=demo$i mem=2M")
done
make_iso "console=com1 idle=poweroff" "${modules[@]}"
run_qemu 2 256
expect_clean_boot
for i in $(seq 1 40); do
	expect_vm_passed "demo$i" 1
done
expect_line "hv: all 40 VMs have ended"
