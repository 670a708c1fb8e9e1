/* xtime: instants, their parsing from the forms exports use, and their
 * RFC 3339 form. Locale-independent: month names are English, digits
 * are ASCII, nothing consults setlocale().
 *
 * An instant is microseconds since 1970-01-01T00:00:00Z (xo_time_t).
 */
#ifndef XO_XTIME_H
#define XO_XTIME_H

#include <stddef.h>
#include <stdint.h>

#include "tz.h"

typedef int64_t xo_time_t;

#define XO_USEC_PER_SEC INT64_C(1000000)
#define XO_TIME_BUFSIZE 40

enum xo_timefmt_kind {
	XO_TIME_ISO8601,  /* 2026-03-01T10:22:33[.fff][Z|+01:00], date only, basic form */
	XO_TIME_DMY,      /* 01/03/2026 [10:22[:33]] day first, / . - separators */
	XO_TIME_MDY,      /* 03/01/2026 [10:22[:33]] month first */
	XO_TIME_EPOCH,    /* seconds since the epoch, may have a fraction */
	XO_TIME_EPOCH_MS, /* milliseconds since the epoch */
	XO_TIME_PATTERN,  /* a strptime-like pattern, see xo-map(5) */
};

struct xo_timefmt {
	enum xo_timefmt_kind kind;
	const char *pattern; /* XO_TIME_PATTERN only; not owned */
};

/* Parse a format name: "iso8601", "dmy", "mdy", "epoch", "epoch_ms",
 * "apache" (the log pattern "%d/%b/%Y:%H:%M:%S %z"), or any pattern
 * holding a '%'. The pattern string must outlive fmt. 0 or -1. */
int xo_timefmt_parse(const char *name, struct xo_timefmt *fmt);

/* Parse s[0..len) by fmt. Times without an offset are wall-clock times
 * in tz (UTC when tz is NULL). 0 on success; -1 with *why a static
 * reason. Surrounding blanks are ignored. */
int xo_time_parse(const struct xo_timefmt *fmt, const char *s, size_t len,
		  const struct xo_tz *tz, xo_time_t *out, const char **why);

/* RFC 3339 in UTC: "2026-03-01T10:22:33Z", with ".250" or ".250123"
 * when there is a fraction. Returns the length written to buf. */
size_t xo_time_format(xo_time_t t, char buf[XO_TIME_BUFSIZE]);

/* Strict RFC 3339 / ISO 8601 with the shape xo writes; for reading
 * events. An offset-less time is taken as UTC. */
int xo_time_parse_rfc3339(const char *s, size_t len, xo_time_t *out);

/* Durations: "90s", "30m", "2h", "7d", "1w", "1h30m", "250ms", or
 * plain seconds. 0 or -1. */
int xo_duration_parse(const char *s, xo_time_t *out);

/* Current time (or $XO_NOW as RFC 3339, for reproducible tests). */
xo_time_t xo_time_now(void);

/* Calendar arithmetic: days since the epoch of a proleptic Gregorian
 * date, and back. */
int64_t xo_days_from_civil(int64_t y, unsigned m, unsigned d);
void xo_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
