#include "xtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t xo_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void xo_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Broken-down time as read, before zone handling. */
struct fields {
	int64_t year;
	int mon, day, hour, min, sec;
	int32_t usec;
	int pm;          /* -1 none, 0 am, 1 pm */
	int has_offset;
	int32_t offset;  /* seconds east */
	int has_epoch;
	int64_t epoch;   /* %s */
};

struct cursor {
	const char *p, *end;
};

static int at_end(const struct cursor *c)
{
	return c->p >= c->end;
}

static int peek(const struct cursor *c)
{
	return at_end(c) ? -1 : (unsigned char)*c->p;
}

static int is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_space(int ch)
{
	return ch == ' ' || ch == '\t';
}

/* Between min and max digits into *v; -1 when fewer than min. */
static int digits(struct cursor *c, int min, int max, int64_t *v)
{
	int n = 0;
	*v = 0;
	while (n < max && is_digit(peek(c))) {
		*v = *v * 10 + (*c->p++ - '0');
		n++;
	}
	return n >= min ? 0 : -1;
}

static int digits_int(struct cursor *c, int min, int max, int *v)
{
	int64_t x;
	if (digits(c, min, max, &x) != 0)
		return -1;
	*v = (int)x;
	return 0;
}

static int accept(struct cursor *c, char ch)
{
	if (peek(c) == (unsigned char)ch) {
		c->p++;
		return 1;
	}
	return 0;
}

/* A fraction after '.' or ',' to microseconds (extra digits dropped). */
static int fraction(struct cursor *c, int32_t *usec)
{
	int n = 0;
	int32_t v = 0;
	if (!is_digit(peek(c)))
		return -1;
	while (is_digit(peek(c))) {
		if (n < 6)
			v = v * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	for (; n < 6; n++)
		v *= 10;
	*usec = v;
	return 0;
}

/* Z, z, UTC, GMT, +hh, +hhmm, +hh:mm */
static int offset(struct cursor *c, int32_t *off)
{
	if (accept(c, 'Z') || accept(c, 'z')) {
		*off = 0;
		return 0;
	}
	if ((size_t)(c->end - c->p) >= 3 &&
	    (memcmp(c->p, "UTC", 3) == 0 || memcmp(c->p, "GMT", 3) == 0)) {
		c->p += 3;
		*off = 0;
		if (peek(c) != '+' && peek(c) != '-')
			return 0;
	}
	int sign;
	if (accept(c, '+'))
		sign = 1;
	else if (accept(c, '-'))
		sign = -1;
	else
		return -1;
	int h, m = 0;
	if (digits_int(c, 2, 2, &h) != 0)
		return -1;
	accept(c, ':');
	if (is_digit(peek(c)) && digits_int(c, 2, 2, &m) != 0)
		return -1;
	if (h > 18 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

static int time_of_day(struct cursor *c, struct fields *f)
{
	if (digits_int(c, 1, 2, &f->hour) != 0 || !accept(c, ':') ||
	    digits_int(c, 2, 2, &f->min) != 0)
		return -1;
	if (accept(c, ':')) {
		if (digits_int(c, 2, 2, &f->sec) != 0)
			return -1;
		if ((accept(c, '.') || accept(c, ',')) && fraction(c, &f->usec) != 0)
			return -1;
	}
	return 0;
}

static int am_pm(struct cursor *c, struct fields *f)
{
	if ((size_t)(c->end - c->p) < 2)
		return -1;
	int a = c->p[0] | 0x20, m = c->p[1] | 0x20;
	if (m != 'm' || (a != 'a' && a != 'p'))
		return -1;
	f->pm = a == 'p';
	c->p += 2;
	return 0;
}

/* Optional " HH:MM[:SS[.f]] [AM|PM] [offset]" after a date. */
static int optional_time(struct cursor *c, struct fields *f)
{
	if (at_end(c))
		return 0;
	if (!accept(c, 'T') && !accept(c, 't')) {
		if (!is_space(peek(c)))
			return offset(c, &f->offset) == 0 ? (f->has_offset = 1, 0) : -1;
		while (is_space(peek(c)))
			c->p++;
	}
	if (time_of_day(c, f) != 0)
		return -1;
	while (is_space(peek(c)))
		c->p++;
	if (!at_end(c) && (peek(c) | 0x20) != 'z' && am_pm(c, f) == 0)
		while (is_space(peek(c)))
			c->p++;
	if (!at_end(c)) {
		if (offset(c, &f->offset) != 0)
			return -1;
		f->has_offset = 1;
	}
	return 0;
}

static int parse_iso(struct cursor *c, struct fields *f)
{
	int64_t y;
	if (digits(c, 4, 4, &y) != 0)
		return -1;
	f->year = y;
	if (accept(c, '-')) {
		if (digits_int(c, 2, 2, &f->mon) != 0 || !accept(c, '-') ||
		    digits_int(c, 2, 2, &f->day) != 0)
			return -1;
		return optional_time(c, f);
	}
	/* Basic form: 20260301[T102233[.f]][Z] */
	if (digits_int(c, 2, 2, &f->mon) != 0 || digits_int(c, 2, 2, &f->day) != 0)
		return -1;
	if (at_end(c))
		return 0;
	if (!accept(c, 'T'))
		return -1;
	if (digits_int(c, 2, 2, &f->hour) != 0 || digits_int(c, 2, 2, &f->min) != 0)
		return -1;
	if (is_digit(peek(c))) {
		if (digits_int(c, 2, 2, &f->sec) != 0)
			return -1;
		if ((accept(c, '.') || accept(c, ',')) && fraction(c, &f->usec) != 0)
			return -1;
	}
	if (!at_end(c)) {
		if (offset(c, &f->offset) != 0)
			return -1;
		f->has_offset = 1;
	}
	return 0;
}

static int64_t two_digit_year(int64_t y)
{
	return y < 69 ? 2000 + y : 1900 + y; /* POSIX %y */
}

static int parse_dmy(struct cursor *c, struct fields *f, int day_first)
{
	int a, b;
	int64_t y;
	if (digits_int(c, 1, 2, &a) != 0)
		return -1;
	int sep = peek(c);
	if (sep != '/' && sep != '-' && sep != '.')
		return -1;
	c->p++;
	if (digits_int(c, 1, 2, &b) != 0 || !accept(c, (char)sep))
		return -1;
	const char *ystart = c->p;
	if (digits(c, 2, 4, &y) != 0 || c->p - ystart == 3)
		return -1;
	f->year = c->p - ystart == 2 ? two_digit_year(y) : y;
	f->day = day_first ? a : b;
	f->mon = day_first ? b : a;
	accept(c, ','); /* "01/03/2026, 10:22" */
	return optional_time(c, f);
}

static int parse_epoch(struct cursor *c, struct fields *f, int64_t unit_usec)
{
	int neg = accept(c, '-');
	int64_t whole;
	if (!neg)
		accept(c, '+');
	if (digits(c, 1, 15, &whole) != 0 || is_digit(peek(c)))
		return -1;
	/* Years 0001-9999 only, as for every other form. */
	if (whole > INT64_C(253402300799) * (XO_USEC_PER_SEC / unit_usec))
		return -1;
	int32_t frac = 0;
	if (unit_usec == XO_USEC_PER_SEC && accept(c, '.') && fraction(c, &frac) != 0)
		return -1;
	int64_t usec = whole * unit_usec + frac;
	f->has_epoch = 1;
	f->epoch = neg ? -usec : usec;
	return 0;
}

static const char *const month_names[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *const day_names[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
};

/* A full or three-letter English name from names[n]; index or -1. */
static int name_index(struct cursor *c, const char *const *names, int n)
{
	for (int i = 0; i < n; i++) {
		size_t full = strlen(names[i]);
		size_t avail = (size_t)(c->end - c->p);
		size_t k = 0;
		while (k < full && k < avail && (c->p[k] | 0x20) == names[i][k])
			k++;
		if (k == full || k == 3) {
			if (k == 3 && k < avail && ((c->p[k] | 0x20) >= 'a' && (c->p[k] | 0x20) <= 'z') && k != full)
				continue;
			c->p += k;
			return i;
		}
	}
	return -1;
}

static int parse_pattern(struct cursor *c, const char *pat, struct fields *f)
{
	for (const char *q = pat; *q; q++) {
		if (*q == ' ') {
			while (is_space(peek(c)))
				c->p++;
			continue;
		}
		if (*q != '%') {
			if (!accept(c, *q))
				return -1;
			continue;
		}
		int64_t v;
		switch (*++q) {
		case 'Y':
			accept(c, '+');
			if (digits(c, 4, 4, &v) != 0)
				return -1;
			f->year = v;
			break;
		case 'y':
			if (digits(c, 2, 2, &v) != 0)
				return -1;
			f->year = two_digit_year(v);
			break;
		case 'm':
			if (digits_int(c, 1, 2, &f->mon) != 0)
				return -1;
			break;
		case 'd':
		case 'e':
			while (is_space(peek(c)))
				c->p++;
			if (digits_int(c, 1, 2, &f->day) != 0)
				return -1;
			break;
		case 'H':
		case 'I':
			if (digits_int(c, 1, 2, &f->hour) != 0)
				return -1;
			break;
		case 'M':
			if (digits_int(c, 1, 2, &f->min) != 0)
				return -1;
			break;
		case 'S':
			if (digits_int(c, 1, 2, &f->sec) != 0)
				return -1;
			break;
		case 'f':
			if (fraction(c, &f->usec) != 0)
				return -1;
			break;
		case 'p':
			if (am_pm(c, f) != 0)
				return -1;
			break;
		case 'b':
		case 'B':
		case 'h': {
			int i = name_index(c, month_names, 12);
			if (i < 0)
				return -1;
			f->mon = i + 1;
			break;
		}
		case 'a':
		case 'A':
			if (name_index(c, day_names, 7) < 0)
				return -1;
			break;
		case 'z':
		case 'Z':
			if (offset(c, &f->offset) != 0)
				return -1;
			f->has_offset = 1;
			break;
		case 's':
			if (parse_epoch(c, f, XO_USEC_PER_SEC) != 0)
				return -1;
			break;
		case 'T':
			if (parse_pattern(c, "%H:%M:%S", f) != 0)
				return -1;
			break;
		case 'F':
			if (parse_pattern(c, "%Y-%m-%d", f) != 0)
				return -1;
			break;
		case '%':
			if (!accept(c, '%'))
				return -1;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap);
}

static int resolve(struct fields *f, const struct xo_tz *tz, xo_time_t *out,
		   const char **why)
{
	if (f->has_epoch) {
		*out = f->epoch;
		return 0;
	}
	if (f->pm >= 0) {
		if (f->hour < 1 || f->hour > 12) {
			*why = "hour out of range for AM/PM";
			return -1;
		}
		f->hour = f->hour % 12 + (f->pm ? 12 : 0);
	}
	if (f->year < 1 || f->year > 9999 || f->mon < 1 || f->mon > 12) {
		*why = "date out of range";
		return -1;
	}
	if (f->day < 1 || f->day > days_in_month(f->year, f->mon)) {
		*why = "no such day in that month";
		return -1;
	}
	if (f->hour > 24 || f->min > 59 || f->sec > 60 ||
	    (f->hour == 24 && (f->min || f->sec || f->usec))) {
		*why = "time of day out of range";
		return -1;
	}
	int sec = f->sec == 60 ? 59 : f->sec; /* a leap second is read as :59 */
	int64_t local = xo_days_from_civil(f->year, (unsigned)f->mon, (unsigned)f->day) * 86400 +
			f->hour * 3600 + f->min * 60 + sec;
	int64_t utc;
	if (f->has_offset)
		utc = local - f->offset;
	else
		utc = xo_tz_local_to_utc(tz ? tz : xo_tz_utc(), local);
	*out = utc * XO_USEC_PER_SEC + f->usec;
	return 0;
}

/* Two digits at s, or -1. */
static int two_digits(const char *s)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "YYYY-MM-DDTHH:MM:SSZ", the form every xo tool writes and most input
 * has, read without the general parser: 1 when s is exactly that form
 * (its fields in f), else 0. */
static int canonical_utc(const char *s, size_t len, struct fields *f)
{
	if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return 0;
	int cent = two_digits(s), yy = two_digits(s + 2), mon = two_digits(s + 5),
	    day = two_digits(s + 8), hour = two_digits(s + 11), min = two_digits(s + 14),
	    sec = two_digits(s + 17);
	if ((cent | yy | mon | day | hour | min | sec) < 0)
		return 0;
	f->year = cent * 100 + yy;
	f->mon = mon;
	f->day = day;
	f->hour = hour;
	f->min = min;
	f->sec = sec;
	f->has_offset = 1;
	f->offset = 0;
	return 1;
}

int xo_time_parse(const struct xo_timefmt *fmt, const char *s, size_t len,
		  const struct xo_tz *tz, xo_time_t *out, const char **why)
{
	if (fmt->kind == XO_TIME_ISO8601) {
		struct fields f = { .year = 1970, .mon = 1, .day = 1, .pm = -1 };
		if (canonical_utc(s, len, &f))
			return resolve(&f, tz, out, why);
	}
	struct cursor c = { s, s + len };
	while (c.p < c.end && is_space(*c.p))
		c.p++;
	while (c.end > c.p && (is_space(c.end[-1]) || c.end[-1] == '\r'))
		c.end--;
	if (at_end(&c)) {
		*why = "empty time";
		return -1;
	}
	struct fields f = { .year = 1970, .mon = 1, .day = 1, .pm = -1 };
	int rc;
	switch (fmt->kind) {
	case XO_TIME_ISO8601: rc = parse_iso(&c, &f); break;
	case XO_TIME_DMY: rc = parse_dmy(&c, &f, 1); break;
	case XO_TIME_MDY: rc = parse_dmy(&c, &f, 0); break;
	case XO_TIME_EPOCH: rc = parse_epoch(&c, &f, XO_USEC_PER_SEC); break;
	case XO_TIME_EPOCH_MS: rc = parse_epoch(&c, &f, 1000); break;
	default: rc = parse_pattern(&c, fmt->pattern, &f); break;
	}
	if (rc != 0 || !at_end(&c)) {
		*why = "time does not match the declared format";
		return -1;
	}
	return resolve(&f, tz, out, why);
}

int xo_time_parse_rfc3339(const char *s, size_t len, xo_time_t *out)
{
	static const struct xo_timefmt iso = { XO_TIME_ISO8601, NULL };
	const char *why;
	return xo_time_parse(&iso, s, len, NULL, out, &why);
}

int xo_timefmt_parse(const char *name, struct xo_timefmt *fmt)
{
	static const struct { const char *name; enum xo_timefmt_kind kind; } named[] = {
		{ "iso8601", XO_TIME_ISO8601 }, { "rfc3339", XO_TIME_ISO8601 },
		{ "dmy", XO_TIME_DMY }, { "mdy", XO_TIME_MDY },
		{ "epoch", XO_TIME_EPOCH }, { "epoch_ms", XO_TIME_EPOCH_MS },
	};
	fmt->pattern = NULL;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (strcmp(name, named[i].name) == 0) {
			fmt->kind = named[i].kind;
			return 0;
		}
	}
	if (strcmp(name, "apache") == 0) {
		fmt->kind = XO_TIME_PATTERN;
		fmt->pattern = "%d/%b/%Y:%H:%M:%S %z";
		return 0;
	}
	if (strchr(name, '%') == NULL)
		return -1;
	/* Check every directive now so that a bad map fails at load time. */
	for (const char *q = name; *q; q++) {
		if (*q != '%')
			continue;
		if (!*++q || !strchr("YymdeHIMSfpbBhaAzZsTF%", *q))
			return -1;
	}
	fmt->kind = XO_TIME_PATTERN;
	fmt->pattern = name;
	return 0;
}

static void put_digits(char *out, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

size_t xo_time_format(xo_time_t t, char buf[XO_TIME_BUFSIZE])
{
	int64_t secs = t / XO_USEC_PER_SEC;
	int64_t usec = t % XO_USEC_PER_SEC;
	if (usec < 0) {
		usec += XO_USEC_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	xo_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* Outside what RFC 3339 can write: let printf do the odd case. */
		int n = snprintf(buf, XO_TIME_BUFSIZE, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
				 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
		return (size_t)n;
	}
	put_digits(buf, (unsigned)y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[10] = 'T';
	put_digits(buf + 11, (unsigned)(rem / 3600), 2);
	buf[13] = ':';
	put_digits(buf + 14, (unsigned)(rem / 60 % 60), 2);
	buf[16] = ':';
	put_digits(buf + 17, (unsigned)(rem % 60), 2);
	size_t n = 19;
	if (usec) {
		buf[n++] = '.';
		if (usec % 1000 == 0) {
			put_digits(buf + n, (unsigned)(usec / 1000), 3);
			n += 3;
		} else {
			put_digits(buf + n, (unsigned)usec, 6);
			n += 6;
		}
	}
	buf[n++] = 'Z';
	buf[n] = '\0';
	return n;
}

int xo_duration_parse(const char *s, xo_time_t *out)
{
	static const struct { const char *unit; int64_t usec; } units[] = {
		{ "ms", 1000 }, { "s", XO_USEC_PER_SEC }, { "m", 60 * XO_USEC_PER_SEC },
		{ "h", 3600 * XO_USEC_PER_SEC }, { "d", 86400 * XO_USEC_PER_SEC },
		{ "w", 7 * 86400 * XO_USEC_PER_SEC },
	};
	struct cursor c = { s, s + strlen(s) };
	int64_t total = 0;
	if (at_end(&c))
		return -1;
	while (!at_end(&c)) {
		int64_t n;
		if (digits(&c, 1, 12, &n) != 0)
			return -1;
		if (at_end(&c) && total == 0) {
			total = n * XO_USEC_PER_SEC; /* plain seconds */
			break;
		}
		size_t i, found = 0;
		for (i = 0; i < sizeof units / sizeof units[0]; i++) {
			size_t ulen = strlen(units[i].unit);
			if ((size_t)(c.end - c.p) >= ulen && memcmp(c.p, units[i].unit, ulen) == 0 &&
			    (ulen == 2 || (size_t)(c.end - c.p) == 1 || !(c.p[1] >= 'a' && c.p[1] <= 'z'))) {
				c.p += ulen;
				total += n * units[i].usec;
				found = 1;
				break;
			}
		}
		if (!found)
			return -1;
	}
	*out = total;
	return 0;
}

xo_time_t xo_time_now(void)
{
	const char *fixed = getenv("XO_NOW");
	xo_time_t t;
	if (fixed && *fixed && xo_time_parse_rfc3339(fixed, strlen(fixed), &t) == 0)
		return t;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (xo_time_t)ts.tv_sec * XO_USEC_PER_SEC + ts.tv_nsec / 1000;
}
