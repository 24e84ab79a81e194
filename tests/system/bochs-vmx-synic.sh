# shellcheck shell=bash
# The Hyper-V SynIC and synthetic timers under VMX in Bochs
# (corei7_skylake_x, two CPUs): the synic guest's checks as under SVM.
make_iso "console=com1 idle=poweroff" \
	build/guests/synic.elf "vm=synic mem=16M vcpus=2 hyperv=on -- expect=hv"
run_bochs corei7_skylake_x 2 256
expect_no_line 'EXCEPTION|PANIC'
expect_poweroff
expect_vm_passed synic 17
