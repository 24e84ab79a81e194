# shellcheck shell=bash
# qemu-svm-badconfig under UEFI (OVMF on q35).
badconfig_case uefi
