/* Civil dates (lib/calendar.h). The year is counted from March, so the leap
 * day is the last day of the counting year, and 400 years are 146097 days:
 * an era. Within an era the day number follows from the year of the era
 * (365 days each, plus one every 4 years, less one every 100). */
#include "lib/calendar.h"

#define DAYS_PER_ERA	146097
#define EPOCH_SHIFT	719468		/* days from 0000-03-01 to 1970-01-01 */

int64_t days_from_civil(int year, unsigned month, unsigned day)
{
	int64_t y = month <= 2 ? year - 1 : year;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned year_of_era = (unsigned)(y - era * 400);
	unsigned month_from_march = month > 2 ? month - 3 : month + 9;
	unsigned day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
	unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

	return era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT;
}

uint64_t civil_to_seconds(const struct civil_time *t)
{
	return (uint64_t)days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 +
	       t->minute * 60 + t->second;
}

struct civil_time civil_from_seconds(uint64_t seconds)
{
	int64_t days = seconds / 86400 + EPOCH_SHIFT;
	unsigned rest = seconds % 86400;
	int64_t era = days / DAYS_PER_ERA;
	unsigned day_of_era = days - era * DAYS_PER_ERA;
	unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
				day_of_era / 146096) / 365;
	unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	unsigned month_from_march = (5 * day_of_year + 2) / 153;
	struct civil_time t = {
		.day = day_of_year - (153 * month_from_march + 2) / 5 + 1,
		.month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9,
		.hour = rest / 3600,
		.minute = rest / 60 % 60,
		.second = rest % 60,
		/* 1970-01-01 was a Thursday. */
		.weekday = (unsigned)((seconds / 86400 + 4) % 7),
	};

	t.year = (int)(year_of_era + era * 400) + (t.month <= 2);
	return t;
}
