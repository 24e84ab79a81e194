# shellcheck shell=bash
# APIC IDs above 255, which only x2APIC reaches: QEMU's TCG (7.2) has no
# x2APIC and refuses more than 255 CPUs without it, so this case runs on
# KVM (skipped where /dev/kvm is not usable), with no VM: booting needs
# no nested virtualization. The q35 machine gets sockets of 144 cores,
# which puts socket 1 at APIC ID 256, and CPUs are plugged there at cores
# 0 and 143: APIC IDs 0, 1, 256 and 399, found in the MADT's x2APIC
# entries and started in x2APIC mode, numbered in the MADT's order.
[[ -r /dev/kvm && -w /dev/kvm ]] || skip "no usable /dev/kvm"
# A /dev/kvm whose KVM cannot reset a host-model vCPU (seen: "failed to set
# MSR 0x10a") is no KVM to test on either.
kvm_probe=$(echo quit | timeout 30 qemu-system-x86_64 -accel kvm -cpu host -M q35 \
	-display none -nodefaults -monitor stdio 2>&1 >/dev/null) ||
	skip "KVM cannot run a vCPU here: $(head -c 120 <<<"$kvm_probe")"
make_iso "console=com1 idle=poweroff"
QEMU_ACCEL=kvm QEMU_CPU=host run_qemu 2,sockets=2,cores=144,maxcpus=288 512 \
	-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on,eim=on \
	-device host-x86_64-cpu,socket-id=1,core-id=0,thread-id=0 \
	-device host-x86_64-cpu,socket-id=1,core-id=143,thread-id=0
expect_clean_boot 4
expect_line 'lapic: x2APIC mode$'
expect_line 'cpu2: online apic=256$'
expect_line 'cpu3: online apic=399$'
