# shellcheck shell=bash
# on_exit=restart leaks nothing under VMX either: as qemu-restart-1000 on
# Bochs corei7_skylake_x (1 CPU), with 500 restarts (about 20 s; 1000 take
# 35). Far fewer would miss small leaks: the heap figure (malloc's break)
# grows only once the bytes leaked outgrow the heap's slack, which a leak
# of one small allocation per restart does within a few hundred.
make_iso "console=com1 loglevel=debug" "${restart_modules[@]}"
restart_steps 500 "$systest_dir/bochs-vmx-restart-500.steps"
reason=$(python3 tests/system/console_session.py --bochs corei7_skylake_x 1 128 "$iso" "$log" \
	"$systest_dir/bochs-vmx-restart-500.steps") || fail "500 restarts: $reason"
expect_restarts 500
