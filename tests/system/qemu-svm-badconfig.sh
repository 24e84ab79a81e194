# shellcheck shell=bash
# Bad VM configurations and a malformed kernel: each VM is reported with
# its reason and skipped, and the good VM after them still runs.
bad=$systest_dir/qemu-svm-badconfig
mkdir -p "$bad"
head -c 200 build/guests/demo.elf >"$bad/truncated.elf"
cp build/guests/demo.elf "$bad/d1.elf"
cp build/guests/demo.elf "$bad/d2.elf"
cp build/guests/demo.elf "$bad/d3.elf"
make_iso "console=com1 idle=poweroff" \
	"$bad/d1.elf" "vm=unknownkey mem=16M frobnicate=1" \
	"$bad/d2.elf" "vm=tiny mem=512K" \
	"$bad/d3.elf" "vm=offlinecpu mem=16M vcpus=2 cpus=0,7" \
	"$bad/truncated.elf" "vm=truncated mem=16M" \
	build/guests/demo.elf "vm=good mem=16M"
run_qemu 1 256
expect_no_line 'EXCEPTION|PANIC'
expect_poweroff
expect_vm_stopped unknownkey "bad configuration: .*unknown key 'frobnicate'"
expect_vm_stopped tiny "bad configuration: .*mem"
expect_vm_stopped offlinecpu "bad configuration: cpus= names cpu7, which is not online \\(1 online\\)"
expect_vm_stopped truncated "guest_load: "
expect_vm_passed good 1
expect_line "hv: all 5 VMs have ended"
