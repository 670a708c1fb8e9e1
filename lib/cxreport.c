#include "cxreport.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "mem.h"
#include "out.h"
#include "tsv.h"

/* A group's key is, for each --by path, '\1' (absent) or '\2' and the
 * value's text, then '\3' and the period: bytes that sort as wanted. */
struct group {
	json_t *values;     /* array of the --by values (null when absent) */
	char period[XO_PERIOD_BUFSIZE];
	struct xo_cx_totals totals;
};

struct xo_path **xo_paths_compile(const char *list, int *n, struct xo_buf *err)
{
	struct xo_path **paths = NULL;
	size_t cap = 0;
	*n = 0;
	if (!list)
		return NULL;
	char *copy = xo_strdup(list), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct xo_path *p = xo_path_compile(tok, err);
		if (!p) {
			xo_paths_free(paths, *n);
			free(copy);
			*n = -1;
			return NULL;
		}
		paths = xo_grow(paths, &cap, (size_t)*n + 1, sizeof *paths);
		paths[(*n)++] = p;
	}
	free(copy);
	return paths;
}

void xo_paths_free(struct xo_path **paths, int n)
{
	for (int i = 0; i < n; i++)
		xo_path_free(paths[i]);
	free(paths);
}

int xo_cxreport_init(struct xo_cxreport *r, const char *by, struct xo_buf *err)
{
	memset(r, 0, sizeof *r);
	r->digits = 2;
	xo_strmap_init(&r->groups);
	r->by = xo_paths_compile(by, &r->n_by, err);
	return r->n_by < 0 ? -1 : 0;
}

static void free_group(void *v)
{
	struct group *g = v;
	if (g)
		json_decref(g->values);
	free(g);
}

/* Whether this event (by its id, ts and source) was counted already.
 * Events without an id are always counted. */
static int seen_before(struct xo_cxreport *r, const json_t *event)
{
	static const char *const keys[] = { "id", "ts", "source" };
	const json_t *id = json_object_get(event, "id");
	if (!json_is_string(id) || json_string_length(id) == 0)
		return 0;
	struct xo_hasher h;
	xo_hasher_init(&h, &XO_HASH_PUBLIC);
	for (int i = 0; i < 3; i++) {
		const json_t *v = json_object_get(event, keys[i]);
		if (json_is_string(v))
			xo_hasher_add(&h, json_string_value(v), json_string_length(v));
		xo_hasher_add(&h, "", 1);
	}
	return !xo_u64set_add(&r->seen, xo_hasher_end(&h));
}

int xo_cxreport_add(struct xo_cxreport *r, const json_t *event, struct xo_buf *why)
{
	struct xo_cx_response resp;
	int rc = xo_cx_read(event, &resp, why);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		r->no_cx++;
		return 0;
	}
	if (seen_before(r, event)) {
		r->repeats++;
		return 0;
	}
	char period[XO_PERIOD_BUFSIZE] = "";
	if (r->period != XO_PERIOD_NONE) {
		const json_t *ts = json_object_get(event, "ts");
		xo_time_t t;
		if (!json_is_string(ts) ||
		    xo_time_parse_rfc3339(json_string_value(ts), json_string_length(ts), &t) != 0) {
			xo_buf_adds(why, ts ? "\"ts\" is not an RFC 3339 time" : "no \"ts\"");
			return -1;
		}
		xo_period_label(r->period, t, r->tz, period);
	}
	xo_buf_reset(&r->key);
	for (int i = 0; i < r->n_by; i++) {
		const json_t *v = xo_path_get(r->by[i], event);
		if (!v || json_is_null(v)) {
			xo_buf_addc(&r->key, '\1');
		} else {
			xo_buf_addc(&r->key, '\2');
			xo_json_text(&r->key, v);
		}
		xo_buf_addc(&r->key, '\0');
	}
	xo_buf_addc(&r->key, '\3');
	xo_buf_adds(&r->key, period);
	int added;
	struct group **slot = (struct group **)xo_strmap_slot(&r->groups, r->key.data,
							      r->key.len, &added);
	if (added) {
		struct group *g = xo_calloc(1, sizeof *g);
		g->values = json_array();
		for (int i = 0; i < r->n_by; i++) {
			json_t *v = xo_path_get(r->by[i], event);
			json_array_append(g->values, v ? v : json_null());
		}
		memcpy(g->period, period, sizeof period);
		*slot = g;
	}
	xo_cx_add(&(*slot)->totals, &resp, r->scale);
	r->responses++;
	return 1;
}

static uint64_t responses(const struct xo_cx_totals *t)
{
	uint64_t n = t->nps_n;
	if (t->csat_n > n)
		n = t->csat_n;
	if ((uint64_t)t->ces.n > n)
		n = (uint64_t)t->ces.n;
	return n;
}

static void write_json(const struct xo_cxreport *r, const struct group *g,
		       const struct xo_cx_figures *f)
{
	json_t *row = json_object();
	if (r->n_by) {
		json_t *group = json_object();
		for (int i = 0; i < r->n_by; i++)
			json_object_set(group, xo_path_text(r->by[i]), json_array_get(g->values, (size_t)i));
		json_object_set_new(row, "group", group);
	}
	if (r->period != XO_PERIOD_NONE)
		json_object_set_new(row, "period", json_string(g->period));
	xo_cx_json(row, &g->totals, f);
	xo_out_json(row);
	json_decref(row);
}

static const char *const tsv_columns[] = {
	"nps_n", "nps", "nps_moe", "promoters", "passives", "detractors",
	"csat_n", "csat", "csat_moe", "satisfied",
	"ces_n", "ces_mean", "ces_sd", "ces_moe", "ces_low_effort", "ces_low_effort_moe",
};

static void write_tsv_header(const struct xo_cxreport *r, struct xo_buf *row)
{
	xo_buf_reset(row);
	for (int i = 0; i < r->n_by; i++) {
		xo_tsv_sep(row);
		xo_tsv_field(row, xo_path_text(r->by[i]), strlen(xo_path_text(r->by[i])));
	}
	if (r->period != XO_PERIOD_NONE) {
		xo_tsv_sep(row);
		xo_buf_adds(row, "period");
	}
	for (size_t i = 0; i < sizeof tsv_columns / sizeof *tsv_columns; i++) {
		xo_tsv_sep(row);
		xo_buf_adds(row, tsv_columns[i]);
	}
	xo_buf_addc(row, '\n');
	xo_out_write(row->data, row->len);
}

static void write_tsv(const struct xo_cxreport *r, const struct group *g,
		      const struct xo_cx_figures *f, struct xo_buf *row, struct xo_buf *text)
{
	const struct xo_cx_totals *t = &g->totals;
	xo_buf_reset(row);
	for (int i = 0; i < r->n_by; i++) {
		if (i)
			xo_buf_addc(row, '\t');
		xo_buf_reset(text);
		xo_json_text(text, json_array_get(g->values, (size_t)i));
		xo_tsv_field(row, text->data ? text->data : "", text->len);
	}
	if (r->period != XO_PERIOD_NONE) {
		xo_tsv_sep(row);
		xo_buf_adds(row, g->period);
	}
	double v[] = {
		(double)t->nps_n, f->nps, f->nps_moe, (double)t->promoters,
		(double)t->passives, (double)t->detractors,
		(double)t->csat_n, f->csat, f->csat_moe, (double)t->satisfied,
		t->ces.n, f->ces_mean, f->ces_sd, f->ces_moe, f->ces_low, f->ces_low_moe,
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		if (i || r->n_by || r->period != XO_PERIOD_NONE)
			xo_buf_addc(row, '\t');
		xo_tsv_number(row, v[i]);
	}
	xo_buf_addc(row, '\n');
	xo_out_write(row->data, row->len);
	xo_out_record_end();
}

uint64_t xo_cxreport_write(struct xo_cxreport *r, enum xo_report_format fmt)
{
	struct xo_buf row = XO_BUF_INIT, text = XO_BUF_INIT;
	uint64_t rows = 0;
	xo_strmap_sort(&r->groups);
	if (fmt == XO_FORMAT_TSV)
		write_tsv_header(r, &row);
	for (size_t i = 0; i < r->groups.n; i++) {
		const struct group *g = r->groups.entries[i].value;
		if (responses(&g->totals) < r->min_n)
			continue;
		struct xo_cx_figures f;
		xo_cx_compute(&g->totals, r->digits, &f);
		if (fmt == XO_FORMAT_TSV)
			write_tsv(r, g, &f, &row, &text);
		else
			write_json(r, g, &f);
		rows++;
	}
	xo_buf_free(&row);
	xo_buf_free(&text);
	return rows;
}

void xo_cxreport_free(struct xo_cxreport *r)
{
	xo_paths_free(r->by, r->n_by);
	xo_strmap_free(&r->groups, free_group);
	xo_buf_free(&r->key);
	xo_u64map_free(&r->seen);
}
