#!/usr/bin/env bash
# Boot an ISO in Bochs, COM1 written to SERIAL_OUT, and Bochs' config and log
# beside it (SERIAL_OUT less any .log, plus .bochsrc and .bochs.log).
# usage: tools/bochs.sh ISO SERIAL_OUT [CPU_MODEL] [CPU_COUNT] [MEGS]
# Defaults: corei7_skylake_x (VMX+EPT), 1 CPU, 256 MiB. Bochs always exits with
# status 1: judge a run by its serial output. Runs may go in parallel: each
# display takes the next free VNC port from 5900 and never waits for a client.
# BOCHS_COM1_SOCKET=HOST:PORT puts COM1 on a TCP socket Bochs listens on
# instead (SERIAL_OUT then only names the config and log files).
# BOCHS_COM2_SOCKET=HOST:PORT adds COM2 on such a socket (the GDB stub's);
# Bochs waits for a client there before it boots.
# BOCHS_IGNORE_BAD_MSRS=1 lets a bare OS touch MSRs Bochs lacks (reads 0)
# instead of stopping Bochs; the hypervisor answers every MSR itself.
set -euo pipefail

usage() {
	echo "usage: $0 ISO SERIAL_OUT [CPU_MODEL] [CPU_COUNT] [MEGS]" >&2
	exit 2
}

(($# >= 2 && $# <= 5)) || usage
iso=$(realpath "$1")
serial=$(realpath -m "$2")
model=${3:-corei7_skylake_x} count=${4:-1} megs=${5:-256}
[[ -f $iso ]] || usage
[[ $model =~ ^[a-z0-9_]+$ && $count =~ ^[1-9][0-9]*$ && $megs =~ ^[1-9][0-9]*$ ]] || usage
# bochsrc splits values on commas and spaces.
[[ $iso$serial != *[,\ ]* ]] || { echo "$0: paths must not hold commas or spaces" >&2; exit 2; }

com1="mode=file, dev=$serial"
[[ -z ${BOCHS_COM1_SOCKET:-} ]] || com1="mode=socket-server, dev=$BOCHS_COM1_SOCKET"
# The bochsrc stays beside the serial output, to rerun a boot by hand.
base=${serial%.log}
cat >"$base.bochsrc" <<RC
megs: $megs
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: rfb, options="timeout=0"
cpu: model=$model, count=$count, ips=4000000, reset_on_triple_fault=0, ignore_bad_msrs=${BOCHS_IGNORE_BAD_MSRS:-0}
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
com1: enabled=1, $com1
${BOCHS_COM2_SOCKET:+com2: enabled=1, mode=socket-server, dev=$BOCHS_COM2_SOCKET}
log: $base.bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
clock: sync=none, time0=local
speaker: enabled=0
sound: driver=dummy
RC
# The debugger is compiled in: without a `continue` script it stops at a prompt.
exec bochs-bin -q -f "$base.bochsrc" -rc <(echo continue) </dev/null
