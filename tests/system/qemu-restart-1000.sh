# shellcheck shell=bash
# on_exit=restart leaks nothing: the demo guest exits at once and is built
# anew 1000 times on QEMU TCG (SVM, 1 CPU); the host's free memory and
# heap right after the 1000th build equal exactly those after the first
# and the 500th, and every run passed. About 15 s.
make_iso "console=com1 loglevel=debug" "${restart_modules[@]}"
restart_steps 1000 "$systest_dir/qemu-restart-1000.steps"
reason=$(python3 tests/system/console_session.py "$iso" "$log" \
	"$systest_dir/qemu-restart-1000.steps" -smp 1 -m 128) || fail "1000 restarts: $reason"
expect_restarts 1000
