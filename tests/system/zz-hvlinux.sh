make_iso "console=com1 idle=poweroff loglevel=debug focus=linux" build/linux/vmlinuz "vm=linux mem=256M vcpus=2 hyperv=on -- console=ttyS0 hv-linux.poweroff" build/linux/initrd.gz "vm=linux role=initrd"
run_qemu 2 1024
expect_line "hv: poweroff"
