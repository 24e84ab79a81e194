# shellcheck shell=bash
# Bad VM configurations and a malformed kernel (badconfig_case in lib.sh),
# under BIOS.
badconfig_case bios
