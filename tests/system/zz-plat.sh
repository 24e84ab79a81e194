platform_args="pit-hz=100 rtc-rs=10"
make_iso "console=com1 idle=poweroff loglevel=debug" build/guests/platform.elf "vm=platform mem=16M -- pit-hz=100 rtc-rs=10"
run_bochs corei7_skylake_x 1 256
expect_line "vm platform: exit status=0"
