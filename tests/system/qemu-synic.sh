# shellcheck shell=bash
# The Hyper-V SynIC and synthetic timers under SVM+NPT in QEMU TCG (the
# emulated vLAPIC): the synic guest with two vCPUs and hyperv=on, and the
# same guest in a VM with hyperv=off, where every SynIC and stimer MSR
# raises #GP and port 0x3000 is empty.
cp build/guests/synic.elf "$systest_dir/synic-off.elf"
make_iso "console=com1 idle=poweroff" \
	build/guests/synic.elf "vm=synic mem=16M vcpus=2 hyperv=on -- expect=hv" \
	"$systest_dir/synic-off.elf" "vm=synicoff mem=16M -- expect=hv off=1"
run_qemu 2 256
expect_no_line 'EXCEPTION|PANIC'
expect_poweroff
expect_vm_passed synic 17
expect_vm_passed synicoff 2
# Bad testdev requests are refused and logged once: the first (destroying
# a route that does not exist) is logged, the unknown ctl after it is not.
expect_line 'vdev: vm synic: hyperv-testdev request 0x20006 refused: no such route \(logged once\)'
expect_no_line 'hyperv-testdev request 0x90000'
