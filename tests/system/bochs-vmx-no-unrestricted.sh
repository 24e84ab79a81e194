# shellcheck shell=bash
# A VMX CPU without unrestricted guest (corei5_lynnfield_750): the
# hypervisor says which controls are missing, reports the VM as unable to
# run, and still boots and powers off cleanly.
make_iso "console=com1 idle=poweroff" build/guests/demo.elf "vm=demo mem=16M"
run_bochs corei5_lynnfield_750 1 256
expect_clean_boot 1
expect_line "vmx: the CPU lacks .*control"
expect_vm_stopped demo "no hardware virtualization"
