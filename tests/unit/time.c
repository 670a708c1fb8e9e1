/* Unit tests for lib/xtime and lib/tz: every time form xo-ingest reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"
#include "unit.h"
#include "xtime.h"

/* Parse s with the named format in zone tzname; format the result. */
static const char *parse(const char *fmtname, const char *s, const char *tzname)
{
	static char out[XO_TIME_BUFSIZE + 64];
	struct xo_timefmt fmt;
	if (xo_timefmt_parse(fmtname, &fmt) != 0)
		return "bad format";
	const char *why = NULL;
	const struct xo_tz *tz = NULL;
	if (tzname && !(tz = xo_tz_get(tzname, &why)))
		return why;
	xo_time_t t;
	if (xo_time_parse(&fmt, s, strlen(s), tz, &t, &why) != 0) {
		snprintf(out, sizeof out, "error: %s", why);
		return out;
	}
	xo_time_format(t, out);
	return out;
}

static void iso8601(void)
{
	CHECK_STR(parse("iso8601", "2026-03-01T10:22:33Z", NULL), "2026-03-01T10:22:33Z", "iso: Z");
	CHECK_STR(parse("iso8601", "2026-03-01T10:22:33.25Z", NULL), "2026-03-01T10:22:33.250Z", "iso: fraction to ms");
	CHECK_STR(parse("iso8601", "2026-03-01T10:22:33.123456789Z", NULL), "2026-03-01T10:22:33.123456Z", "iso: fraction cut to us");
	CHECK_STR(parse("iso8601", "2026-03-01T10:22:33+01:00", NULL), "2026-03-01T09:22:33Z", "iso: +01:00");
	CHECK_STR(parse("iso8601", "2026-03-01T10:22:33-0530", NULL), "2026-03-01T15:52:33Z", "iso: -0530");
	CHECK_STR(parse("iso8601", "2026-03-01 10:22", NULL), "2026-03-01T10:22:00Z", "iso: space, no seconds, UTC");
	CHECK_STR(parse("iso8601", "2026-03-01", NULL), "2026-03-01T00:00:00Z", "iso: date only");
	CHECK_STR(parse("iso8601", "20260301T102233Z", NULL), "2026-03-01T10:22:33Z", "iso: basic form");
	CHECK_STR(parse("iso8601", "2026-03-01T10:22:33", "Europe/Rome"), "2026-03-01T09:22:33Z", "iso: zone-less in Rome (CET)");
	CHECK_STR(parse("iso8601", "2026-07-01T10:22:33", "Europe/Rome"), "2026-07-01T08:22:33Z", "iso: zone-less in Rome (CEST)");
	CHECK_STR(parse("iso8601", "  2026-03-01T10:22:33Z \r", NULL), "2026-03-01T10:22:33Z", "iso: blanks around");
	CHECK_STR(parse("iso8601", "2026-02-29", NULL), "error: no such day in that month", "iso: 2026 is not leap");
	CHECK_STR(parse("iso8601", "2024-02-29T23:59:60Z", NULL), "2024-02-29T23:59:59Z", "iso: leap second read as :59");
	CHECK_STR(parse("iso8601", "2026-13-01", NULL), "error: date out of range", "iso: month 13");
	CHECK_STR(parse("iso8601", "2026-03-01T25:00", NULL), "error: time of day out of range", "iso: hour 25");
	CHECK_STR(parse("iso8601", "2026-03-01T10:22:33Zjunk", NULL), "error: time does not match the declared format", "iso: trailing junk");
	CHECK_STR(parse("iso8601", "", NULL), "error: empty time", "iso: empty");
	CHECK_STR(parse("iso8601", "2026-03-01T24:00:00Z", NULL), "2026-03-02T00:00:00Z", "iso: 24:00:00 is the next midnight");
	CHECK_STR(parse("iso8601", "2026-03-01T10:00:00Z", "Europe/Rome"), "2026-03-01T10:00:00Z", "iso: Z wins over the zone");
	CHECK_STR(parse("iso8601", "1969-12-31T23:59:59.5Z", NULL), "1969-12-31T23:59:59.500Z", "iso: before the epoch");
}

/* YYYY-MM-DDTHH:MM:SSZ has a quick reader of its own: each answer, time
 * or error, must be the general reader's for the same time at +00:00. */
static void canonical_utc(void)
{
	static const char *const cases[] = {
		"2026-03-01T10:22:33Z", "2026-03-01T24:00:00Z", "0000-01-01T00:00:00Z",
		"2026-04-31T10:00:00Z", "2026-03-01T10:00:61Z", "2024-02-29T23:59:60Z",
		"2026-02-29T00:00:00Z", "9999-12-31T23:59:59Z", "2026-13-01T00:00:00Z",
		"2026-03-01T1a:00:00Z", "1969-12-31T23:59:59Z",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char general[32], quick[XO_TIME_BUFSIZE + 64];
		snprintf(general, sizeof general, "%.19s+00:00", cases[i]);
		snprintf(quick, sizeof quick, "%s", parse("iso8601", cases[i], NULL));
		CHECK_STR(parse("iso8601", general, NULL), quick, cases[i]);
	}
}

static void day_month_first(void)
{
	CHECK_STR(parse("dmy", "01/03/2026 10:22", "Europe/Rome"), "2026-03-01T09:22:00Z", "dmy: Rome");
	CHECK_STR(parse("dmy", "1.3.26", NULL), "2026-03-01T00:00:00Z", "dmy: dots, short year");
	CHECK_STR(parse("dmy", "31-12-1999 23:59:59", NULL), "1999-12-31T23:59:59Z", "dmy: dashes");
	CHECK_STR(parse("dmy", "13/03/2026", NULL), "2026-03-13T00:00:00Z", "dmy: day 13");
	CHECK_STR(parse("mdy", "03/13/2026 1:05 PM", "America/New_York"), "2026-03-13T17:05:00Z", "mdy: PM in New York (EDT)");
	CHECK_STR(parse("mdy", "13/03/2026", NULL), "error: date out of range", "mdy: month 13 refused, not guessed");
	CHECK_STR(parse("dmy", "03/13/2026", NULL), "error: date out of range", "dmy: month 13 refused");
	CHECK_STR(parse("mdy", "12/31/2025 12:00 AM", NULL), "2025-12-31T00:00:00Z", "mdy: 12 AM is midnight");
	CHECK_STR(parse("dmy", "01/03/2026/", NULL), "error: time does not match the declared format", "dmy: junk");
}

static void epochs_and_patterns(void)
{
	CHECK_STR(parse("epoch", "1772360553", NULL), "2026-03-01T10:22:33Z", "epoch seconds");
	CHECK_STR(parse("epoch", "1772360553.5", NULL), "2026-03-01T10:22:33.500Z", "epoch with fraction");
	CHECK_STR(parse("epoch_ms", "1772360553250", NULL), "2026-03-01T10:22:33.250Z", "epoch milliseconds");
	CHECK_STR(parse("epoch", "-1", NULL), "1969-12-31T23:59:59Z", "negative epoch");
	CHECK_STR(parse("epoch", "999999999999999", NULL), "error: time does not match the declared format", "epoch beyond year 9999 refused");
	CHECK_STR(parse("epoch", "12abc", NULL), "error: time does not match the declared format", "epoch junk");
	CHECK_STR(parse("apache", "10/Oct/2000:13:55:36 -0700", NULL), "2000-10-10T20:55:36Z", "apache log time");
	CHECK_STR(parse("%d %B %Y, %H.%M", "5 march 2026, 09.30", "Europe/Madrid"), "2026-03-05T08:30:00Z", "pattern with month name");
	CHECK_STR(parse("%a %b %e %T %Y", "Sun Mar  1 10:22:33 2026", NULL), "2026-03-01T10:22:33Z", "ctime form");
	CHECK_STR(parse("%Y%m%d%H%M%S", "20260301102233", NULL), "2026-03-01T10:22:33Z", "packed digits");
	CHECK_STR(parse("%s", "1772360553", NULL), "2026-03-01T10:22:33Z", "%s");
	struct xo_timefmt fmt;
	CHECK(xo_timefmt_parse("%Q", &fmt) != 0, "unknown directive refused at load");
	CHECK(xo_timefmt_parse("dd/mm/yyyy", &fmt) != 0, "unknown format name refused");
}

static void zones(void)
{
	/* Europe/Rome 2026: CET->CEST 29 March 01:00Z, back 25 October 01:00Z. */
	CHECK_STR(parse("iso8601", "2026-03-29T02:30:00", "Europe/Rome"), "2026-03-29T01:30:00Z", "gap: moved forward");
	CHECK_STR(parse("iso8601", "2026-10-25T02:30:00", "Europe/Rome"), "2026-10-25T00:30:00Z", "overlap: first occurrence");
	CHECK_STR(parse("iso8601", "2040-07-01T12:00:00", "Europe/Rome"), "2040-07-01T10:00:00Z", "beyond the table: footer rule");
	CHECK_STR(parse("iso8601", "2026-01-15T12:00:00", "Australia/Sydney"), "2026-01-15T01:00:00Z", "southern summer (AEDT)");
	CHECK_STR(parse("iso8601", "2026-07-15T12:00:00", "Australia/Sydney"), "2026-07-15T02:00:00Z", "southern winter (AEST)");
	CHECK_STR(parse("iso8601", "2026-03-01T12:00:00", "+05:30"), "2026-03-01T06:30:00Z", "fixed offset zone");
	CHECK_STR(parse("iso8601", "2026-03-01T12:00:00", "UTC-3"), "2026-03-01T15:00:00Z", "UTC-3");
	CHECK_STR(parse("iso8601", "2026-03-01T12:00:00", "Mars/Olympus"), "unknown time zone (no zoneinfo file)", "unknown zone");
	CHECK_STR(parse("iso8601", "2026-03-01T12:00:00", "../../etc/passwd"), "not a time zone name", "path tricks refused");
	const char *why;
	const struct xo_tz *ny = xo_tz_get("America/New_York", &why);
	CHECK(ny != NULL, "New York loads");
	CHECK_INT(xo_tz_offset_at(ny, 1772360553), -5 * 3600, "New York in March before DST: -5h");
	CHECK_INT(xo_tz_offset_at(ny, 1782900000), -4 * 3600, "New York in July: -4h");
}

static void durations(void)
{
	xo_time_t d = 0;
	CHECK(xo_duration_parse("30m", &d) == 0 && d == 1800 * XO_USEC_PER_SEC, "30m");
	CHECK(xo_duration_parse("1h30m", &d) == 0 && d == 5400 * XO_USEC_PER_SEC, "1h30m");
	CHECK(xo_duration_parse("7d", &d) == 0 && d == 7 * 86400 * XO_USEC_PER_SEC, "7d");
	CHECK(xo_duration_parse("250ms", &d) == 0 && d == 250000, "250ms");
	CHECK(xo_duration_parse("90", &d) == 0 && d == 90 * XO_USEC_PER_SEC, "plain seconds");
	CHECK(xo_duration_parse("5x", &d) != 0, "unknown unit refused");
	CHECK(xo_duration_parse("", &d) != 0, "empty refused");
	CHECK(xo_duration_parse("m", &d) != 0, "unit alone refused");
}

int main(void)
{
	iso8601();
	canonical_utc();
	day_month_first();
	epochs_and_patterns();
	zones();
	durations();
	xo_tz_free_all();
	return unit_done();
}
