#include "rundata.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "diag.h"
#include "input.h"
#include "jpath.h"
#include "jscan.h"
#include "mem.h"
#include "ndjson.h"
#include "progress.h"

const char *const xo_run_kind_names[XO_RUN_KINDS] = {
	"metrics", "journey-dot", "paths", "funnel", "drivers", "predictions",
	"calibration", "decisions", "review", "rejected",
};

const char *const xo_measure_names[XO_MEASURES] = { "nps", "csat", "ces" };

/* Samples of rejects kept for each source. */
#define SAMPLES_PER_SOURCE 3
/* Characters of a sample's raw text shown. */
#define SAMPLE_CHARS 240

/* What a reader is given for each record. */
struct reading {
	struct xo_run *run;
	struct xo_run_file *file;
	struct xo_buf why;
	const struct xo_path *risk, *risk_top; /* predictions */
	struct xo_jmembers members;  /* of the line being read in place */
};

/* ---- values ---- */

/* A JSON string as a C string: NUL bytes (JSON allows \u0000) become
 * U+FFFD so that nothing is cut short later. */
static char *text_dup(const char *s, size_t len)
{
	struct xo_buf b = XO_BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		if (s[i])
			xo_buf_addc(&b, s[i]);
		else
			xo_buf_adds(&b, "\xef\xbf\xbd");
	}
	return b.data ? xo_buf_steal(&b) : xo_strdup("");
}

/* Any value as text (strings as they are, others as JSON); NULL when
 * absent or null. */
static char *value_text(const json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	struct xo_buf b = XO_BUF_INIT;
	xo_json_text(&b, v);
	char *s = text_dup(xo_buf_str(&b), b.len);
	xo_buf_free(&b);
	return s;
}

/* The number at key of obj: 0 with *out (NAN when absent or null), -1
 * with the reason when it is something else. */
static int get_num(const json_t *obj, const char *ctx, const char *key, double *out,
		   struct xo_buf *why)
{
	const json_t *v = json_object_get(obj, key);
	*out = NAN;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v)) {
		xo_buf_printf(why, "%s%s%s is not a number", ctx ? ctx : "", ctx ? "." : "", key);
		return -1;
	}
	*out = json_number_value(v);
	return 0;
}

/* The string at key: 0 with *out (NULL when absent or null; numbers and
 * booleans as text), -1 when it is an array or object. */
static int get_str(const json_t *obj, const char *key, char **out, struct xo_buf *why)
{
	const json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (json_is_array(v) || json_is_object(v)) {
		xo_buf_printf(why, "%s is not a string", key);
		return -1;
	}
	*out = value_text(v);
	return 0;
}

static char *or_none(char *s, const char *none)
{
	return s ? s : xo_strdup(none);
}

/* ---- files ---- */

static struct xo_run_file *add_file(struct xo_run *run, enum xo_run_kind kind, const char *path,
				    const char *label)
{
	run->files = xo_grow(run->files, &run->cap_files, run->n_files + 1, sizeof *run->files);
	struct xo_run_file *f = &run->files[run->n_files++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->path = xo_strdup(path);
	f->label = label ? xo_strdup(label) : NULL;
	return f;
}

static void file_error(struct xo_run *run, struct xo_run_file *f, const char *why)
{
	f->error = xo_strdup(why);
	run->unreadable++;
	xo_error("%s: %s", f->path, why);
}

static void reject_line(struct reading *rd, const struct xo_input *in, const char *line,
			size_t len, const char *why)
{
	rd->file->bad++;
	rd->run->bad_lines++;
	if (rd->run->opts.rejects)
		xo_rejects_add(rd->run->opts.rejects, in->name, in->line, line, len, why);
	else
		xo_warn_at(in->name, in->line, "skipped: %s", why);
}

typedef int (*record_fn)(struct reading *rd, json_t *rec);

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* What to do with one line: 0 when used, -1 with the reason in rd->why. */
typedef int (*line_fn)(struct reading *rd, const char *line, size_t len, const void *ctx);

/* Each non-blank line of a file through fn; the lines it refuses are
 * rejected. */
/* A read error midway is reported like a file that cannot be opened:
 * the page is still made, from what was read, and says so. */
static void read_error(struct reading *rd, const struct xo_input *in)
{
	char why[128];
	snprintf(why, sizeof why, "read error: %s", strerror(in->error));
	file_error(rd->run, rd->file, why);
}

static void read_lines(struct reading *rd, line_fn fn, const void *ctx)
{
	struct xo_input in;
	if (xo_input_open(&in, rd->file->path) != 0) {
		file_error(rd->run, rd->file, strerror(errno));
		return;
	}
	in.soft_errors = 1;
	struct xo_progress progress;
	xo_progress_init(&progress);
	ssize_t len;
	while ((len = xo_input_getline(&in)) >= 0) {
		if (is_blank(in.buf, (size_t)len))
			continue;
		xo_progress_tick(&progress, in.offset, in.size);
		xo_buf_reset(&rd->why);
		if (fn(rd, in.buf, (size_t)len, ctx) == 0)
			rd->file->records++;
		else
			reject_line(rd, &in, in.buf, (size_t)len, xo_buf_str(&rd->why));
	}
	xo_progress_done(&progress);
	if (in.error)
		read_error(rd, &in);
	xo_input_close(&in);
}

/* A whole JSON object per line, through the record_fn ctx points to. */
static int object_line(struct reading *rd, const char *line, size_t len, const void *ctx)
{
	const record_fn *fn = ctx;
	json_t *rec;
	if (xo_ndjson_parse(line, len, &rec, &rd->why) != XO_NDJSON_OBJECT)
		return -1;
	int rc = (*fn)(rd, rec);
	json_decref(rec);
	return rc;
}

static void read_ndjson(struct reading *rd, record_fn fn)
{
	read_lines(rd, object_line, &fn);
}

/* A value read in place, built: NULL when absent. */
static json_t *jval_json(const struct xo_jval *v)
{
	if (v->type == XO_J_NONE)
		return NULL;
	if (v->type == XO_J_STRING) { /* the span is the text between the quotes */
		struct xo_buf b = XO_BUF_INIT;
		xo_jscan_string(v, &b);
		json_t *s = json_stringn_nocheck(xo_buf_str(&b), b.len);
		xo_buf_free(&b);
		return s;
	}
	return json_loadb(v->p, v->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

/* Check a line as a JSON object and list its members in rd->members. */
static int scan_line(struct reading *rd, const char *line, size_t len)
{
	const char *reason;
	size_t column;
	if (xo_jscan_object(line, len, &rd->members, &reason, &column) == 0)
		return 0;
	xo_buf_printf(&rd->why, "invalid JSON at column %zu: %s", column, reason);
	return -1;
}

/* The value of top-level member name of the line scanned, built. */
static json_t *member_json(const struct reading *rd, const char *name)
{
	struct xo_jval v = { NULL, 0, XO_J_NONE, 0 };
	for (size_t i = 0; i < rd->members.n; i++) /* the last of duplicates, as jansson */
		if (xo_jscan_key_is(&rd->members.items[i].key, name, strlen(name)))
			v = rd->members.items[i].val;
	return jval_json(&v);
}

/* The members a record_fn reads; the others are checked but not built
 * (they may be most of the line). */
struct subset {
	const char *const *names;
	size_t n;
	record_fn fn;
};

static int subset_line(struct reading *rd, const char *line, size_t len, const void *ctx)
{
	const struct subset *sub = ctx;
	if (scan_line(rd, line, len))
		return -1;
	json_t *rec = json_object();
	for (size_t k = 0; k < sub->n; k++) {
		json_t *v = member_json(rd, sub->names[k]);
		if (v)
			json_object_set_new(rec, sub->names[k], v);
	}
	int rc = sub->fn(rd, rec);
	json_decref(rec);
	return rc;
}

/* ---- metrics ---- */

static int read_metric(const json_t *obj, int k, struct xo_metric *m, struct xo_buf *why)
{
	static const char *const extra[XO_MEASURES][3] = {
		{ "promoters", "passives", "detractors" },
		{ "satisfied", NULL, NULL },
		{ "sd", "low_effort", "low_effort_moe" },
	};
	const char *name = xo_measure_names[k];
	const json_t *o = json_object_get(obj, name);
	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o)) {
		xo_buf_printf(why, "%s is not an object", name);
		return -1;
	}
	m->present = 1;
	double *slots[3] = { &m->a, &m->b, &m->c };
	if (get_num(o, name, "n", &m->n, why) || get_num(o, name, "moe", &m->moe, why) ||
	    get_num(o, name, k == XO_CES ? "mean" : "score", &m->score, why))
		return -1;
	for (int i = 0; i < 3; i++) {
		*slots[i] = NAN;
		if (extra[k][i] && get_num(o, name, extra[k][i], slots[i], why))
			return -1;
	}
	return 0;
}

/* The group as "path=value, path=value". */
static int group_text(const json_t *rec, char **out, struct xo_buf *why)
{
	const json_t *g = json_object_get(rec, "group");
	*out = NULL;
	if (!g || json_is_null(g)) {
		*out = xo_strdup("");
		return 0;
	}
	if (!json_is_object(g)) {
		xo_buf_adds(why, "group is not an object");
		return -1;
	}
	struct xo_buf b = XO_BUF_INIT;
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)g, key, v) {
		if (b.len)
			xo_buf_adds(&b, ", ");
		xo_buf_adds(&b, key);
		xo_buf_addc(&b, '=');
		if (json_is_null(v))
			xo_buf_adds(&b, "(none)");
		else
			xo_json_text(&b, v);
	}
	*out = text_dup(xo_buf_str(&b), b.len);
	xo_buf_free(&b);
	return 0;
}

static int metrics_record(struct reading *rd, json_t *rec)
{
	struct xo_metrics_row row;
	memset(&row, 0, sizeof row);
	const json_t *period = json_object_get(rec, "period");
	if (period && !json_is_null(period) && !json_is_string(period)) {
		xo_buf_adds(&rd->why, "period is not a string");
		return -1;
	}
	int found = 0;
	for (int k = 0; k < XO_MEASURES; k++) {
		if (read_metric(rec, k, &row.m[k], &rd->why))
			return -1;
		found |= row.m[k].present;
	}
	if (!found) {
		xo_buf_adds(&rd->why, "no nps, csat or ces: not a row of xo-score metrics");
		return -1;
	}
	if (group_text(rec, &row.group, &rd->why))
		return -1;
	row.period = json_is_string(period) ? value_text(period) : NULL;
	struct xo_run *run = rd->run;
	run->metrics = xo_grow(run->metrics, &run->cap_metrics, run->n_metrics + 1, sizeof row);
	run->metrics[run->n_metrics++] = row;
	return 0;
}

/* ---- journeys ---- */

static int paths_record(struct reading *rd, json_t *rec)
{
	struct xo_path_row row;
	const json_t *path = json_object_get(rec, "path");
	if (!json_is_array(path) && !json_is_string(path)) {
		xo_buf_adds(&rd->why, "no path array: not a row of xo-journey --paths");
		return -1;
	}
	if (get_num(rec, NULL, "rank", &row.rank, &rd->why) ||
	    get_num(rec, NULL, "count", &row.count, &rd->why) ||
	    get_num(rec, NULL, "share", &row.share, &rd->why) ||
	    get_num(rec, NULL, "length", &row.length, &rd->why))
		return -1;
	struct xo_buf b = XO_BUF_INIT;
	if (json_is_string(path)) {
		xo_json_text(&b, path);
	} else {
		size_t i;
		const json_t *node;
		json_array_foreach(path, i, node) {
			if (i)
				xo_buf_adds(&b, " > ");
			xo_json_text(&b, node);
		}
		if (!isfinite(row.length))
			row.length = (double)json_array_size(path);
	}
	row.path = text_dup(xo_buf_str(&b), b.len);
	xo_buf_free(&b);
	struct xo_run *run = rd->run;
	if (!isfinite(row.rank))
		row.rank = (double)run->n_paths + 1;
	run->paths = xo_grow(run->paths, &run->cap_paths, run->n_paths + 1, sizeof row);
	run->paths[run->n_paths++] = row;
	return 0;
}

static int funnel_record(struct reading *rd, json_t *rec)
{
	struct xo_funnel_step s;
	memset(&s, 0, sizeof s);
	if (get_num(rec, NULL, "step", &s.step, &rd->why) ||
	    get_num(rec, NULL, "customers", &s.customers, &rd->why) ||
	    get_num(rec, NULL, "conversion", &s.conversion, &rd->why) ||
	    get_num(rec, NULL, "step_conversion", &s.step_conversion, &rd->why) ||
	    get_num(rec, NULL, "median_s", &s.median_s, &rd->why))
		return -1;
	if (!isfinite(s.step) || !isfinite(s.customers)) {
		xo_buf_adds(&rd->why, "no step or customers: not a row of xo-journey --funnel");
		return -1;
	}
	if (get_str(rec, "funnel", &s.funnel, &rd->why))
		return -1;
	if (get_str(rec, "match", &s.match, &rd->why)) {
		free(s.funnel);
		return -1;
	}
	s.funnel = or_none(s.funnel, "funnel");
	s.match = or_none(s.match, "");
	struct xo_run *run = rd->run;
	run->funnel = xo_grow(run->funnel, &run->cap_funnel, run->n_funnel + 1, sizeof s);
	run->funnel[run->n_funnel++] = s;
	return 0;
}

/* ---- drivers ---- */

static int drivers_record(struct reading *rd, json_t *rec)
{
	struct xo_driver_row r;
	memset(&r, 0, sizeof r);
	static const char *const keys[] = {
		"rank", "n_with", "n_without", "prevalence", "with", "without", "diff", "impact", "p", "q",
	};
	double *slots[] = {
		&r.rank, &r.n_with, &r.n_without, &r.prevalence, &r.with, &r.without, &r.diff,
		&r.impact, &r.p, &r.q,
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (get_num(rec, NULL, keys[i], slots[i], &rd->why))
			return -1;
	if (!json_is_string(json_object_get(rec, "factor"))) {
		xo_buf_adds(&rd->why, "no factor: not a row of xo-score drivers");
		return -1;
	}
	if (get_str(rec, "kind", &r.kind, &rd->why))
		return -1;
	r.factor = value_text(json_object_get(rec, "factor"));
	r.kind = or_none(r.kind, "");
	struct xo_driver_set *set = &rd->run->drivers[rd->run->n_drivers - 1];
	if (!isfinite(r.rank))
		r.rank = (double)set->n + 1;
	set->rows = xo_grow(set->rows, &set->cap, set->n + 1, sizeof r);
	set->rows[set->n++] = r;
	return 0;
}

/* ---- predictions ---- */

/* "feature=value, feature=value" of a prediction's top list. */
static char *top_text(const json_t *top)
{
	if (!json_is_array(top))
		return NULL;
	struct xo_buf b = XO_BUF_INIT;
	size_t i;
	const json_t *t;
	json_array_foreach(top, i, t) {
		/* {"feature":..., "value":...}, or a bare name */
		const json_t *f = json_is_object(t) ? json_object_get(t, "feature") : t;
		if (!f || json_is_null(f) || json_is_array(f) || json_is_object(f))
			continue;
		if (b.len)
			xo_buf_adds(&b, ", ");
		xo_json_text(&b, f);
		const json_t *v = json_is_object(t) ? json_object_get(t, "value") : NULL;
		if (v && !json_is_null(v)) {
			xo_buf_addc(&b, '=');
			xo_json_text(&b, v);
		}
	}
	char *s = b.len ? text_dup(b.data, b.len) : NULL;
	xo_buf_free(&b);
	return s;
}

/* Would a customer with probability p be among those most at risk? */
static int makes_top(const struct xo_predictions *pr, double p)
{
	return pr->max_top > 0 && !(pr->n_top == pr->max_top && pr->top[pr->n_top - 1].p > p);
}

/* Keep the max_top customers with the highest p, ties by xid. */
static void keep_at_risk(struct xo_predictions *pr, const json_t *xid_value, double p,
			 const json_t *top)
{
	char *xid = or_none(value_text(xid_value), "(no xid)");
	size_t at = pr->n_top;
	while (at > 0 && (pr->top[at - 1].p < p ||
			  (pr->top[at - 1].p == p && strcmp(pr->top[at - 1].xid, xid) > 0)))
		at--;
	if (at >= pr->max_top) {
		free(xid);
		return;
	}
	if (pr->n_top == pr->max_top) {
		free(pr->top[pr->n_top - 1].xid);
		free(pr->top[pr->n_top - 1].why);
		pr->n_top--;
	}
	memmove(pr->top + at + 1, pr->top + at, (pr->n_top - at) * sizeof *pr->top);
	pr->top[at] = (struct xo_at_risk){ xid, p, top_text(top) };
	pr->n_top++;
}

/* Count a record's probability (present 0: it has none); -1 when p is
 * not a probability. */
static int count_probability(struct reading *rd, int present, double p)
{
	struct xo_predictions *pr = &rd->run->predictions;
	if (!present) {
		pr->missing++;
		return 0;
	}
	if (!(p >= 0 && p <= 1)) {
		xo_buf_printf(&rd->why, "%s is not a probability from 0 to 1", rd->run->opts.risk_field);
		return -1;
	}
	size_t bin = (size_t)floor(p * (double)pr->n_bins + 1e-9);
	if (bin >= pr->n_bins)
		bin = pr->n_bins - 1;
	pr->bins[bin]++;
	pr->records++;
	pr->sum_p += p;
	if (p >= rd->run->opts.high_risk)
		pr->high++;
	return 0;
}

/* The probability read in place: most records do not make the list of
 * those most at risk, and for them nothing is built. */
static int prediction_line(struct reading *rd, const char *line, size_t len, const void *ctx)
{
	(void)ctx;
	if (scan_line(rd, line, len))
		return -1;
	struct xo_jval v;
	int present = xo_jscan_path(&rd->members, rd->risk, &v) == 0 && v.type != XO_J_NULL;
	double p;
	if (!present || xo_jscan_number(&v, &p) != 0)
		p = NAN;
	if (count_probability(rd, present, p))
		return -1;
	if (present && makes_top(&rd->run->predictions, p)) {
		struct xo_jval t = { NULL, 0, XO_J_NONE, 0 };
		if (rd->risk_top && xo_jscan_path(&rd->members, rd->risk_top, &t) != 0)
			t.type = XO_J_NONE;
		json_t *xid = member_json(rd, "xid"), *top = jval_json(&t);
		keep_at_risk(&rd->run->predictions, xid, p, top);
		json_decref(xid);
		json_decref(top);
	}
	return 0;
}

/* ---- calibration ---- */

static int calibration_bins(struct xo_calibration *c, const json_t *bins, struct xo_buf *why)
{
	if (!json_is_array(bins)) {
		xo_buf_adds(why, "no calibration table (holdout.calibration)");
		return -1;
	}
	c->bins = xo_calloc(json_array_size(bins) + 1, sizeof *c->bins);
	size_t i;
	const json_t *b;
	json_array_foreach(bins, i, b) {
		struct xo_calib_bin *x = &c->bins[c->n_bins];
		if (!json_is_object(b)) {
			xo_buf_printf(why, "calibration bin %zu is not an object", i + 1);
			return -1;
		}
		if (get_num(b, "calibration", "from", &x->from, why) ||
		    get_num(b, "calibration", "to", &x->to, why) ||
		    get_num(b, "calibration", "n", &x->n, why) ||
		    get_num(b, "calibration", "mean_p", &x->mean_p, why) ||
		    get_num(b, "calibration", "observed", &x->observed, why))
			return -1;
		c->n_bins++;
	}
	return 0;
}

/* A model file or a train report: the figures are under "holdout"; a
 * bare {"calibration": [...]} or array of bins is taken too. */
static int calibration_json(struct xo_calibration *c, const json_t *doc, struct xo_buf *why)
{
	const json_t *h = doc;
	if (json_is_array(doc))
		return calibration_bins(c, doc, why);
	if (json_is_object(json_object_get(doc, "holdout")))
		h = json_object_get(doc, "holdout");
	if (get_num(h, "holdout", "records", &c->records, why) ||
	    get_num(h, "holdout", "positives", &c->positives, why) ||
	    get_num(h, "holdout", "auc", &c->auc, why) ||
	    get_num(h, "holdout", "log_loss", &c->log_loss, why) ||
	    get_num(h, "holdout", "accuracy", &c->accuracy, why) ||
	    get_num(h, "holdout", "brier", &c->brier, why))
		return -1;
	c->label = value_text(json_object_get(doc, "label"));
	c->trained_at = value_text(xo_path_lookup(doc, "trained.at"));
	return calibration_bins(c, json_object_get(h, "calibration"), why);
}

static void read_calibration(struct reading *rd)
{
	struct xo_calibration *c = &rd->run->calibration;
	int is_stdin = strcmp(rd->file->path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(rd->file->path, "r");
	if (!fp) {
		file_error(rd->run, rd->file, strerror(errno));
		return;
	}
	json_error_t err;
	json_t *doc = json_loadf(fp, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	int read_error = ferror(fp);
	if (!is_stdin)
		fclose(fp);
	if (read_error) {
		file_error(rd->run, rd->file, "read error");
		json_decref(doc);
		return;
	}
	struct xo_input in = { .name = is_stdin ? "(stdin)" : rd->file->path, .line = 1 };
	if (!doc) {
		in.line = err.line > 0 ? err.line : 1;
		xo_buf_printf(&rd->why, "invalid JSON at column %d: %s", err.column, err.text);
		reject_line(rd, &in, "", 0, xo_buf_str(&rd->why));
		return;
	}
	/* A second file replaces the first. */
	free(c->label);
	free(c->trained_at);
	free(c->bins);
	memset(c, 0, sizeof *c);
	if (calibration_json(c, doc, &rd->why) == 0) {
		c->present = 1;
		rd->file->records = 1;
	} else {
		reject_line(rd, &in, "", 0, xo_buf_str(&rd->why));
	}
	json_decref(doc);
}

/* ---- decisions and review ---- */

static void tally_value(struct xo_tally *t, const json_t *d, const char *key)
{
	struct xo_buf b = XO_BUF_INIT;
	const json_t *v = json_object_get(d, key);
	if (!v || json_is_null(v))
		xo_buf_adds(&b, "(none)");
	else
		xo_json_text(&b, v);
	xo_tally_add(t, xo_buf_str(&b), b.len, 1);
	xo_buf_free(&b);
}

static int decisions_record(struct reading *rd, json_t *rec)
{
	const json_t *ds = json_object_get(rec, "decisions");
	if (!json_is_array(ds)) {
		xo_buf_adds(&rd->why, "no decisions array: not a line of xo-decide");
		return -1;
	}
	size_t i;
	const json_t *d;
	json_array_foreach(ds, i, d) {
		if (!json_is_object(d)) {
			xo_buf_printf(&rd->why, "decision %zu is not an object", i + 1);
			return -1;
		}
	}
	struct xo_decisions *x = &rd->run->decisions;
	x->records++;
	if (json_array_size(ds))
		x->with_decision++;
	json_array_foreach(ds, i, d) {
		x->decisions++;
		tally_value(x->action, d, "action");
		tally_value(x->channel, d, "channel");
		tally_value(x->route, d, "route");
		tally_value(x->status, d, "status");
		const json_t *st = json_object_get(d, "status");
		if (json_is_string(st) && strcmp(json_string_value(st), "queued") == 0)
			x->queued++;
	}
	return 0;
}

static void keep_pending(struct xo_review *r, size_t max, struct xo_review_item item)
{
	if (r->n_pending >= max) {
		free(item.id), free(item.xid), free(item.action);
		free(item.channel), free(item.queued), free(item.why);
		return;
	}
	r->pending = xo_grow(r->pending, &r->cap_pending, r->n_pending + 1, sizeof item);
	r->pending[r->n_pending++] = item;
}

/* A line of "xo-decide review --list":
 *    ID  STATUS    XID             ACTION                CHANNEL   QUEUED                WHY
 *     1  pending   C1001           retention_call        phone     2026-03-15T12:00:00Z  route human
 * Returns 1 for a row, 0 for the header or "no ... reviews", -1 otherwise. */
static int review_text_line(struct reading *rd, char *line)
{
	char *words[6];
	char *p = line;
	int n = 0;
	for (; n < 6; n++) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		words[n] = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
	}
	if (n == 0 || strcmp(words[0], "ID") == 0 || strcmp(words[0], "no") == 0)
		return 0; /* the header, or "no pending reviews" */
	if (n < 2 || strspn(words[0], "0123456789") != strlen(words[0]))
		return -1;
	struct xo_review *r = &rd->run->review;
	xo_tally_add(r->status, words[1], strlen(words[1]), 1);
	if (strcmp(words[1], "pending") == 0 && n == 6) {
		p += strspn(p, " \t");
		struct xo_review_item it = {
			xo_strdup(words[0]), xo_strdup(words[2]), xo_strdup(words[3]),
			xo_strdup(words[4]), xo_strdup(words[5]), xo_strdup(p),
		};
		keep_pending(r, rd->run->opts.top, it);
	}
	return 1;
}

/* A line of "xo-decide review --export" (or anything with a status). */
static int review_json(struct reading *rd, json_t *rec)
{
	const json_t *st = json_object_get(rec, "verdict");
	if (!st)
		st = json_object_get(rec, "status");
	if (!json_is_string(st)) {
		xo_buf_adds(&rd->why, "no verdict or status: not a line of xo-decide review");
		return -1;
	}
	xo_tally_add(rd->run->review.status, json_string_value(st), json_string_length(st), 1);
	return 0;
}

static void read_review(struct reading *rd)
{
	struct xo_input in;
	if (xo_input_open(&in, rd->file->path) != 0) {
		file_error(rd->run, rd->file, strerror(errno));
		return;
	}
	rd->run->review.present = 1;
	in.soft_errors = 1;
	ssize_t len;
	while ((len = xo_input_getline(&in)) >= 0) {
		xo_buf_reset(&rd->why);
		size_t lead = strspn(in.buf, " \t");
		if ((size_t)len == lead)
			continue;
		int rc;
		if (in.buf[lead] == '{') {
			json_t *rec;
			rc = xo_ndjson_parse(in.buf, (size_t)len, &rec, &rd->why) == XO_NDJSON_OBJECT ? 1 : -1;
			if (rc == 1) {
				rc = review_json(rd, rec) == 0 ? 1 : -1;
				json_decref(rec);
			}
		} else {
			char *copy = xo_strndup(in.buf, (size_t)len);
			rc = memchr(in.buf, '\0', (size_t)len) ? -1 : review_text_line(rd, copy);
			free(copy);
			if (rc < 0)
				xo_buf_adds(&rd->why, "not a line of xo-decide review --list");
		}
		if (rc > 0)
			rd->file->records++;
		else if (rc < 0)
			reject_line(rd, &in, in.buf, (size_t)len, xo_buf_str(&rd->why));
	}
	if (in.error)
		read_error(rd, &in);
	xo_input_close(&in);
}

/* ---- rejects ---- */

/* A reason with its quoted values left out, so that rejects of one kind
 * count together: invalid email "anna@" -> invalid email "…". */
static void reason_kind(struct xo_buf *out, const char *s)
{
	int quoted = 0;
	for (; *s; s++) {
		if (*s == '"') {
			xo_buf_addc(out, '"');
			if (!quoted)
				xo_buf_adds(out, "\xe2\x80\xa6");
			quoted = !quoted;
		} else if (!quoted) {
			xo_buf_addc(out, *s);
		}
	}
	if (quoted)
		xo_buf_addc(out, '"');
}

/* At most n characters of s, cut on a character boundary. */
static char *cut(const char *s, size_t n)
{
	size_t i = 0, chars = 0;
	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == n)
			break;
	if (!s[i])
		return xo_strdup(s);
	struct xo_buf b = XO_BUF_INIT;
	xo_buf_add(&b, s, i);
	xo_buf_adds(&b, "\xe2\x80\xa6");
	return xo_buf_steal(&b);
}

static int rejected_record(struct reading *rd, json_t *rec)
{
	char *file, *reason, *raw;
	double line;
	if (get_num(rec, NULL, "line", &line, &rd->why))
		return -1;
	if (get_str(rec, "file", &file, &rd->why))
		return -1;
	if (get_str(rec, "reason", &reason, &rd->why) || get_str(rec, "raw", &raw, &rd->why)) {
		free(file);
		free(reason);
		return -1;
	}
	if (!reason && !raw && !file) {
		xo_buf_adds(&rd->why, "no file, reason or raw: not a line of xo-rejects(5)");
		return -1;
	}
	file = or_none(file, "(unknown)");
	reason = or_none(reason, "(no reason)");
	struct xo_rejected *r = &rd->run->rejected;
	size_t flen = strlen(file);
	double seen = xo_tally_get(r->by_source, file, flen);
	r->total++;
	xo_tally_add(r->by_source, file, flen, 1);
	struct xo_buf key = XO_BUF_INIT;
	xo_buf_adds(&key, file);
	xo_buf_addc(&key, '\x1f');
	reason_kind(&key, reason);
	xo_tally_add(r->by_reason, key.data, key.len, 1);
	xo_buf_free(&key);
	if (seen < SAMPLES_PER_SOURCE) {
		struct xo_buf where = XO_BUF_INIT;
		xo_buf_adds(&where, file);
		if (isfinite(line))
			xo_buf_printf(&where, ":%.0f", line);
		struct xo_buf kind = XO_BUF_INIT;
		if (rd->run->opts.no_raw)
			reason_kind(&kind, reason);
		r->samples = xo_grow(r->samples, &r->cap_samples, r->n_samples + 1, sizeof *r->samples);
		r->samples[r->n_samples++] = (struct xo_reject_sample){
			xo_strdup(file), xo_buf_steal(&where),
			cut(rd->run->opts.no_raw ? xo_buf_str(&kind) : reason, SAMPLE_CHARS),
			rd->run->opts.no_raw ? NULL : cut(raw ? raw : "", SAMPLE_CHARS),
		};
		xo_buf_free(&kind);
	}
	free(file);
	free(reason);
	free(raw);
	return 0;
}

/* ---- the run ---- */

struct xo_run *xo_run_new(const struct xo_run_opts *opts, struct xo_buf *err)
{
	struct xo_run *run = xo_calloc(1, sizeof *run);
	run->opts = *opts;
	if (run->opts.risk_bins < 1)
		run->opts.risk_bins = 10;
	run->predictions.n_bins = run->opts.risk_bins;
	run->predictions.bins = xo_calloc(run->opts.risk_bins, sizeof(double));
	run->predictions.max_top = run->opts.top;
	run->predictions.top = xo_calloc(run->opts.top + 1, sizeof *run->predictions.top);
	run->decisions.action = xo_tally_new();
	run->decisions.channel = xo_tally_new();
	run->decisions.route = xo_tally_new();
	run->decisions.status = xo_tally_new();
	run->review.status = xo_tally_new();
	run->rejected.by_source = xo_tally_new();
	run->rejected.by_reason = xo_tally_new();
	struct xo_path *p = xo_path_compile(opts->risk_field, err);
	if (!p) {
		xo_run_free(run);
		return NULL;
	}
	xo_path_free(p);
	return run;
}

/* The path of the top features beside the probability: prediction.p ->
 * prediction.top. */
static struct xo_path *risk_top_path(const char *risk)
{
	const char *dot = strrchr(risk, '.');
	if (!dot || strchr(dot, ']'))
		return NULL;
	struct xo_buf b = XO_BUF_INIT, err = XO_BUF_INIT;
	xo_buf_add(&b, risk, (size_t)(dot - risk));
	xo_buf_adds(&b, ".top");
	struct xo_path *p = xo_path_compile(b.data, &err);
	xo_buf_free(&b);
	xo_buf_free(&err);
	return p;
}

void xo_run_read(struct xo_run *run, enum xo_run_kind kind, const char *path, const char *label)
{
	struct reading rd = { run, add_file(run, kind, path, label), XO_BUF_INIT, NULL, NULL,
			      { NULL, 0, 0 } };
	struct xo_path *risk = NULL, *risk_top = NULL;
	switch (kind) {
	case XO_RUN_METRICS: read_ndjson(&rd, metrics_record); break;
	case XO_RUN_JOURNEY_DOT:
		run->dot_paths = xo_grow(run->dot_paths, &run->cap_dot, run->n_dot + 1, sizeof(char *));
		run->dot_paths[run->n_dot++] = xo_strdup(path);
		break;
	case XO_RUN_PATHS: read_ndjson(&rd, paths_record); break;
	case XO_RUN_FUNNEL: read_ndjson(&rd, funnel_record); break;
	case XO_RUN_DRIVERS:
		run->drivers = xo_grow(run->drivers, &run->cap_drivers, run->n_drivers + 1,
				       sizeof *run->drivers);
		run->drivers[run->n_drivers++] = (struct xo_driver_set){
			label ? xo_strdup(label) : NULL, xo_strdup(path), NULL, 0, 0,
		};
		read_ndjson(&rd, drivers_record);
		break;
	case XO_RUN_PREDICTIONS:
		risk = xo_path_compile(run->opts.risk_field, &rd.why);
		risk_top = risk_top_path(run->opts.risk_field);
		rd.risk = risk;
		rd.risk_top = risk_top;
		read_lines(&rd, prediction_line, NULL);
		break;
	case XO_RUN_CALIBRATION: read_calibration(&rd); break;
	case XO_RUN_DECISIONS: {
		/* the trace, most of each line, is not read */
		static const char *const names[] = { "decisions" };
		static const struct subset sub = { names, 1, decisions_record };
		read_lines(&rd, subset_line, &sub);
		break;
	}
	case XO_RUN_REVIEW: read_review(&rd); break;
	case XO_RUN_REJECTED: read_ndjson(&rd, rejected_record); break;
	case XO_RUN_KINDS: break;
	}
	xo_path_free(risk);
	xo_path_free(risk_top);
	free(rd.members.items);
	xo_buf_free(&rd.why);
}

int xo_run_given(const struct xo_run *run, enum xo_run_kind kind)
{
	for (size_t i = 0; i < run->n_files; i++)
		if (run->files[i].kind == kind)
			return 1;
	return 0;
}

/* ---- run directories ---- */

/* The file names of each kind in a run directory (fnmatch patterns). */
static const char *const dir_patterns[XO_RUN_KINDS][3] = {
	[XO_RUN_METRICS] = { "metrics.ndjson", "metrics-*.ndjson", NULL },
	[XO_RUN_JOURNEY_DOT] = { "journey.dot", "journey-*.dot", NULL },
	[XO_RUN_PATHS] = { "paths.ndjson", "paths-*.ndjson", NULL },
	[XO_RUN_FUNNEL] = { "funnel.ndjson", "funnel-*.ndjson", NULL },
	[XO_RUN_DRIVERS] = { "drivers.ndjson", "drivers-*.ndjson", NULL },
	[XO_RUN_PREDICTIONS] = { "predictions.ndjson", NULL, NULL },
	[XO_RUN_CALIBRATION] = { "model.json", NULL, NULL },
	[XO_RUN_DECISIONS] = { "decisions.ndjson", NULL, NULL },
	[XO_RUN_REVIEW] = { "review.txt", "review.ndjson", NULL },
	[XO_RUN_REJECTED] = { "rejects.ndjson", "rejects-*.ndjson", NULL },
};

static int name_matches(enum xo_run_kind kind, const char *name)
{
	for (int i = 0; i < 3 && dir_patterns[kind][i]; i++)
		if (fnmatch(dir_patterns[kind][i], name, FNM_PERIOD) == 0)
			return 1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* drivers-nps.ndjson -> "nps" */
static char *drivers_label(const char *name)
{
	if (strncmp(name, "drivers-", 8) != 0)
		return NULL;
	const char *s = name + 8, *end = strstr(s, ".ndjson");
	return end && end > s ? xo_strndup(s, (size_t)(end - s)) : NULL;
}

size_t xo_run_dir_files(const char *dir, enum xo_run_kind kind, char ***paths, char ***labels)
{
	*paths = NULL;
	if (labels)
		*labels = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!name_matches(kind, e->d_name))
			continue;
		names = xo_grow(names, &cap, n + 1, sizeof *names);
		names[n++] = xo_strdup(e->d_name);
	}
	closedir(d);
	if (n == 0)
		return 0;
	qsort(names, n, sizeof *names, by_name);
	*paths = xo_calloc(n, sizeof **paths);
	if (labels)
		*labels = xo_calloc(n, sizeof **labels);
	size_t dlen = strlen(dir);
	for (size_t i = 0; i < n; i++) {
		struct xo_buf b = XO_BUF_INIT;
		xo_buf_adds(&b, dir);
		if (dlen && dir[dlen - 1] != '/')
			xo_buf_addc(&b, '/');
		xo_buf_adds(&b, names[i]);
		(*paths)[i] = xo_buf_steal(&b);
		if (labels && kind == XO_RUN_DRIVERS)
			(*labels)[i] = drivers_label(names[i]);
		free(names[i]);
	}
	free(names);
	return n;
}

/* ---- freeing ---- */

static void free_metrics(struct xo_run *run)
{
	for (size_t i = 0; i < run->n_metrics; i++) {
		free(run->metrics[i].group);
		free(run->metrics[i].period);
	}
	free(run->metrics);
}

static void free_journeys(struct xo_run *run)
{
	for (size_t i = 0; i < run->n_dot; i++)
		free(run->dot_paths[i]);
	free(run->dot_paths);
	for (size_t i = 0; i < run->n_paths; i++)
		free(run->paths[i].path);
	free(run->paths);
	for (size_t i = 0; i < run->n_funnel; i++) {
		free(run->funnel[i].funnel);
		free(run->funnel[i].match);
	}
	free(run->funnel);
}

static void free_scores(struct xo_run *run)
{
	for (size_t i = 0; i < run->n_drivers; i++) {
		struct xo_driver_set *s = &run->drivers[i];
		for (size_t j = 0; j < s->n; j++) {
			free(s->rows[j].factor);
			free(s->rows[j].kind);
		}
		free(s->rows);
		free(s->outcome);
		free(s->path);
	}
	free(run->drivers);
	struct xo_predictions *pr = &run->predictions;
	for (size_t i = 0; i < pr->n_top; i++) {
		free(pr->top[i].xid);
		free(pr->top[i].why);
	}
	free(pr->top);
	free(pr->bins);
	free(run->calibration.label);
	free(run->calibration.trained_at);
	free(run->calibration.bins);
}

static void free_decisions(struct xo_run *run)
{
	xo_tally_free(run->decisions.action);
	xo_tally_free(run->decisions.channel);
	xo_tally_free(run->decisions.route);
	xo_tally_free(run->decisions.status);
	xo_tally_free(run->review.status);
	for (size_t i = 0; i < run->review.n_pending; i++) {
		struct xo_review_item *it = &run->review.pending[i];
		free(it->id), free(it->xid), free(it->action);
		free(it->channel), free(it->queued), free(it->why);
	}
	free(run->review.pending);
	xo_tally_free(run->rejected.by_source);
	xo_tally_free(run->rejected.by_reason);
	for (size_t i = 0; i < run->rejected.n_samples; i++) {
		struct xo_reject_sample *s = &run->rejected.samples[i];
		free(s->source), free(s->file_line), free(s->reason), free(s->raw);
	}
	free(run->rejected.samples);
}

void xo_run_free(struct xo_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->n_files; i++) {
		free(run->files[i].path);
		free(run->files[i].label);
		free(run->files[i].error);
	}
	free(run->files);
	free_metrics(run);
	free_journeys(run);
	free_scores(run);
	free_decisions(run);
	free(run);
}
