#include "jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "xtime.h"

void xo_jw_init(struct xo_jw *w, struct xo_buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

/* The comma before a value or key, when one is due. */
static void before_item(struct xo_jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	uint64_t bit = UINT64_C(1) << (w->depth - 1);
	if (w->has_item & bit)
		xo_buf_addc(w->b, ',');
	w->has_item |= bit;
}

static void open_container(struct xo_jw *w, char open, char close)
{
	before_item(w);
	if (w->depth == 64)
		xo_die(XO_EXIT_INTERNAL, "JSON output nested too deeply");
	xo_buf_addc(w->b, open);
	w->closers[w->depth++] = close;
	w->has_item &= ~(UINT64_C(1) << (w->depth - 1));
}

void xo_jw_obj(struct xo_jw *w)
{
	open_container(w, '{', '}');
}

void xo_jw_arr(struct xo_jw *w)
{
	open_container(w, '[', ']');
}

void xo_jw_end(struct xo_jw *w)
{
	if (w->depth == 0)
		xo_die(XO_EXIT_INTERNAL, "JSON writer: end without a container");
	xo_buf_addc(w->b, w->closers[--w->depth]);
}

void xo_jw_keyn(struct xo_jw *w, const char *key, size_t len)
{
	before_item(w);
	xo_buf_add_json_string(w->b, key, len);
	xo_buf_addc(w->b, ':');
	w->after_key = 1;
}

void xo_jw_key(struct xo_jw *w, const char *key)
{
	xo_jw_keyn(w, key, strlen(key));
}

void xo_jw_str(struct xo_jw *w, const char *s, size_t len)
{
	before_item(w);
	xo_buf_add_json_string(w->b, s, len);
}

void xo_jw_strz(struct xo_jw *w, const char *s)
{
	xo_jw_str(w, s, strlen(s));
}

/* Digits of v written backwards ending at end; returns the start. Much
 * faster than printf, which matters at millions of records. */
static char *digits(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static void add_int(struct xo_buf *b, int64_t v)
{
	char text[24], *end = text + sizeof text;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char *p = digits(end, u);
	if (v < 0)
		*--p = '-';
	xo_buf_add(b, p, (size_t)(end - p));
}

void xo_jw_int(struct xo_jw *w, int64_t v)
{
	before_item(w);
	add_int(w->b, v);
}

void xo_jw_num(struct xo_jw *w, double v)
{
	if (!isfinite(v)) {
		xo_jw_null(w);
		return;
	}
	before_item(w);
	xo_num_text(w->b, v);
}

void xo_num_text(struct xo_buf *b, double v)
{
	if (v == 0)
		v = 0; /* no "-0" */
	/* Most figures are whole or have at most four decimals: write those
	 * without printf. The result is what %.15g gives for them. */
	double a = fabs(v);
	if (a < 1e12) {
		double scaled = round(a * 10000);
		if (fabs(scaled - a * 10000) < 1e-6) {
			int64_t whole = (int64_t)scaled / 10000, frac = (int64_t)scaled % 10000;
			if (v < 0 && scaled != 0)
				xo_buf_addc(b, '-');
			add_int(b, whole);
			if (frac) {
				char f[5] = { (char)('0' + frac / 1000), (char)('0' + frac / 100 % 10),
					      (char)('0' + frac / 10 % 10), (char)('0' + frac % 10), 0 };
				size_t n = 4;
				while (f[n - 1] == '0')
					n--;
				xo_buf_addc(b, '.');
				xo_buf_add(b, f, n);
			}
			return;
		}
	}
	/* The tools never call setlocale, so %g writes a '.'. */
	xo_buf_printf(b, "%.15g", v);
}

void xo_jw_bool(struct xo_jw *w, int v)
{
	before_item(w);
	xo_buf_adds(w->b, v ? "true" : "false");
}

void xo_jw_null(struct xo_jw *w)
{
	before_item(w);
	xo_buf_add(w->b, "null", 4);
}

void xo_jw_time(struct xo_jw *w, int64_t usec)
{
	char text[XO_TIME_BUFSIZE];
	before_item(w);
	if (usec % XO_USEC_PER_SEC != 0 || usec < 0) {
		size_t len = xo_time_format(usec, text);
		xo_buf_add_json_string(w->b, text, len);
		return;
	}
	/* Whole seconds from year 1970 to 9999, by hand: printf is slow. */
	int64_t secs = usec / XO_USEC_PER_SEC, rem = secs % 86400;
	int64_t y;
	unsigned mo, d;
	xo_civil_from_days(secs / 86400, &y, &mo, &d);
	if (y > 9999) {
		size_t len = xo_time_format(usec, text);
		xo_buf_add_json_string(w->b, text, len);
		return;
	}
	char *p = text;
	*p++ = '"';
	for (int64_t div = 1000; div; div /= 10)
		*p++ = (char)('0' + y / div % 10);
	*p++ = '-';
	*p++ = (char)('0' + mo / 10);
	*p++ = (char)('0' + mo % 10);
	*p++ = '-';
	*p++ = (char)('0' + d / 10);
	*p++ = (char)('0' + d % 10);
	*p++ = 'T';
	int h = (int)(rem / 3600), m = (int)(rem / 60 % 60), sec = (int)(rem % 60);
	*p++ = (char)('0' + h / 10);
	*p++ = (char)('0' + h % 10);
	*p++ = ':';
	*p++ = (char)('0' + m / 10);
	*p++ = (char)('0' + m % 10);
	*p++ = ':';
	*p++ = (char)('0' + sec / 10);
	*p++ = (char)('0' + sec % 10);
	*p++ = 'Z';
	*p++ = '"';
	xo_buf_add(w->b, text, (size_t)(p - text));
}

void xo_jw_raw(struct xo_jw *w, const char *json, size_t len)
{
	before_item(w);
	xo_buf_add(w->b, json, len);
}

void xo_jw_members(struct xo_jw *w, const char *obj, size_t len)
{
	/* Trim blanks and the braces; an empty object adds nothing. */
	while (len && (obj[len - 1] == ' ' || obj[len - 1] == '\n'))
		len--;
	while (len && *obj == ' ') {
		obj++;
		len--;
	}
	if (len < 2 || obj[0] != '{' || obj[len - 1] != '}')
		return;
	obj++;
	len -= 2;
	while (len && *obj == ' ') {
		obj++;
		len--;
	}
	if (len == 0)
		return;
	before_item(w);
	xo_buf_add(w->b, obj, len);
}

double xo_round_to(double x, int places)
{
	double scale = 1;
	while (places-- > 0)
		scale *= 10;
	return round(x * scale) / scale;
}
