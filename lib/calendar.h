/* Civil dates (proleptic Gregorian) and days since 1970-01-01, both ways:
 * what an RTC reads and what it counts. */
#pragma once

#include "lib/compiler.h"

struct civil_time {
	int year;		/* 1970.. */
	unsigned month;		/* 1..12 */
	unsigned day;		/* 1..31 */
	unsigned hour, minute, second;
	unsigned weekday;	/* 0 = Sunday */
};

/* Days from 1970-01-01 to year-month-day (month 1..12, day 1..31). */
int64_t days_from_civil(int year, unsigned month, unsigned day);

/* Seconds since 1970-01-01 00:00:00 of `t` (weekday ignored). */
uint64_t civil_to_seconds(const struct civil_time *t);

/* The civil time `seconds` after 1970-01-01 00:00:00. */
struct civil_time civil_from_seconds(uint64_t seconds);
