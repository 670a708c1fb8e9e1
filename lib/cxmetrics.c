#include "cxmetrics.h"

#include <math.h>

/* A measure as a whole number within [lo, hi]; -1 when absent (or null),
 * -2 when not acceptable (why set). */
static int measure(const json_t *cx, const char *name, int lo, int hi, struct xo_buf *why)
{
	const json_t *v = json_object_get(cx, name);
	if (!v || json_is_null(v))
		return -1;
	double x;
	if (json_is_integer(v))
		x = (double)json_integer_value(v);
	else if (json_is_real(v))
		x = json_real_value(v);
	else {
		xo_buf_printf(why, "cx.%s is not a number", name);
		return -2;
	}
	if (x != floor(x)) {
		xo_buf_printf(why, "cx.%s %g is not a whole number", name, x);
		return -2;
	}
	if (x < lo || x > hi) {
		xo_buf_printf(why, "cx.%s %g is outside %d..%d", name, x, lo, hi);
		return -2;
	}
	return (int)x;
}

int xo_cx_read(const json_t *rec, struct xo_cx_response *r, struct xo_buf *why)
{
	r->nps = r->csat = r->ces = -1;
	const json_t *cx = json_object_get(rec, "cx");
	if (!cx || json_is_null(cx))
		return 0;
	if (!json_is_object(cx)) {
		xo_buf_adds(why, "\"cx\" is not an object");
		return -1;
	}
	r->nps = measure(cx, "nps", 0, 10, why);
	r->csat = measure(cx, "csat", 1, 5, why);
	r->ces = measure(cx, "ces", 1, 7, why);
	if (r->nps == -2 || r->csat == -2 || r->ces == -2)
		return -1;
	return r->nps >= 0 || r->csat >= 0 || r->ces >= 0;
}

int xo_ces_low_effort(int ces, enum xo_ces_scale scale)
{
	return scale == XO_CES_EASE ? ces >= 5 : ces <= 3;
}

void xo_cx_add(struct xo_cx_totals *t, const struct xo_cx_response *r,
	       enum xo_ces_scale scale)
{
	if (r->nps >= 0) {
		t->nps_n++;
		if (r->nps >= 9)
			t->promoters++;
		else if (r->nps >= 7)
			t->passives++;
		else
			t->detractors++;
	}
	if (r->csat >= 0) {
		t->csat_n++;
		t->satisfied += r->csat >= 4;
	}
	if (r->ces >= 0) {
		xo_moments_add(&t->ces, r->ces);
		t->ces_low += xo_ces_low_effort(r->ces, scale);
	}
}

static void share(uint64_t k, uint64_t n, int digits, double *pct, double *moe)
{
	if (n == 0) {
		*pct = *moe = NAN;
		return;
	}
	double s = (double)k / (double)n;
	*pct = xo_round(100 * s, digits);
	*moe = xo_round(100 * XO_CX_Z95 * sqrt(s * (1 - s) / (double)n), digits);
}

void xo_cx_compute(const struct xo_cx_totals *t, int digits, struct xo_cx_figures *f)
{
	if (t->nps_n) {
		double n = (double)t->nps_n;
		double p = (double)t->promoters / n, d = (double)t->detractors / n;
		double var = (p + d - (p - d) * (p - d)) / n;
		f->nps = xo_round(100 * (p - d), digits);
		f->nps_moe = xo_round(100 * XO_CX_Z95 * sqrt(fmax(var, 0)), digits);
	} else {
		f->nps = f->nps_moe = NAN;
	}
	share(t->satisfied, t->csat_n, digits, &f->csat, &f->csat_moe);
	uint64_t ces_n = (uint64_t)t->ces.n;
	share(t->ces_low, ces_n, digits, &f->ces_low, &f->ces_low_moe);
	f->ces_mean = ces_n ? xo_round(t->ces.mean, digits) : NAN;
	f->ces_sd = ces_n >= 2 ? xo_round(xo_moments_sd(&t->ces), digits) : NAN;
	f->ces_moe = ces_n >= 2 ?
		xo_round(XO_CX_Z95 * xo_moments_sd(&t->ces) / sqrt((double)ces_n), digits) : NAN;
}

static json_t *number(double x)
{
	return isnan(x) ? json_null() : json_real(x);
}

void xo_cx_json(json_t *obj, const struct xo_cx_totals *t, const struct xo_cx_figures *f)
{
	json_t *nps = json_object();
	json_object_set_new(nps, "n", json_integer((json_int_t)t->nps_n));
	json_object_set_new(nps, "score", number(f->nps));
	json_object_set_new(nps, "moe", number(f->nps_moe));
	json_object_set_new(nps, "promoters", json_integer((json_int_t)t->promoters));
	json_object_set_new(nps, "passives", json_integer((json_int_t)t->passives));
	json_object_set_new(nps, "detractors", json_integer((json_int_t)t->detractors));
	json_object_set_new(obj, "nps", nps);

	json_t *csat = json_object();
	json_object_set_new(csat, "n", json_integer((json_int_t)t->csat_n));
	json_object_set_new(csat, "score", number(f->csat));
	json_object_set_new(csat, "moe", number(f->csat_moe));
	json_object_set_new(csat, "satisfied", json_integer((json_int_t)t->satisfied));
	json_object_set_new(obj, "csat", csat);

	json_t *ces = json_object();
	json_object_set_new(ces, "n", json_integer((json_int_t)t->ces.n));
	json_object_set_new(ces, "mean", number(f->ces_mean));
	json_object_set_new(ces, "sd", number(f->ces_sd));
	json_object_set_new(ces, "moe", number(f->ces_moe));
	json_object_set_new(ces, "low_effort", number(f->ces_low));
	json_object_set_new(ces, "low_effort_moe", number(f->ces_low_moe));
	json_object_set_new(obj, "ces", ces);
}
