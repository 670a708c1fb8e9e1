/* Fuzz time parsing: the first byte picks the format and zone. */
#include <string.h>

#include "fuzz.h"
#include "xtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = {
		"iso8601", "dmy", "mdy", "epoch", "epoch_ms", "apache",
		"%a %b %e %T %Y", "%d %B %Y, %I.%M %p %z", "%s.%f", "%F %T%z",
	};
	static const char *const zones[] = { "UTC", "Europe/Rome", "America/New_York", "+05:30" };
	if (size < 1)
		return 0;
	struct xo_timefmt fmt;
	if (xo_timefmt_parse(formats[data[0] % 10], &fmt) != 0)
		return 0;
	const char *why;
	const struct xo_tz *tz = xo_tz_get(zones[(data[0] >> 4) % 4], &why);
	xo_time_t t;
	if (xo_time_parse(&fmt, (const char *)data + 1, size - 1, tz, &t, &why) == 0) {
		char buf[XO_TIME_BUFSIZE];
		xo_time_format(t, buf);
	}
	xo_duration_parse("1h30m", &t);
	return 0;
}
