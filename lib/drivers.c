#include "drivers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "featspec.h"
#include "mem.h"
#include "out.h"
#include "stats.h"
#include "tsv.h"

struct factor {
	char *name;           /* owned */
	uint64_t n;           /* records with the factor */
	double sum, sumsq;    /* of y over them */
	uint64_t last;        /* the record that counted it last */
	/* Results: */
	double with, without, diff, prevalence, impact, harm;
	struct xo_test test;
	double q;
};

struct xo_drivers {
	struct xo_drivers_opts o;
	struct xo_path *value, *text;
	struct xo_path **by;
	int n_by;
	struct xo_strmap factors;  /* name -> struct factor */
	uint64_t n, record;
	double sum, sumsq;
	unsigned char *hit;
	struct xo_buf name, scratch;
};

int xo_outcome_parse(const char *name, enum xo_outcome *out)
{
	static const char *const names[] = { "nps", "csat", "ces", "churn" };
	for (int i = 0; i < 4; i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum xo_outcome)i;
			return 0;
		}
	}
	return -1;
}

void xo_drivers_opts_default(struct xo_drivers_opts *o)
{
	memset(o, 0, sizeof *o);
	o->steps = 1;
	o->min_n = 10;
	o->max_q = 1;
	o->digits = 2;
}

struct xo_drivers *xo_drivers_new(const struct xo_drivers_opts *o, struct xo_buf *err)
{
	static const char *const default_value[] = { "cx.nps", "cx.csat", "cx.ces", "churn" };
	struct xo_drivers *d = xo_calloc(1, sizeof *d);
	d->o = *o;
	xo_strmap_init(&d->factors);
	d->value = xo_path_compile(o->value ? o->value : default_value[o->outcome], err);
	d->text = d->value ? xo_path_compile(o->text ? o->text : "text", err) : NULL;
	if (d->text)
		d->by = xo_paths_compile(o->by, &d->n_by, err);
	if (!d->value || !d->text || d->n_by < 0) {
		d->n_by = d->n_by < 0 ? 0 : d->n_by;
		xo_drivers_free(d);
		return NULL;
	}
	if (o->topics)
		d->hit = xo_calloc(xo_topics_count(o->topics) + 1, 1);
	return d;
}

/* The outcome of rec: 1 with *y set, 0 when absent, -1 when bad. */
static int outcome(struct xo_drivers *d, const json_t *rec, double *y, struct xo_buf *why)
{
	static const int lo[] = { 0, 1, 1 }, hi[] = { 10, 5, 7 };
	const json_t *v = xo_path_get(d->value, rec);
	if (!v || json_is_null(v))
		return 0;
	if (d->o.outcome == XO_OUTCOME_CHURN) {
		int b = xo_binary_of(v, d->o.positive, &d->scratch);
		if (b < 0) {
			xo_buf_printf(why, "%s: not a binary outcome", xo_path_text(d->value));
			return -1;
		}
		*y = 100.0 * b;
		return 1;
	}
	int k = (int)d->o.outcome;
	double x = json_is_number(v) ? json_number_value(v) : NAN;
	if (!(x >= lo[k] && x <= hi[k]) || x != floor(x)) {
		xo_buf_printf(why, "%s: expected a whole number %d..%d", xo_path_text(d->value),
			      lo[k], hi[k]);
		return -1;
	}
	if (d->o.outcome == XO_OUTCOME_NPS)
		*y = x >= 9 ? 100 : x >= 7 ? 0 : -100;
	else if (d->o.outcome == XO_OUTCOME_CSAT)
		*y = x >= 4 ? 100 : 0;
	else
		*y = x;
	return 1;
}

static void count(struct xo_drivers *d, const char *name, size_t len, double y)
{
	int added;
	struct factor **slot = (struct factor **)xo_strmap_slot(&d->factors, name, len, &added);
	if (added) {
		*slot = xo_calloc(1, sizeof **slot);
		(*slot)->name = xo_strndup(name, len);
	}
	struct factor *f = *slot;
	if (f->last == d->record)
		return; /* once per record */
	f->last = d->record;
	f->n++;
	f->sum += y;
	f->sumsq += y * y;
}

static void count_text(struct xo_drivers *d, const char *prefix, const json_t *v, double y)
{
	xo_buf_reset(&d->name);
	xo_buf_adds(&d->name, prefix);
	xo_json_text(&d->name, v);
	count(d, d->name.data, d->name.len, y);
}

static void topic_factors(struct xo_drivers *d, const json_t *rec, double y, struct xo_buf *warn)
{
	const json_t *topics = json_object_get(rec, "topics");
	if (json_is_array(topics)) {
		size_t i;
		const json_t *t;
		json_array_foreach(topics, i, t)
			if (json_is_string(t))
				count_text(d, "topic:", t, y);
		return;
	}
	const json_t *text = xo_path_get(d->text, rec);
	if (!d->o.topics || !json_is_string(text))
		return;
	xo_topics_match(d->o.topics, json_string_value(text), json_string_length(text), d->hit, warn);
	for (size_t i = 0; i < xo_topics_count(d->o.topics); i++) {
		if (d->hit[i]) {
			xo_buf_reset(&d->name);
			xo_buf_printf(&d->name, "topic:%s", xo_topics_name(d->o.topics, i));
			count(d, d->name.data, d->name.len, y);
		}
	}
}

static void step_factors(struct xo_drivers *d, const json_t *rec, double y)
{
	const json_t *steps = json_object_get(rec, "steps");
	if (!json_is_array(steps))
		return;
	const json_t *prev = NULL;
	size_t i;
	const json_t *step;
	json_array_foreach(steps, i, step) {
		const json_t *tok = json_object_get(step, "token");
		if (!json_is_string(tok)) {
			prev = NULL;
			continue;
		}
		count_text(d, "step:", tok, y);
		if (prev) {
			xo_buf_reset(&d->name);
			xo_buf_adds(&d->name, "path:");
			xo_buf_add(&d->name, json_string_value(prev), json_string_length(prev));
			xo_buf_addc(&d->name, '>');
			xo_buf_add(&d->name, json_string_value(tok), json_string_length(tok));
			count(d, d->name.data, d->name.len, y);
		}
		prev = tok;
	}
}

/* xo-journey --annotate lists the named patterns a journey matched. */
static void pattern_factors(struct xo_drivers *d, const json_t *rec, double y)
{
	const json_t *matches = json_object_get(rec, "matches");
	size_t i;
	const json_t *m;
	json_array_foreach(matches, i, m) {
		const json_t *name = json_object_get(m, "pattern");
		if (json_is_string(name))
			count_text(d, "pattern:", name, y);
	}
}

static void attribute_factors(struct xo_drivers *d, const json_t *rec, double y)
{
	for (int k = 0; k < d->n_by; k++) {
		const json_t *v = xo_path_get(d->by[k], rec);
		if (!v || json_is_null(v) || json_is_object(v))
			continue;
		xo_buf_reset(&d->scratch);
		xo_buf_printf(&d->scratch, "%s=", xo_path_text(d->by[k]));
		char *prefix = xo_buf_steal(&d->scratch);
		if (json_is_array(v)) {
			size_t i;
			const json_t *e;
			json_array_foreach(v, i, e)
				if (!json_is_null(e) && !json_is_object(e) && !json_is_array(e))
					count_text(d, prefix, e, y);
		} else {
			count_text(d, prefix, v, y);
		}
		free(prefix);
	}
}

int xo_drivers_add(struct xo_drivers *d, const json_t *rec, struct xo_buf *why,
		   struct xo_buf *warn)
{
	double y;
	int rc = outcome(d, rec, &y, why);
	if (rc <= 0)
		return rc;
	d->record++;
	d->n++;
	d->sum += y;
	d->sumsq += y * y;
	topic_factors(d, rec, y, warn);
	if (d->o.steps) {
		step_factors(d, rec, y);
		pattern_factors(d, rec, y);
	}
	attribute_factors(d, rec, y);
	return 1;
}

/* Moments of a group from its sums (values are bounded, so the sums of
 * squares lose nothing that matters here). */
static struct xo_moments moments(double n, double sum, double sumsq)
{
	struct xo_moments m = { n, n > 0 ? sum / n : 0, 0 };
	m.m2 = n > 0 ? fmax(0, sumsq - sum * sum / n) : 0;
	return m;
}

static void analyse(const struct xo_drivers *d, struct factor *f)
{
	double n1 = (double)f->n, n0 = (double)(d->n - f->n);
	f->with = f->sum / n1;
	f->without = (d->sum - f->sum) / n0;
	f->diff = f->with - f->without;
	f->prevalence = n1 / (double)d->n;
	f->impact = f->diff * f->prevalence;
	int worse_up = d->o.outcome == XO_OUTCOME_CHURN ||
		       (d->o.outcome == XO_OUTCOME_CES && d->o.scale == XO_CES_EFFORT);
	f->harm = worse_up ? f->impact : -f->impact;
	if (d->o.outcome == XO_OUTCOME_CHURN) {
		xo_prop_ztest(f->sum / 100, n1, (d->sum - f->sum) / 100, n0, &f->test);
	} else {
		struct xo_moments a = moments(n1, f->sum, f->sumsq);
		struct xo_moments b = moments(n0, d->sum - f->sum, d->sumsq - f->sumsq);
		xo_welch(&a, &b, &f->test);
	}
}

static int by_harm(const void *x, const void *y)
{
	const struct factor *a = *(struct factor *const *)x, *b = *(struct factor *const *)y;
	if (a->harm != b->harm)
		return a->harm > b->harm ? -1 : 1;
	return strcmp(a->name, b->name);
}

static const char *kind_of(const char *name)
{
	if (strncmp(name, "topic:", 6) == 0)
		return "topic";
	if (strncmp(name, "step:", 5) == 0)
		return "step";
	if (strncmp(name, "path:", 5) == 0)
		return "path";
	if (strncmp(name, "pattern:", 8) == 0)
		return "pattern";
	return "attribute";
}

static json_t *number(double x, int digits)
{
	return isfinite(x) ? json_real(xo_round(x, digits)) : json_null();
}

/* p and q keep their significant digits: 4 of them. */
static json_t *pvalue(double p)
{
	if (!isfinite(p))
		return json_null();
	char text[32];
	snprintf(text, sizeof text, "%.4g", p);
	return json_real(strtod(text, NULL));
}

static void write_row(const struct xo_drivers *d, const struct factor *f, uint64_t rank,
		      enum xo_report_format fmt, struct xo_buf *row)
{
	int dg = d->o.digits;
	if (fmt == XO_FORMAT_TSV) {
		xo_buf_reset(row);
		xo_buf_printf(row, "%llu\t%s\t", (unsigned long long)rank, kind_of(f->name));
		xo_tsv_field(row, f->name, strlen(f->name));
		double v[] = {
			(double)f->n, (double)(d->n - f->n), xo_round(f->prevalence, 4),
			xo_round(f->with, dg), xo_round(f->without, dg), xo_round(f->diff, dg),
			xo_round(f->impact, dg), xo_round(f->test.stat, 3),
			f->test.df ? xo_round(f->test.df, 1) : NAN,
		};
		for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
			xo_buf_addc(row, '\t');
			xo_tsv_number(row, v[i]);
		}
		for (int k = 0; k < 2; k++) {
			double p = k ? f->q : f->test.p;
			xo_buf_addc(row, '\t');
			if (isfinite(p))
				xo_buf_printf(row, "%.4g", p);
		}
		xo_buf_addc(row, '\n');
		xo_out_write(row->data, row->len);
		xo_out_record_end();
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "rank", json_integer((json_int_t)rank));
	json_object_set_new(o, "factor", json_string(f->name));
	json_object_set_new(o, "kind", json_string(kind_of(f->name)));
	json_object_set_new(o, "n_with", json_integer((json_int_t)f->n));
	json_object_set_new(o, "n_without", json_integer((json_int_t)(d->n - f->n)));
	json_object_set_new(o, "prevalence", number(f->prevalence, 4));
	json_object_set_new(o, "with", number(f->with, dg));
	json_object_set_new(o, "without", number(f->without, dg));
	json_object_set_new(o, "diff", number(f->diff, dg));
	json_object_set_new(o, "impact", number(f->impact, dg));
	json_object_set_new(o, d->o.outcome == XO_OUTCOME_CHURN ? "z" : "t", number(f->test.stat, 3));
	if (d->o.outcome != XO_OUTCOME_CHURN)
		json_object_set_new(o, "df", number(f->test.df, 1));
	json_object_set_new(o, "p", pvalue(f->test.p));
	json_object_set_new(o, "q", pvalue(f->q));
	xo_out_json(o);
	json_decref(o);
}

uint64_t xo_drivers_write(struct xo_drivers *d, enum xo_report_format fmt,
			  double *overall, uint64_t *n)
{
	*n = d->n;
	*overall = d->n ? d->sum / (double)d->n : NAN;
	struct factor **list = xo_malloc((d->factors.n + 1) * sizeof *list);
	size_t m = 0;
	for (size_t i = 0; i < d->factors.n; i++) {
		struct factor *f = d->factors.entries[i].value;
		if (f->n >= d->o.min_n && d->n - f->n >= d->o.min_n && d->n - f->n > 0) {
			analyse(d, f);
			list[m++] = f;
		}
	}
	double *p = xo_malloc((m + 1) * sizeof *p), *q = xo_malloc((m + 1) * sizeof *q);
	for (size_t i = 0; i < m; i++)
		p[i] = list[i]->test.p;
	xo_bh_qvalues(p, q, m);
	for (size_t i = 0; i < m; i++)
		list[i]->q = q[i];
	free(p);
	free(q);
	qsort(list, m, sizeof *list, by_harm);
	struct xo_buf row = XO_BUF_INIT;
	if (fmt == XO_FORMAT_TSV) {
		const char *t = d->o.outcome == XO_OUTCOME_CHURN ? "z" : "t";
		xo_out_printf("rank\tkind\tfactor\tn_with\tn_without\tprevalence\twith\twithout\tdiff\timpact\t%s\tdf\tp\tq\n", t);
	}
	uint64_t written = 0;
	for (size_t i = 0; i < m && (!d->o.top || written < d->o.top); i++) {
		if (d->o.max_q < 1 && !(list[i]->q <= d->o.max_q))
			continue;
		write_row(d, list[i], ++written, fmt, &row);
	}
	xo_buf_free(&row);
	free(list);
	return written;
}

static void free_factor(void *v)
{
	struct factor *f = v;
	if (f)
		free(f->name);
	free(f);
}

void xo_drivers_free(struct xo_drivers *d)
{
	if (!d)
		return;
	xo_path_free(d->value);
	xo_path_free(d->text);
	xo_paths_free(d->by, d->n_by);
	xo_strmap_free(&d->factors, free_factor);
	free(d->hit);
	xo_buf_free(&d->name);
	xo_buf_free(&d->scratch);
	free(d);
}
