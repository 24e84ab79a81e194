/* The machine's CMOS real-time clock, read once at boot for the wall-clock
 * time the VMs' RTCs start from. */
#pragma once

#include "lib/compiler.h"

/* Read the CMOS clock (assumed to run in UTC) once; a clock that reads
 * nonsense counts as 1970-01-01. Call after tsc_calibrate(). */
void rtc_init(void);

/* Seconds since 1970-01-01 UTC now: the boot-time reading plus the TSC. */
uint64_t rtc_now(void);
