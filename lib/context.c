#include "context.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "stats.h"

static const char *const part_names[XO_HEALTH_PARTS] = { "cx", "sentiment", "effort", "trend" };

void xo_context_opts_default(struct xo_context_opts *o)
{
	memset(o, 0, sizeof *o);
	o->weight[XO_HEALTH_CX] = 0.35;
	o->weight[XO_HEALTH_SENTIMENT] = 0.25;
	o->weight[XO_HEALTH_EFFORT] = 0.25;
	o->weight[XO_HEALTH_TREND] = 0.15;
	o->window = 90 * 86400 * XO_USEC_PER_SEC;
	o->scale = XO_CES_EASE;
	o->digits = 4;
	o->field = "score";
}

int xo_context_weights(struct xo_context_opts *o, const char *spec, struct xo_buf *err)
{
	char *copy = xo_strdup(spec), *save = NULL;
	int rc = 0;
	for (char *item = strtok_r(copy, ",", &save); item && rc == 0;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		int k = -1;
		if (eq) {
			*eq = '\0';
			for (int i = 0; i < XO_HEALTH_PARTS; i++)
				if (strcmp(item, part_names[i]) == 0)
					k = i;
		}
		char *end = NULL;
		double w = eq ? strtod(eq + 1, &end) : NAN;
		if (k < 0 || !end || end == eq + 1 || *end || !(w >= 0) || !isfinite(w)) {
			xo_buf_printf(err, "'%s': expected cx|sentiment|effort|trend=WEIGHT (>= 0)",
				      item);
			rc = -1;
		} else {
			o->weight[k] = w;
		}
	}
	free(copy);
	return rc;
}

/* The last and previous values of one series, in step order. */
struct series {
	int n;
	double last, prev;
};

static void series_add(struct series *s, double v)
{
	s->prev = s->last;
	s->last = v;
	s->n++;
}

static double ease(double ces, enum xo_ces_scale scale)
{
	return scale == XO_CES_EASE ? (ces - 1) / 6 : (7 - ces) / 6;
}

static json_t *num(double x, int digits)
{
	return isnan(x) ? json_null() : json_real(xo_round(x, digits));
}

static double context_number(const json_t *journey, const char *name)
{
	const json_t *v = json_object_get(json_object_get(journey, "context"), name);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A step's sentiment: its own "sentiment".score, else its text scored. */
static int step_sentiment(struct xo_textscore *ts, const json_t *step, double *out)
{
	const json_t *s = json_object_get(json_object_get(step, "sentiment"), "score");
	if (json_is_number(s)) {
		*out = json_number_value(s);
		return 1;
	}
	const json_t *text = json_object_get(step, "text");
	if (!ts || !json_is_string(text) || json_string_length(text) == 0)
		return 0;
	struct xo_lexicon *lx = xo_textscore_lexicon(ts, json_string_value(text),
						     json_string_length(text), NULL);
	struct xo_sentiment st;
	xo_sentiment_score(lx, json_string_value(text), json_string_length(text), &st);
	*out = st.score;
	return 1;
}

struct figures {
	struct series nps, csat, ces, sent;
	struct xo_moments sent_window;
};

static int read_steps(const struct xo_context_opts *o, struct xo_textscore *ts,
		      const json_t *steps, xo_time_t as_of, struct figures *f, struct xo_buf *why)
{
	size_t i;
	const json_t *step;
	json_array_foreach(steps, i, step) {
		const json_t *tsv = json_object_get(step, "ts");
		xo_time_t t;
		if (!json_is_string(tsv) ||
		    xo_time_parse_rfc3339(json_string_value(tsv), json_string_length(tsv), &t) != 0) {
			xo_buf_printf(why, "steps[%zu] has no valid \"ts\"", i);
			return -1;
		}
		struct xo_cx_response r;
		if (xo_cx_read(step, &r, why) < 0) {
			xo_buf_printf(why, " in steps[%zu]", i);
			return -1;
		}
		if (r.nps >= 0)
			series_add(&f->nps, r.nps);
		if (r.csat >= 0)
			series_add(&f->csat, r.csat);
		if (r.ces >= 0)
			series_add(&f->ces, r.ces);
		double s;
		if (step_sentiment(ts, step, &s)) {
			series_add(&f->sent, s);
			if (t > as_of - o->window)
				xo_moments_add(&f->sent_window, s);
		}
	}
	return 0;
}

/* xo-journey's context.cx.MEASURE (n, last, prev) is computed from all
 * the customer's steps, even those --max-steps left out: it wins over
 * what the steps written show. */
static void journey_cx(const json_t *journey, const char *measure, struct series *s)
{
	const json_t *m = json_object_get(json_object_get(json_object_get(journey, "context"), "cx"),
					  measure);
	const json_t *n = json_object_get(m, "n"), *last = json_object_get(m, "last");
	const json_t *prev = json_object_get(m, "prev");
	if (!json_is_integer(n) || json_integer_value(n) < 1 || !json_is_number(last))
		return;
	s->n = json_integer_value(n) > 1 && json_is_number(prev) ? 2 : 1;
	s->last = json_number_value(last);
	s->prev = s->n > 1 ? json_number_value(prev) : 0;
}

/* Mean of the known values among v[0..n); NaN when none. */
static double mean_known(const double *v, int n)
{
	double sum = 0;
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (!isnan(v[i])) {
			sum += v[i];
			k++;
		}
	}
	return k ? sum / k : NAN;
}

int xo_context_add(const struct xo_context_opts *o, struct xo_textscore *ts,
		   json_t *journey, struct xo_buf *why)
{
	const json_t *steps = json_object_get(journey, "steps");
	if (!json_is_array(steps)) {
		xo_buf_adds(why, "not a journey record: no \"steps\" array");
		return -1;
	}
	xo_time_t as_of = xo_time_now();
	const json_t *a = json_object_get(journey, "as_of");
	if (a && (!json_is_string(a) ||
		  xo_time_parse_rfc3339(json_string_value(a), json_string_length(a), &as_of) != 0)) {
		xo_buf_adds(why, "\"as_of\" is not an RFC 3339 time");
		return -1;
	}
	struct figures f;
	memset(&f, 0, sizeof f);
	if (read_steps(o, ts, steps, as_of, &f, why) != 0)
		return -1;
	journey_cx(journey, "nps", &f.nps);
	journey_cx(journey, "csat", &f.csat);
	journey_cx(journey, "ces", &f.ces);

	double sign_ces = o->scale == XO_CES_EASE ? 1 : -1;
	double level_parts[3] = {
		f.nps.n ? f.nps.last / 10 : NAN,
		f.csat.n ? (f.csat.last - 1) / 4 : NAN,
		f.ces.n ? ease(f.ces.last, o->scale) : NAN,
	};
	double trend_parts[3] = {
		f.nps.n > 1 ? (f.nps.last - f.nps.prev) / 10 : NAN,
		f.csat.n > 1 ? (f.csat.last - f.csat.prev) / 4 : NAN,
		f.ces.n > 1 ? sign_ces * (f.ces.last - f.ces.prev) / 6 : NAN,
	};
	double cx_level = mean_known(level_parts, 3);
	double cx_trend = mean_known(trend_parts, 3);
	double sent_mean = f.sent_window.n ? f.sent_window.mean : NAN;
	double sent_trend = f.sent.n > 1 ? f.sent.last - f.sent.prev : NAN;
	double contacts = context_number(journey, "contacts_30d");
	double open_issues = context_number(journey, "open_issues");
	double friction = isnan(contacts) && isnan(open_issues) ? NAN :
			  (isnan(contacts) ? 0 : contacts) + (isnan(open_issues) ? 0 : open_issues);
	double effort_parts[2] = {
		f.ces.n ? ease(f.ces.last, o->scale) : NAN,
		isnan(friction) ? NAN : 1 - fmin(friction, 6) / 6,
	};
	double effort = mean_known(effort_parts, 2);
	double trend_mix[2] = { cx_trend, isnan(sent_trend) ? NAN : sent_trend / 2 };
	double trend = mean_known(trend_mix, 2);

	double part[XO_HEALTH_PARTS] = {
		[XO_HEALTH_CX] = cx_level,
		[XO_HEALTH_SENTIMENT] = isnan(sent_mean) ? NAN : (sent_mean + 1) / 2,
		[XO_HEALTH_EFFORT] = effort,
		[XO_HEALTH_TREND] = isnan(trend) ? NAN : (1 + fmax(-1, fmin(1, trend))) / 2,
	};
	/* Effort and trend alone say too little: without a survey answer
	 * or a text there is no health. */
	int known = !isnan(part[XO_HEALTH_CX]) || !isnan(part[XO_HEALTH_SENTIMENT]);
	double wsum = 0, sum = 0;
	for (int k = 0; k < XO_HEALTH_PARTS && known; k++) {
		if (!isnan(part[k]) && o->weight[k] > 0) {
			wsum += o->weight[k];
			sum += o->weight[k] * part[k];
		}
	}
	int d = o->digits;
	json_t *score = json_object();
	json_t *sent = json_object();
	json_object_set_new(sent, "n", json_integer(f.sent.n));
	json_object_set_new(sent, "mean", num(sent_mean, d));
	json_object_set_new(sent, "last", num(f.sent.n ? f.sent.last : NAN, d));
	json_object_set_new(sent, "prev", num(f.sent.n > 1 ? f.sent.prev : NAN, d));
	json_object_set_new(sent, "trend", num(sent_trend, d));
	json_object_set_new(score, "sentiment", sent);
	json_t *cx = json_object();
	json_object_set_new(cx, "nps", f.nps.n ? json_integer((json_int_t)f.nps.last) : json_null());
	json_object_set_new(cx, "csat", f.csat.n ? json_integer((json_int_t)f.csat.last) : json_null());
	json_object_set_new(cx, "ces", f.ces.n ? json_integer((json_int_t)f.ces.last) : json_null());
	json_object_set_new(cx, "level", num(cx_level, d));
	json_object_set_new(cx, "trend", num(cx_trend, d));
	json_object_set_new(score, "cx", cx);
	json_t *eff = json_object();
	json_object_set_new(eff, "ces", f.ces.n ? json_integer((json_int_t)f.ces.last) : json_null());
	json_object_set_new(eff, "contacts_30d", num(contacts, d));
	json_object_set_new(eff, "open_issues", num(open_issues, d));
	json_object_set_new(eff, "value", num(effort, d));
	json_object_set_new(score, "effort", eff);
	json_object_set_new(score, "health", num(wsum > 0 ? 100 * sum / wsum : NAN, 1));
	json_t *parts = json_object();
	for (int k = 0; k < XO_HEALTH_PARTS; k++)
		json_object_set_new(parts, part_names[k], num(part[k], d));
	json_object_set_new(score, "health_parts", parts);
	json_object_set_new(journey, o->field, score);
	return 0;
}
