/* period: calendar buckets of instants for reports over time.
 *
 * A bucket is named by its first day in the report's zone:
 *   day      2026-03-02
 *   week     2026-03-02   (ISO weeks, starting on Monday)
 *   month    2026-03
 *   quarter  2026-Q1
 *   year     2026
 * Names sort in time order.
 */
#ifndef XO_PERIOD_H
#define XO_PERIOD_H

#include "tz.h"
#include "xtime.h"

enum xo_period {
	XO_PERIOD_NONE,
	XO_PERIOD_DAY,
	XO_PERIOD_WEEK,
	XO_PERIOD_MONTH,
	XO_PERIOD_QUARTER,
	XO_PERIOD_YEAR,
};

#define XO_PERIOD_BUFSIZE 24

/* "day", "week", "month", "quarter", "year": 0, or -1. */
int xo_period_parse(const char *name, enum xo_period *out);
/* The name of the bucket holding t, in zone tz (UTC when NULL). */
void xo_period_label(enum xo_period p, xo_time_t t, const struct xo_tz *tz,
		     char out[XO_PERIOD_BUFSIZE]);

#endif
