# shellcheck shell=bash
# The AutoEOI-aware APICv inhibit under VMX in Bochs (corei7_skylake_x):
# the synic guest's AutoEOI phases, interrupts checked in each, against
# the hypervisor's debug log. Enabling the SynIC and a masked AutoEOI SINT
# leave APICv alone; unmasking it inhibits APICv (hyperv-autoeoi), and
# clearing its AutoEOI bit makes APICv active again.
make_iso "console=com1 idle=poweroff loglevel=debug" \
	build/guests/synic.elf "vm=autoeoi mem=16M hyperv=on -- expect=hv autoeoi-only=1"
run_bochs corei7_skylake_x 2 256
expect_no_line 'EXCEPTION|PANIC'
expect_poweroff
expect_vm_passed autoeoi 9
inhibited='apicv: vm autoeoi inhibited \(hyperv-autoeoi\)'
active='apicv: vm autoeoi active'
expect_line 'vmx: .*, APICv,'
expect_count "$inhibited" 1
expect_count "$active" 1
expect_before '\[autoeoi\] phase: unmask-autoeoi' "$inhibited"
expect_before "$inhibited" '\[autoeoi\] phase: clear-autoeoi'
expect_before '\[autoeoi\] phase: clear-autoeoi' "$active"
expect_before "$active" '\[autoeoi\] phase: done'
