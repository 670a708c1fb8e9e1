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

void xo_jw_int(struct xo_jw *w, int64_t v)
{
	before_item(w);
	xo_buf_printf(w->b, "%" PRId64, v);
}

void xo_jw_num(struct xo_jw *w, double v)
{
	if (!isfinite(v)) {
		xo_jw_null(w);
		return;
	}
	before_item(w);
	if (v == 0)
		v = 0; /* no "-0" */
	/* The tools never call setlocale, so %g writes a '.'. */
	xo_buf_printf(w->b, "%.15g", v);
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
	size_t len = xo_time_format(usec, text);
	xo_jw_str(w, text, len);
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
