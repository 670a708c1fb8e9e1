#include "period.h"

#include <stdio.h>
#include <string.h>

int xo_period_parse(const char *name, enum xo_period *out)
{
	static const char *const names[] = { "day", "week", "month", "quarter", "year" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum xo_period)(XO_PERIOD_DAY + i);
			return 0;
		}
	}
	return -1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void xo_period_label(enum xo_period p, xo_time_t t, const struct xo_tz *tz,
		     char out[XO_PERIOD_BUFSIZE])
{
	int64_t sec = floor_div(t, XO_USEC_PER_SEC);
	if (tz)
		sec += xo_tz_offset_at(tz, sec);
	int64_t days = floor_div(sec, 86400);
	if (p == XO_PERIOD_WEEK) {
		/* 1970-01-01 was a Thursday: day 0 is weekday 3 from Monday. */
		int64_t weekday = ((days + 3) % 7 + 7) % 7;
		days -= weekday;
	}
	int64_t y;
	unsigned m, d;
	xo_civil_from_days(days, &y, &m, &d);
	switch (p) {
	case XO_PERIOD_MONTH:
		snprintf(out, XO_PERIOD_BUFSIZE, "%04lld-%02u", (long long)y, m);
		break;
	case XO_PERIOD_QUARTER:
		snprintf(out, XO_PERIOD_BUFSIZE, "%04lld-Q%u", (long long)y, (m + 2) / 3);
		break;
	case XO_PERIOD_YEAR:
		snprintf(out, XO_PERIOD_BUFSIZE, "%04lld", (long long)y);
		break;
	case XO_PERIOD_NONE:
		out[0] = '\0';
		break;
	default:
		snprintf(out, XO_PERIOD_BUFSIZE, "%04lld-%02u-%02u", (long long)y, m, d);
		break;
	}
}
