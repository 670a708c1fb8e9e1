#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "graphviz.h"
#include "html.h"
#include "mem.h"
#include "svg.h"

/* What every section writer is given. */
struct page {
	struct xo_buf *out;
	const struct xo_run *run;
	const struct xo_report_opts *o;
	struct xo_report_status *st;
};

/* ---- small pieces ---- */

static void tag_text(struct xo_buf *out, const char *open, const char *text, const char *close)
{
	xo_buf_adds(out, open);
	xo_html_str(out, text);
	xo_buf_adds(out, close);
}

static void section_begin(struct page *pg, const char *id, const char *title)
{
	xo_buf_printf(pg->out, "<section id=\"%s\">\n", id);
	tag_text(pg->out, "<h2>", title, "</h2>\n");
}

static void section_end(struct page *pg)
{
	xo_buf_adds(pg->out, "</section>\n");
}

/* "No data" and why, when have is 0; returns 1 then. */
static int no_data(struct page *pg, enum xo_run_kind kind, int have, const char *id)
{
	if (have)
		return 0;
	struct xo_buf *out = pg->out;
	xo_buf_printf(out, "<p class=\"nodata\" id=\"nodata-%s\">No data: ", id);
	int given = 0;
	for (size_t i = 0; i < pg->run->n_files; i++) {
		const struct xo_run_file *f = &pg->run->files[i];
		if (f->kind != kind)
			continue;
		given = 1;
		xo_buf_adds(out, "<code>");
		xo_html_str(out, f->path);
		xo_buf_adds(out, "</code> ");
		if (f->error)
			xo_html_printf(out, "could not be read (%s). ", f->error);
		else
			xo_html_printf(out, "held no usable records%s. ", f->bad ? " (see Inputs)" : "");
	}
	if (!given)
		xo_html_printf(out, "no --%s input was given.", xo_run_kind_names[kind]);
	xo_buf_adds(out, "</p>\n");
	return 1;
}

static void figure_begin(struct page *pg, const char *id, const char *caption)
{
	xo_buf_adds(pg->out, "<figure id=\"fig-");
	xo_html_str(pg->out, id);
	xo_buf_adds(pg->out, "\">\n");
	tag_text(pg->out, "<figcaption>", caption, "</figcaption>\n");
}

/* The table of a chart's figures goes inside details, open in print. */
static void figures_begin(struct page *pg)
{
	xo_buf_adds(pg->out, "<details class=\"figures\"><summary>The figures</summary>\n");
}

static void figures_end(struct page *pg)
{
	xo_buf_adds(pg->out, "</details>\n</figure>\n");
}

/* "12h 5m", "3d 4h", "45s". */
static void duration(struct xo_buf *out, double s)
{
	if (!isfinite(s)) {
		xo_buf_adds(out, "n/a");
		return;
	}
	long long t = llround(s);
	if (t >= 86400)
		xo_buf_printf(out, "%lldd %lldh", t / 86400, t % 86400 / 3600);
	else if (t >= 3600)
		xo_buf_printf(out, "%lldh %lldm", t / 3600, t % 3600 / 60);
	else if (t >= 60)
		xo_buf_printf(out, "%lldm %llds", t / 60, t % 60);
	else
		xo_buf_printf(out, "%llds", t);
}

static void card(struct page *pg, const char *id, const char *key, const char *value,
		 const char *sub)
{
	xo_buf_printf(pg->out, "<div class=\"card\" id=\"card-%s\"><div class=\"k\">", id);
	xo_html_str(pg->out, key);
	xo_buf_adds(pg->out, "</div><div class=\"v\">");
	xo_html_str(pg->out, value);
	xo_buf_adds(pg->out, "</div><div class=\"s\">");
	xo_html_str(pg->out, sub);
	xo_buf_adds(pg->out, "</div></div>\n");
}

/* Bars whose notes are shares, "(16.7%)"; the set owns the texts. */
struct bar_set {
	struct xo_svg_bar *bars;
	char **texts;          /* labels made here, and the notes */
	size_t n, n_texts;
};

static void bar_set_init(struct bar_set *b, size_t max)
{
	b->bars = xo_calloc(max + 1, sizeof *b->bars);
	b->texts = xo_calloc(2 * max + 1, sizeof *b->texts);
	b->n = b->n_texts = 0;
}

/* label is borrowed unless own is set (then the set frees it). */
static void bar_set_add(struct bar_set *b, const char *label, int own, double value, double share)
{
	struct xo_buf note = XO_BUF_INIT;
	xo_buf_addc(&note, '(');
	xo_html_pct(&note, share, "n/a");
	xo_buf_addc(&note, ')');
	if (own)
		b->texts[b->n_texts++] = (char *)label;
	b->texts[b->n_texts] = xo_buf_steal(&note);
	b->bars[b->n++] = (struct xo_svg_bar){ label, value, b->texts[b->n_texts++], 0 };
}

static void bar_set_free(struct bar_set *b)
{
	for (size_t i = 0; i < b->n_texts; i++)
		free(b->texts[i]);
	free(b->texts);
	free(b->bars);
}

/* Bar charts of counts from a tally, largest first, with shares. */
static void tally_chart(struct page *pg, const char *id, const char *caption, const char *desc_what,
			const char *axis, struct xo_tally *t)
{
	size_t n;
	const struct xo_tally_entry *e = xo_tally_sorted(t, &n);
	double total = xo_tally_total(t);
	struct bar_set b;
	bar_set_init(&b, n);
	struct xo_buf desc = XO_BUF_INIT;
	xo_buf_printf(&desc, "%s:", desc_what);
	for (size_t i = 0; i < n; i++) {
		bar_set_add(&b, e[i].key, 0, e[i].count, total > 0 ? e[i].count / total : NAN);
		if (i < 12)
			xo_buf_printf(&desc, "%s %s %.0f", i ? "," : "", e[i].key, e[i].count);
	}
	if (n > 12)
		xo_buf_printf(&desc, " and %zu more", n - 12);
	xo_buf_addc(&desc, '.');
	char chart_id[128];
	snprintf(chart_id, sizeof chart_id, "chart-%s", id);
	figure_begin(pg, id, caption);
	struct xo_svg_bars c = { { chart_id, caption, xo_buf_str(&desc), axis, NULL }, b.bars, n, 0,
				 NULL, NULL };
	xo_svg_bars(pg->out, &c);
	figures_begin(pg);
	const char *heads[] = { caption, "count", "share" };
	xo_html_table_begin(pg->out, NULL, heads, 3);
	for (size_t i = 0; i < n; i++) {
		xo_html_row_begin(pg->out);
		xo_html_cell(pg->out, e[i].key);
		xo_html_cell_num(pg->out, e[i].count, 0);
		xo_html_cell_pct(pg->out, total > 0 ? e[i].count / total : NAN);
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
	figures_end(pg);
	bar_set_free(&b);
	xo_buf_free(&desc);
}

/* ---- metrics ---- */

static const char *const measure_titles[XO_MEASURES] = { "NPS", "CSAT", "CES" };
static const char *const measure_units[XO_MEASURES] = {
	"NPS (points, -100 to 100)", "CSAT (% satisfied)", "CES (mean, 1 to 7)",
};
static const double measure_floor[XO_MEASURES] = { -100, 0, 1 };
static const double measure_ceil[XO_MEASURES] = { 100, 100, 7 };

/* The shape of a period name, so that weeks and months are not mixed on
 * one axis: 2026-03-02, 2026-03, 2026-Q1, 2026. */
static int period_shape(const char *p)
{
	size_t n = strlen(p);
	if (n == 10)
		return 1;
	if (n == 7 && p[5] == 'Q')
		return 3;
	if (n == 7)
		return 2;
	return n == 4 ? 4 : 5;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct strings of a list, sorted: periods or series. */
static size_t distinct(char **items, size_t n)
{
	qsort(items, n, sizeof *items, by_string);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (w == 0 || strcmp(items[w - 1], items[i]) != 0)
			items[w++] = items[i];
	return w;
}

static size_t index_of(char *const *items, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i], s) == 0)
			return i;
	return n;
}

struct trend {
	char **periods, **series;
	size_t n_periods, n_series;
	int shape;
	size_t other_shape;   /* rows left off the charts */
};

static void trend_axes(const struct xo_run *run, struct trend *t)
{
	memset(t, 0, sizeof *t);
	t->periods = xo_calloc(run->n_metrics + 1, sizeof(char *));
	t->series = xo_calloc(run->n_metrics + 1, sizeof(char *));
	for (size_t i = 0; i < run->n_metrics; i++) {
		const struct xo_metrics_row *r = &run->metrics[i];
		if (!r->period)
			continue;
		if (!t->shape)
			t->shape = period_shape(r->period);
		if (period_shape(r->period) != t->shape) {
			t->other_shape++;
			continue;
		}
		t->periods[t->n_periods++] = r->period;
		t->series[t->n_series++] = r->group;
	}
	t->n_periods = distinct(t->periods, t->n_periods);
	t->n_series = distinct(t->series, t->n_series);
}

static const char *series_name(const char *group)
{
	return *group ? group : "all responses";
}

static void trend_table(struct page *pg, int k, const struct trend *t)
{
	const char *nps_heads[] = { "period", "series", "n", "NPS", "margin (95%)", "promoters",
				    "passives", "detractors" };
	const char *csat_heads[] = { "period", "series", "n", "CSAT %", "margin (95%)", "satisfied" };
	const char *ces_heads[] = { "period", "series", "n", "CES mean", "margin (95%)", "sd",
				    "low effort %", "margin (95%)" };
	const char *const *heads = k == XO_NPS ? nps_heads : k == XO_CSAT ? csat_heads : ces_heads;
	size_t n_heads = k == XO_CSAT ? 6 : 8;
	xo_html_table_begin(pg->out, NULL, heads, n_heads);
	for (size_t i = 0; i < pg->run->n_metrics; i++) {
		const struct xo_metrics_row *r = &pg->run->metrics[i];
		const struct xo_metric *m = &r->m[k];
		if (!r->period || !m->present || period_shape(r->period) != t->shape)
			continue;
		xo_html_row_begin(pg->out);
		xo_html_cell(pg->out, r->period);
		xo_html_cell(pg->out, series_name(r->group));
		xo_html_cell_num(pg->out, m->n, 0);
		xo_html_cell_num(pg->out, m->score, 2);
		xo_html_cell_num(pg->out, m->moe, 2);
		xo_html_cell_num(pg->out, m->a, k == XO_CES ? 2 : 0);
		if (k != XO_CSAT) {
			xo_html_cell_num(pg->out, m->b, k == XO_CES ? 2 : 0);
			xo_html_cell_num(pg->out, m->c, k == XO_CES ? 2 : 0);
		}
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
}

/* The series of measure k: values by period, NAN where none. */
static int fill_series(const struct xo_run *run, int k, const struct trend *t, double *y,
		       double *lo, double *hi)
{
	int any = 0;
	for (size_t i = 0; i < t->n_series * t->n_periods; i++)
		y[i] = lo[i] = hi[i] = NAN;
	for (size_t i = 0; i < run->n_metrics; i++) {
		const struct xo_metrics_row *r = &run->metrics[i];
		const struct xo_metric *m = &r->m[k];
		if (!r->period || !m->present || period_shape(r->period) != t->shape)
			continue;
		size_t s = index_of(t->series, t->n_series, r->group);
		size_t p = index_of(t->periods, t->n_periods, r->period);
		size_t at = s * t->n_periods + p;
		y[at] = m->score;
		lo[at] = isfinite(m->moe) ? m->score - m->moe : NAN;
		hi[at] = isfinite(m->moe) ? m->score + m->moe : NAN;
		any |= isfinite(m->score);
	}
	return any;
}

/* " Latest: all responses 57.14 ± 53.96 (2026-03-09); ..." for the desc. */
static void latest_values(struct xo_buf *desc, const struct trend *t, const double *y,
			  const double *lo, const double *hi)
{
	xo_buf_adds(desc, " Latest:");
	for (size_t s = 0; s < t->n_series; s++) {
		size_t p = t->n_periods, base = s * t->n_periods;
		while (p > 0 && !isfinite(y[base + p - 1]))
			p--;
		if (p == 0)
			continue;
		size_t at = base + p - 1;
		xo_buf_printf(desc, "%s %s ", s ? ";" : "", series_name(t->series[s]));
		xo_html_num(desc, y[at], 2, "n/a");
		if (isfinite(hi[at])) {
			xo_buf_adds(desc, " \xc2\xb1 ");
			xo_html_num(desc, (hi[at] - lo[at]) / 2, 2, "n/a");
		}
		xo_buf_printf(desc, " (%s)", t->periods[p - 1]);
	}
	xo_buf_addc(desc, '.');
}

static void trend_chart(struct page *pg, int k, const struct trend *t)
{
	size_t cells = t->n_series * t->n_periods;
	double *y = xo_calloc(cells + 1, sizeof *y), *lo = xo_calloc(cells + 1, sizeof *lo);
	double *hi = xo_calloc(cells + 1, sizeof *hi);
	char id[32], cap[96];
	snprintf(id, sizeof id, "chart-%s", xo_measure_names[k]);
	snprintf(cap, sizeof cap, "%s over time, with 95%% margins of error", measure_titles[k]);
	if (!fill_series(pg->run, k, t, y, lo, hi)) {
		tag_text(pg->out, "<h3>", measure_titles[k], "</h3>\n");
		no_data(pg, XO_RUN_METRICS, 0, xo_measure_names[k]);
		goto done;
	}
	struct xo_svg_series *series = xo_calloc(t->n_series, sizeof *series);
	for (size_t s = 0; s < t->n_series; s++)
		series[s] = (struct xo_svg_series){ series_name(t->series[s]), y + s * t->n_periods,
						    lo + s * t->n_periods, hi + s * t->n_periods };
	struct xo_buf desc = XO_BUF_INIT;
	xo_buf_printf(&desc, "%s by period from %s to %s, %zu series (%zu drawn). Lines are the "
		      "scores, shaded bands and bars their 95%% margins of error.", measure_titles[k],
		      t->periods[0], t->periods[t->n_periods - 1], t->n_series,
		      t->n_series < XO_SVG_MAX_SERIES ? t->n_series : (size_t)XO_SVG_MAX_SERIES);
	latest_values(&desc, t, y, lo, hi);
	figure_begin(pg, id + 6, cap);
	struct xo_svg_lines c = {
		{ id, cap, xo_buf_str(&desc), "period", measure_units[k] },
		(const char *const *)t->periods, t->n_periods, series, t->n_series,
		measure_floor[k], measure_ceil[k], 2, "95% margin",
	};
	xo_svg_lines(pg->out, &c);
	if (t->n_series > XO_SVG_MAX_SERIES)
		xo_buf_printf(pg->out, "<p class=\"meta\">%zu series: the first %d are drawn; "
			      "the table has them all.</p>\n", t->n_series, XO_SVG_MAX_SERIES);
	figures_begin(pg);
	trend_table(pg, k, t);
	figures_end(pg);
	xo_buf_free(&desc);
	free(series);
done:
	free(y);
	free(lo);
	free(hi);
}

/* Rows over the whole run (no period), by group. */
static void overall_table(struct page *pg)
{
	size_t n = 0;
	for (size_t i = 0; i < pg->run->n_metrics; i++)
		n += pg->run->metrics[i].period == NULL;
	if (n == 0)
		return;
	xo_buf_adds(pg->out, "<div id=\"table-metrics-overall\">\n");
	const char *heads[] = { "group", "NPS n", "NPS", "margin", "CSAT n", "CSAT %", "margin",
				"CES n", "CES mean", "margin" };
	xo_html_table_begin(pg->out, "Over the whole run", heads, 10);
	for (size_t i = 0; i < pg->run->n_metrics; i++) {
		const struct xo_metrics_row *r = &pg->run->metrics[i];
		if (r->period)
			continue;
		xo_html_row_begin(pg->out);
		xo_html_cell(pg->out, series_name(r->group));
		for (int k = 0; k < XO_MEASURES; k++) {
			xo_html_cell_num(pg->out, r->m[k].present ? r->m[k].n : NAN, 0);
			xo_html_cell_num(pg->out, r->m[k].present ? r->m[k].score : NAN, 2);
			xo_html_cell_num(pg->out, r->m[k].present ? r->m[k].moe : NAN, 2);
		}
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
	xo_buf_adds(pg->out, "</div>\n");
}

static void section_metrics(struct page *pg)
{
	section_begin(pg, "metrics", "Experience metrics: NPS, CSAT, CES");
	if (no_data(pg, XO_RUN_METRICS, pg->run->n_metrics > 0, "metrics")) {
		section_end(pg);
		return;
	}
	overall_table(pg);
	struct trend t;
	trend_axes(pg->run, &t);
	if (t.n_periods == 0)
		xo_buf_adds(pg->out, "<p class=\"nodata\" id=\"nodata-trends\">No trend: the metrics "
			    "have no periods (xo-score metrics --every week gives them).</p>\n");
	for (int k = 0; k < XO_MEASURES && t.n_periods; k++)
		trend_chart(pg, k, &t);
	if (t.other_shape)
		xo_buf_printf(pg->out, "<p class=\"meta\">%zu rows with periods of another length "
			      "than the first (weeks and months mixed) are not drawn.</p>\n",
			      t.other_shape);
	free(t.periods);
	free(t.series);
	section_end(pg);
}

/* ---- journeys ---- */

static void journey_map(struct page *pg, size_t i)
{
	const char *path = pg->run->dot_paths[i];
	char id[48];
	snprintf(id, sizeof id, i ? "chart-journey-map-%zu" : "chart-journey-map", i + 1);
	struct xo_buf desc = XO_BUF_INIT, svg = XO_BUF_INIT, why = XO_BUF_INIT;
	xo_buf_printf(&desc, "The journey map of %s drawn by Graphviz: steps as boxes with their "
		      "volume, transitions as arrows labelled with their count.", path);
	struct xo_dot_opts o = { pg->o->dot_program, pg->o->dot_timeout_ms, id, "Journey map",
				 xo_buf_str(&desc) };
	figure_begin(pg, id + 6, "Steps and the transitions between them, drawn by Graphviz");
	enum xo_dot_status st = xo_dot_svg(&o, path, &svg, &why);
	if (st == XO_DOT_OK) {
		xo_buf_adds(pg->out, "<div class=\"map\">\n");
		xo_buf_add(pg->out, svg.data, svg.len);
		xo_buf_adds(pg->out, "\n</div>\n");
	} else {
		xo_buf_printf(pg->out, "<p class=\"warn\" id=\"nodata-%s\">", id + 6);
		if (st == XO_DOT_MISSING)
			xo_html_printf(pg->out, "The journey map cannot be drawn: Graphviz (%s) is not "
				       "installed. Install the graphviz package, or open %s with a "
				       "DOT viewer.", pg->o->dot_program, path);
		else
			xo_html_printf(pg->out, "The journey map %s could not be drawn: %s", path,
				       xo_buf_str(&why));
		xo_buf_adds(pg->out, "</p>\n");
		xo_warn("%s: journey map not drawn: %s", path, xo_buf_str(&why));
		if (st == XO_DOT_MISSING)
			pg->st->dot_missing = 1;
		else
			pg->st->dot_failed = 1;
	}
	xo_buf_adds(pg->out, "</figure>\n");
	xo_buf_free(&desc);
	xo_buf_free(&svg);
	xo_buf_free(&why);
}

static void top_paths(struct page *pg)
{
	const struct xo_run *run = pg->run;
	size_t n = run->n_paths < pg->o->top ? run->n_paths : pg->o->top;
	struct bar_set b;
	bar_set_init(&b, n);
	struct xo_buf desc = XO_BUF_INIT;
	xo_buf_printf(&desc, "The %zu most frequent paths and how many journeys took each:", n);
	for (size_t i = 0; i < n; i++) {
		const struct xo_path_row *r = &run->paths[i];
		bar_set_add(&b, r->path, 0, r->count, r->share);
		xo_buf_printf(&desc, "%s %s %.0f", i ? "," : "", r->path, r->count);
	}
	xo_buf_addc(&desc, '.');
	figure_begin(pg, "paths", "Journeys by path, most frequent first");
	struct xo_svg_bars c = { { "chart-paths", "Top paths", xo_buf_str(&desc), "journeys", NULL },
				 b.bars, n, 0, NULL, NULL };
	xo_svg_bars(pg->out, &c);
	figures_begin(pg);
	const char *heads[] = { "rank", "path", "count", "share", "steps" };
	xo_html_table_begin(pg->out, NULL, heads, 5);
	for (size_t i = 0; i < run->n_paths; i++) {
		const struct xo_path_row *r = &run->paths[i];
		xo_html_row_begin(pg->out);
		xo_html_cell_num(pg->out, r->rank, 0);
		xo_html_cell(pg->out, r->path);
		xo_html_cell_num(pg->out, r->count, 0);
		xo_html_cell_pct(pg->out, r->share);
		xo_html_cell_num(pg->out, r->length, 0);
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
	figures_end(pg);
	bar_set_free(&b);
	xo_buf_free(&desc);
}

static void funnel_table(struct page *pg, const char *name)
{
	const char *heads[] = { "step", "match", "customers", "conversion", "from the step before",
				"median time from the step before" };
	xo_html_table_begin(pg->out, NULL, heads, 6);
	for (size_t i = 0; i < pg->run->n_funnel; i++) {
		const struct xo_funnel_step *s = &pg->run->funnel[i];
		if (strcmp(s->funnel, name) != 0)
			continue;
		xo_html_row_begin(pg->out);
		xo_html_cell_num(pg->out, s->step, 0);
		xo_html_cell(pg->out, s->match);
		xo_html_cell_num(pg->out, s->customers, 0);
		xo_html_cell_pct(pg->out, s->conversion);
		xo_html_cell_pct(pg->out, s->step_conversion);
		xo_buf_adds(pg->out, "<td class=\"n\">");
		duration(pg->out, s->median_s);
		xo_buf_adds(pg->out, "</td>");
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
}

static void funnel_chart(struct page *pg, const char *name, size_t number)
{
	size_t n = 0;
	for (size_t i = 0; i < pg->run->n_funnel; i++)
		n += strcmp(pg->run->funnel[i].funnel, name) == 0;
	struct bar_set b;
	bar_set_init(&b, n);
	struct xo_buf desc = XO_BUF_INIT;
	xo_buf_printf(&desc, "Funnel %s: customers reaching each step:", name);
	size_t k = 0;
	for (size_t i = 0; i < pg->run->n_funnel; i++) {
		const struct xo_funnel_step *s = &pg->run->funnel[i];
		if (strcmp(s->funnel, name) != 0)
			continue;
		struct xo_buf label = XO_BUF_INIT;
		xo_buf_printf(&label, "%.0f. %s", s->step, s->match);
		bar_set_add(&b, xo_buf_steal(&label), 1, s->customers, s->conversion);
		xo_buf_printf(&desc, "%s step %.0f %.0f", k ? "," : "", s->step, s->customers);
		k++;
	}
	xo_buf_addc(&desc, '.');
	char id[48];
	snprintf(id, sizeof id, "chart-funnel-%zu", number);
	struct xo_buf capb = XO_BUF_INIT;
	xo_buf_printf(&capb, "Funnel %s: customers reaching each step", name);
	figure_begin(pg, id + 6, xo_buf_str(&capb));
	struct xo_svg_bars c = { { id, xo_buf_str(&capb), xo_buf_str(&desc), "customers", NULL },
				 b.bars, k, 0, NULL, NULL };
	xo_svg_bars(pg->out, &c);
	figures_begin(pg);
	funnel_table(pg, name);
	figures_end(pg);
	bar_set_free(&b);
	xo_buf_free(&desc);
	xo_buf_free(&capb);
}

static void funnels(struct page *pg)
{
	const struct xo_run *run = pg->run;
	size_t number = 0;
	for (size_t i = 0; i < run->n_funnel; i++) {
		int first = 1;
		for (size_t j = 0; j < i && first; j++)
			first = strcmp(run->funnel[j].funnel, run->funnel[i].funnel) != 0;
		if (first)
			funnel_chart(pg, run->funnel[i].funnel, ++number);
	}
}

static void section_journeys(struct page *pg)
{
	const struct xo_run *run = pg->run;
	section_begin(pg, "journeys", "Journeys: map, top paths, funnels");
	tag_text(pg->out, "<h3>", "Journey map", "</h3>\n");
	if (!no_data(pg, XO_RUN_JOURNEY_DOT, run->n_dot > 0, "journey-map"))
		for (size_t i = 0; i < run->n_dot; i++)
			journey_map(pg, i);
	tag_text(pg->out, "<h3>", "Top paths", "</h3>\n");
	if (!no_data(pg, XO_RUN_PATHS, run->n_paths > 0, "paths"))
		top_paths(pg);
	tag_text(pg->out, "<h3>", "Funnels", "</h3>\n");
	if (!no_data(pg, XO_RUN_FUNNEL, run->n_funnel > 0, "funnel"))
		funnels(pg);
	section_end(pg);
}

/* ---- drivers ---- */

/* Which sign of impact hurts: -1 (NPS, CSAT, CES on the ease scale), +1
 * (churn), 0 when the outcome is not known. */
static int harmful_sign(const char *outcome)
{
	if (!outcome)
		return 0;
	if (strcmp(outcome, "churn") == 0)
		return 1;
	if (strcmp(outcome, "nps") == 0 || strcmp(outcome, "csat") == 0 || strcmp(outcome, "ces") == 0)
		return -1;
	return 0;
}

static const char *impact_axis(const char *outcome)
{
	if (!outcome)
		return "impact on the outcome";
	if (strcmp(outcome, "nps") == 0)
		return "impact on NPS (points)";
	if (strcmp(outcome, "csat") == 0)
		return "impact on CSAT (percentage points)";
	if (strcmp(outcome, "ces") == 0)
		return "impact on CES (scale units)";
	if (strcmp(outcome, "churn") == 0)
		return "impact on the churn rate (percentage points)";
	return "impact on the outcome";
}

static const char *outcome_name(const struct xo_driver_set *set)
{
	static const char *const names[][2] = {
		{ "nps", "NPS" }, { "csat", "CSAT" }, { "ces", "CES" }, { "churn", "churn" },
	};
	for (size_t i = 0; set->outcome && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(set->outcome, names[i][0]) == 0)
			return names[i][1];
	return set->outcome ? set->outcome : set->path;
}

static void drivers_table(struct page *pg, const struct xo_driver_set *set)
{
	const char *heads[] = { "rank", "factor", "kind", "with", "without", "mean with",
				"mean without", "difference", "impact", "p", "q" };
	xo_html_table_begin(pg->out, NULL, heads, 11);
	for (size_t i = 0; i < set->n; i++) {
		const struct xo_driver_row *r = &set->rows[i];
		xo_html_row_begin(pg->out);
		xo_html_cell_num(pg->out, r->rank, 0);
		xo_html_cell(pg->out, r->factor);
		xo_html_cell(pg->out, r->kind);
		xo_html_cell_num(pg->out, r->n_with, 0);
		xo_html_cell_num(pg->out, r->n_without, 0);
		xo_html_cell_num(pg->out, r->with, 2);
		xo_html_cell_num(pg->out, r->without, 2);
		xo_html_cell_num(pg->out, r->diff, 2);
		xo_html_cell_num(pg->out, r->impact, 2);
		xo_html_cell_num(pg->out, r->p, 4);
		xo_html_cell_num(pg->out, r->q, 4);
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
}

static void drivers_chart(struct page *pg, const struct xo_driver_set *set, size_t number)
{
	size_t n = set->n < pg->o->top ? set->n : pg->o->top;
	int harm = harmful_sign(set->outcome);
	struct xo_svg_bar *bars = xo_calloc(n + 1, sizeof *bars);
	struct xo_buf desc = XO_BUF_INIT, cap = XO_BUF_INIT;
	xo_buf_printf(&cap, "Drivers of %s", outcome_name(set));
	xo_buf_printf(&desc, "The %zu highest-ranked factors by impact (mean difference times "
		      "prevalence):", n);
	for (size_t i = 0; i < n; i++) {
		const struct xo_driver_row *r = &set->rows[i];
		int emphasis = harm && isfinite(r->impact) && r->impact * harm > 0;
		bars[i] = (struct xo_svg_bar){ r->factor, r->impact, NULL, emphasis };
		xo_buf_printf(&desc, "%s %s %.2f", i ? "," : "", r->factor, r->impact);
	}
	xo_buf_addc(&desc, '.');
	char id[48];
	snprintf(id, sizeof id, "chart-drivers-%zu", number);
	figure_begin(pg, id + 6, xo_buf_str(&cap));
	struct xo_svg_bars c = { { id, xo_buf_str(&cap), xo_buf_str(&desc),
				   impact_axis(set->outcome), NULL },
				 bars, n, 2, harm ? "helps" : NULL, harm ? "hurts" : NULL };
	xo_svg_bars(pg->out, &c);
	figures_begin(pg);
	drivers_table(pg, set);
	figures_end(pg);
	free(bars);
	xo_buf_free(&desc);
	xo_buf_free(&cap);
}

static void section_drivers(struct page *pg)
{
	const struct xo_run *run = pg->run;
	section_begin(pg, "drivers", "Drivers: what moves the experience");
	size_t rows = 0;
	for (size_t i = 0; i < run->n_drivers; i++)
		rows += run->drivers[i].n;
	if (!no_data(pg, XO_RUN_DRIVERS, rows > 0, "drivers")) {
		xo_buf_adds(pg->out, "<p class=\"meta\">Ranked by harm, most harmful first. Impact is "
			    "how far the overall figure is moved by the factor: the difference "
			    "between customers with and without it, times its prevalence.</p>\n");
		for (size_t i = 0, number = 0; i < run->n_drivers; i++)
			if (run->drivers[i].n)
				drivers_chart(pg, &run->drivers[i], ++number);
	}
	section_end(pg);
}

/* ---- risk ---- */

static void risk_histogram(struct page *pg)
{
	const struct xo_predictions *pr = &pg->run->predictions;
	double *edges = xo_calloc(pr->n_bins + 1, sizeof *edges);
	for (size_t i = 0; i <= pr->n_bins; i++)
		edges[i] = (double)i / (double)pr->n_bins;
	struct xo_buf desc = XO_BUF_INIT, mark = XO_BUF_INIT, high = XO_BUF_INIT;
	xo_buf_printf(&desc, "Customers by predicted churn probability, %zu bins from 0 to 1:",
		      pr->n_bins);
	for (size_t i = 0; i < pr->n_bins; i++)
		xo_buf_printf(&desc, "%s %.0f", i ? "," : "", pr->bins[i]);
	xo_buf_adds(&mark, "high risk: ");
	xo_html_num(&mark, pg->o->high_risk, 3, "");
	xo_buf_adds(&mark, " and above");
	xo_buf_addc(&desc, '.');
	xo_buf_adds(&high, "high risk (");
	xo_html_num(&high, pg->o->high_risk, 3, "");
	xo_buf_adds(&high, " and above)");
	figure_begin(pg, "risk", "Churn-risk distribution");
	struct xo_svg_histogram c = { { "chart-risk", "Churn-risk distribution", xo_buf_str(&desc),
					"predicted probability of churn", "customers" },
				      edges, pr->bins, pr->n_bins, pg->o->high_risk,
				      xo_buf_str(&mark), "below", xo_buf_str(&high) };
	xo_svg_histogram(pg->out, &c);
	figures_begin(pg);
	const char *heads[] = { "probability", "customers", "share" };
	xo_html_table_begin(pg->out, NULL, heads, 3);
	for (size_t i = 0; i < pr->n_bins; i++) {
		struct xo_buf range = XO_BUF_INIT;
		xo_html_num(&range, edges[i], 3, "");
		xo_buf_adds(&range, i + 1 < pr->n_bins ? " to under " : " to ");
		xo_html_num(&range, edges[i + 1], 3, "");
		xo_html_row_begin(pg->out);
		xo_html_cell(pg->out, xo_buf_str(&range));
		xo_html_cell_num(pg->out, pr->bins[i], 0);
		xo_html_cell_pct(pg->out, pr->records > 0 ? pr->bins[i] / pr->records : NAN);
		xo_html_row_end(pg->out);
		xo_buf_free(&range);
	}
	xo_html_table_end(pg->out);
	figures_end(pg);
	free(edges);
	xo_buf_free(&desc);
	xo_buf_free(&mark);
	xo_buf_free(&high);
}

static void risk_summary(struct page *pg)
{
	const struct xo_predictions *pr = &pg->run->predictions;
	struct xo_buf *out = pg->out;
	xo_buf_adds(out, "<p id=\"risk-summary\">");
	xo_html_printf(out, "%.0f customers scored", pr->records);
	xo_buf_adds(out, "; mean probability ");
	xo_html_num(out, pr->records > 0 ? pr->sum_p / pr->records : NAN, 3, "n/a");
	xo_html_printf(out, "; %.0f at high risk (", pr->high);
	xo_html_pct(out, pr->records > 0 ? pr->high / pr->records : NAN, "n/a");
	xo_buf_adds(out, ")");
	if (pr->missing > 0)
		xo_html_printf(out, "; %.0f records without a probability (%s)", pr->missing,
			       pg->o->risk_field);
	xo_buf_adds(out, ".</p>\n");
}

static void at_risk_table(struct page *pg)
{
	const struct xo_predictions *pr = &pg->run->predictions;
	if (pr->n_top == 0)
		return;
	xo_buf_adds(pg->out, "<div id=\"table-at-risk\">\n");
	const char *heads[] = { "customer", "probability", "what raises it most" };
	xo_html_table_begin(pg->out, "The customers most at risk", heads, 3);
	for (size_t i = 0; i < pr->n_top; i++) {
		xo_html_row_begin(pg->out);
		xo_html_cell(pg->out, pr->top[i].xid);
		xo_html_cell_num(pg->out, pr->top[i].p, 4);
		xo_html_cell(pg->out, pr->top[i].why ? pr->top[i].why : "");
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
	xo_buf_adds(pg->out, "</div>\n");
}

static void calibration_stats(struct page *pg)
{
	const struct xo_calibration *c = &pg->run->calibration;
	const char *heads[] = { "holdout records", "positives", "AUC", "log-loss", "accuracy",
				"Brier score" };
	struct xo_buf cap = XO_BUF_INIT;
	xo_buf_adds(&cap, "How well the model did on its holdout");
	if (c->label)
		xo_buf_printf(&cap, " (outcome: %s)", c->label);
	if (c->trained_at)
		xo_buf_printf(&cap, ", trained %s", c->trained_at);
	xo_buf_adds(pg->out, "<div id=\"table-model\">\n");
	xo_html_table_begin(pg->out, xo_buf_str(&cap), heads, 6);
	xo_html_row_begin(pg->out);
	xo_html_cell_num(pg->out, c->records, 0);
	xo_html_cell_num(pg->out, c->positives, 0);
	xo_html_cell_num(pg->out, c->auc, 4);
	xo_html_cell_num(pg->out, c->log_loss, 4);
	xo_html_cell_num(pg->out, c->accuracy, 4);
	xo_html_cell_num(pg->out, c->brier, 4);
	xo_html_row_end(pg->out);
	xo_html_table_end(pg->out);
	xo_buf_adds(pg->out, "</div>\n");
	xo_buf_free(&cap);
}

static void calibration_chart(struct page *pg)
{
	const struct xo_calibration *c = &pg->run->calibration;
	double *pred = xo_calloc(c->n_bins + 1, sizeof *pred), *obs = xo_calloc(c->n_bins + 1, sizeof *obs);
	double *cnt = xo_calloc(c->n_bins + 1, sizeof *cnt);
	struct xo_buf desc = XO_BUF_INIT;
	xo_buf_adds(&desc, "Mean predicted probability against the observed rate in each bin of "
		    "the holdout:");
	for (size_t i = 0; i < c->n_bins; i++) {
		pred[i] = c->bins[i].mean_p;
		obs[i] = c->bins[i].observed;
		cnt[i] = c->bins[i].n;
		if (isfinite(pred[i]) && isfinite(obs[i]))
			xo_buf_printf(&desc, " %.2f observed %.2f (%.0f records);", pred[i], obs[i], cnt[i]);
	}
	figure_begin(pg, "calibration", "Model calibration (reliability diagram)");
	struct xo_svg_calibration cc = { { "chart-calibration", "Model calibration", xo_buf_str(&desc),
					   "mean predicted probability", "observed rate" },
					 pred, obs, cnt, c->n_bins };
	xo_svg_calibration(pg->out, &cc);
	figures_begin(pg);
	const char *heads[] = { "predicted from", "to", "records", "mean predicted", "observed" };
	xo_html_table_begin(pg->out, NULL, heads, 5);
	for (size_t i = 0; i < c->n_bins; i++) {
		xo_html_row_begin(pg->out);
		xo_html_cell_num(pg->out, c->bins[i].from, 3);
		xo_html_cell_num(pg->out, c->bins[i].to, 3);
		xo_html_cell_num(pg->out, c->bins[i].n, 0);
		xo_html_cell_num(pg->out, c->bins[i].mean_p, 4);
		xo_html_cell_num(pg->out, c->bins[i].observed, 4);
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
	figures_end(pg);
	free(pred);
	free(obs);
	free(cnt);
	xo_buf_free(&desc);
}

static void section_risk(struct page *pg)
{
	const struct xo_run *run = pg->run;
	section_begin(pg, "risk", "Churn risk");
	tag_text(pg->out, "<h3>", "Distribution", "</h3>\n");
	if (!no_data(pg, XO_RUN_PREDICTIONS, run->predictions.records > 0, "risk")) {
		risk_summary(pg);
		risk_histogram(pg);
		at_risk_table(pg);
	}
	tag_text(pg->out, "<h3>", "Calibration of the model", "</h3>\n");
	if (!no_data(pg, XO_RUN_CALIBRATION, run->calibration.present, "calibration")) {
		calibration_stats(pg);
		if (run->calibration.n_bins)
			calibration_chart(pg);
	}
	section_end(pg);
}

/* ---- decisions ---- */

static void review_queue(struct page *pg)
{
	const struct xo_review *r = &pg->run->review;
	struct xo_buf *out = pg->out;
	size_t n;
	const struct xo_tally_entry *e = xo_tally_sorted(r->status, &n);
	xo_buf_adds(out, "<p id=\"review-summary\">");
	xo_html_printf(out, "Review queue: %.0f pending", xo_tally_get(r->status, "pending", 7));
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].key, "pending") != 0)
			xo_html_printf(out, ", %.0f %s", e[i].count, e[i].key);
	xo_buf_adds(out, ".</p>\n");
	if (r->n_pending == 0)
		return;
	xo_buf_adds(out, "<div id=\"table-review\">\n");
	const char *heads[] = { "id", "customer", "action", "channel", "queued", "why" };
	xo_html_table_begin(out, "Waiting for review", heads, 6);
	for (size_t i = 0; i < r->n_pending; i++) {
		const struct xo_review_item *it = &r->pending[i];
		xo_html_row_begin(out);
		xo_html_cell(out, it->id);
		xo_html_cell(out, it->xid);
		xo_html_cell(out, it->action);
		xo_html_cell(out, it->channel);
		xo_html_cell(out, it->queued);
		xo_html_cell(out, it->why);
		xo_html_row_end(out);
	}
	xo_html_table_end(out);
	xo_buf_adds(out, "</div>\n");
}

static void section_decisions(struct page *pg)
{
	const struct xo_decisions *d = &pg->run->decisions;
	section_begin(pg, "decisions", "Decisions and the review queue");
	if (!no_data(pg, XO_RUN_DECISIONS, d->records > 0, "decisions")) {
		xo_buf_adds(pg->out, "<p id=\"decisions-summary\">");
		xo_html_printf(pg->out, "%.0f customers decided, %.0f with a decision; %.0f decisions, "
			       "%.0f of them queued for review.", d->records, d->with_decision,
			       d->decisions, d->queued);
		xo_buf_adds(pg->out, "</p>\n");
		if (d->decisions > 0) {
			tally_chart(pg, "decisions-action", "Decisions by action", "Decisions by action",
				    "decisions", d->action);
			tally_chart(pg, "decisions-channel", "Decisions by channel",
				    "Decisions by channel", "decisions", d->channel);
			tally_chart(pg, "decisions-route", "Decisions by route", "Decisions by route",
				    "decisions", d->route);
			tally_chart(pg, "decisions-status", "Decisions by status", "Decisions by status",
				    "decisions", d->status);
		}
	}
	tag_text(pg->out, "<h3>", "Review queue", "</h3>\n");
	if (!no_data(pg, XO_RUN_REVIEW, pg->run->review.present, "review"))
		review_queue(pg);
	section_end(pg);
}

/* ---- rejects ---- */

/* The most frequent reasons of one source, from "SOURCE\x1fREASON" keys. */
static void top_reasons(struct page *pg, const char *source, struct xo_tally *by_reason)
{
	size_t n, shown = 0, slen = strlen(source);
	const struct xo_tally_entry *e = xo_tally_sorted(by_reason, &n);
	xo_buf_adds(pg->out, "<td class=\"t\">");
	for (size_t i = 0; i < n && shown < 3; i++) {
		if (e[i].len <= slen || memcmp(e[i].key, source, slen) != 0 || e[i].key[slen] != '\x1f')
			continue;
		if (shown++)
			xo_buf_adds(pg->out, "<br>");
		xo_html_printf(pg->out, "%.0f \xc3\x97 %s", e[i].count, e[i].key + slen + 1);
	}
	xo_buf_adds(pg->out, "</td>");
}

static void rejects_samples(struct page *pg)
{
	const struct xo_rejected *r = &pg->run->rejected;
	xo_buf_adds(pg->out, "<div id=\"table-reject-samples\">\n");
	const char *heads[] = { "where", "reason", "record as read" };
	xo_html_table_begin(pg->out, "The first rejects of each source", heads, 3);
	for (size_t i = 0; i < r->n_samples; i++) {
		xo_html_row_begin(pg->out);
		xo_html_cell(pg->out, r->samples[i].file_line);
		xo_html_cell(pg->out, r->samples[i].reason);
		if (r->samples[i].raw) {
			xo_buf_adds(pg->out, "<td class=\"t\"><code>");
			xo_html_str(pg->out, r->samples[i].raw);
			xo_buf_adds(pg->out, "</code></td>");
		} else {
			xo_html_cell(pg->out, "(left out: --hash-ids)");
		}
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
	xo_buf_adds(pg->out, "</div>\n");
}

static void section_rejects(struct page *pg)
{
	const struct xo_rejected *r = &pg->run->rejected;
	section_begin(pg, "rejects", "Rejected records");
	int given = xo_run_given(pg->run, XO_RUN_REJECTED);
	int readable = 0;
	for (size_t i = 0; i < pg->run->n_files; i++)
		readable |= pg->run->files[i].kind == XO_RUN_REJECTED && !pg->run->files[i].error;
	if (given && readable && r->total == 0) {
		xo_buf_adds(pg->out, "<p id=\"rejects-summary\">No records were rejected.</p>\n");
	} else if (!no_data(pg, XO_RUN_REJECTED, r->total > 0, "rejects")) {
		xo_buf_adds(pg->out, "<p id=\"rejects-summary\">");
		xo_html_printf(pg->out, "%.0f records rejected from %zu sources.", r->total,
			       xo_tally_size(r->by_source));
		xo_buf_adds(pg->out, "</p>\n");
		tally_chart(pg, "rejects", "Rejected records per source", "Rejected records per source",
			    "rejected records", r->by_source);
		size_t n;
		const struct xo_tally_entry *e = xo_tally_sorted(r->by_source, &n);
		const char *heads[] = { "source", "rejected", "most frequent reasons" };
		xo_buf_adds(pg->out, "<div id=\"table-rejects\">\n");
		xo_html_table_begin(pg->out, "Reasons per source", heads, 3);
		for (size_t i = 0; i < n; i++) {
			xo_html_row_begin(pg->out);
			xo_html_cell(pg->out, e[i].key);
			xo_html_cell_num(pg->out, e[i].count, 0);
			top_reasons(pg, e[i].key, r->by_reason);
			xo_html_row_end(pg->out);
		}
		xo_html_table_end(pg->out);
		xo_buf_adds(pg->out, "</div>\n");
		rejects_samples(pg);
	}
	section_end(pg);
}

/* ---- summary and inputs ---- */

/* The headline row of metrics: over the whole run without groups, else
 * the latest period without groups. */
static const struct xo_metrics_row *headline_row(const struct xo_run *run)
{
	const struct xo_metrics_row *best = NULL;
	for (size_t i = 0; i < run->n_metrics; i++) {
		const struct xo_metrics_row *r = &run->metrics[i];
		if (*r->group)
			continue;
		if (!r->period)
			return r;
		if (!best || strcmp(r->period, best->period) > 0)
			best = r;
	}
	return best;
}

static void metric_card(struct page *pg, const struct xo_metrics_row *r, int k)
{
	struct xo_buf v = XO_BUF_INIT, sub = XO_BUF_INIT;
	const struct xo_metric *m = r ? &r->m[k] : NULL;
	if (m && m->present && isfinite(m->score)) {
		xo_html_num(&v, m->score, 2, "n/a");
		if (k == XO_CSAT)
			xo_buf_addc(&v, '%');
		xo_buf_adds(&sub, "\xc2\xb1 ");
		xo_html_num(&sub, m->moe, 2, "n/a");
		xo_buf_adds(&sub, ", n = ");
		xo_html_num(&sub, m->n, 0, "n/a");
		if (r->period)
			xo_buf_printf(&sub, ", %s", r->period);
	} else {
		xo_buf_adds(&v, "no data");
	}
	card(pg, xo_measure_names[k], measure_titles[k], xo_buf_str(&v), xo_buf_str(&sub));
	xo_buf_free(&v);
	xo_buf_free(&sub);
}

static void section_summary(struct page *pg)
{
	const struct xo_run *run = pg->run;
	section_begin(pg, "summary", "Summary");
	xo_buf_adds(pg->out, "<div class=\"cards\">\n");
	const struct xo_metrics_row *head = headline_row(run);
	for (int k = 0; k < XO_MEASURES; k++)
		metric_card(pg, head, k);
	struct xo_buf v = XO_BUF_INIT, sub = XO_BUF_INIT;
	const struct xo_predictions *pr = &run->predictions;
	if (pr->records > 0) {
		xo_html_num(&v, pr->high, 0, "");
		xo_html_pct(&sub, pr->high / pr->records, "");
		xo_buf_printf(&sub, " of %.0f scored", pr->records);
	}
	card(pg, "risk", "High churn risk", v.len ? v.data : "no data", xo_buf_str(&sub));
	xo_buf_reset(&v);
	xo_buf_reset(&sub);
	const struct xo_decisions *d = &run->decisions;
	if (d->records > 0) {
		xo_html_num(&v, d->decisions, 0, "");
		xo_buf_printf(&sub, "for %.0f of %.0f customers", d->with_decision, d->records);
	}
	card(pg, "decisions", "Decisions", v.len ? v.data : "no data", xo_buf_str(&sub));
	xo_buf_reset(&v);
	xo_buf_reset(&sub);
	if (run->review.present) {
		xo_html_num(&v, xo_tally_get(run->review.status, "pending", 7), 0, "");
		xo_buf_adds(&sub, "pending");
	} else if (d->records > 0) {
		xo_html_num(&v, d->queued, 0, "");
		xo_buf_adds(&sub, "queued by this run");
	}
	card(pg, "review", "Review queue", v.len ? v.data : "no data", xo_buf_str(&sub));
	xo_buf_reset(&v);
	xo_buf_reset(&sub);
	if (xo_run_given(run, XO_RUN_REJECTED)) {
		xo_html_num(&v, run->rejected.total, 0, "");
		xo_buf_printf(&sub, "from %zu sources", xo_tally_size(run->rejected.by_source));
	}
	card(pg, "rejects", "Rejected records", v.len ? v.data : "no data", xo_buf_str(&sub));
	xo_buf_free(&v);
	xo_buf_free(&sub);
	xo_buf_adds(pg->out, "</div>\n");
	section_end(pg);
}

static void section_inputs(struct page *pg)
{
	const struct xo_run *run = pg->run;
	section_begin(pg, "inputs", "Inputs");
	if (run->n_files == 0) {
		xo_buf_adds(pg->out, "<p class=\"nodata\">No input files were given.</p>\n");
		section_end(pg);
		return;
	}
	const char *heads[] = { "input", "file", "records", "lines not used", "problem" };
	xo_buf_adds(pg->out, "<div id=\"table-inputs\">\n");
	xo_html_table_begin(pg->out, NULL, heads, 5);
	for (size_t i = 0; i < run->n_files; i++) {
		const struct xo_run_file *f = &run->files[i];
		xo_html_row_begin(pg->out);
		xo_html_cell(pg->out, xo_run_kind_names[f->kind]);
		xo_html_cell(pg->out, f->path);
		if (f->kind == XO_RUN_JOURNEY_DOT)
			xo_html_cell(pg->out, "");
		else
			xo_html_cell_num(pg->out, (double)f->records, 0);
		xo_html_cell_num(pg->out, (double)f->bad, 0);
		xo_html_cell(pg->out, f->error ? f->error : "");
		xo_html_row_end(pg->out);
	}
	xo_html_table_end(pg->out);
	xo_buf_adds(pg->out, "</div>\n");
	if (run->bad_lines)
		xo_buf_printf(pg->out, "<p class=\"warn\">%ld lines of the inputs could not be used; "
			      "xo-report reported them on standard error (and in its --rejects file "
			      "when given).</p>\n", run->bad_lines);
	section_end(pg);
}

static void page_header(struct page *pg)
{
	struct xo_buf *out = pg->out;
	xo_buf_adds(out, "<header>\n");
	tag_text(out, "<h1>", pg->o->title, "</h1>\n");
	xo_buf_adds(out, "<p class=\"meta\">");
	xo_html_printf(out, "Made %s by xo-report %s from %zu input files.", pg->o->generated,
		       pg->o->version, pg->run->n_files);
	xo_buf_adds(out, "</p>\n<nav aria-label=\"Sections\"><ul>"
		    "<li><a href=\"#summary\">Summary</a></li>"
		    "<li><a href=\"#metrics\">Metrics</a></li>"
		    "<li><a href=\"#journeys\">Journeys</a></li>"
		    "<li><a href=\"#drivers\">Drivers</a></li>"
		    "<li><a href=\"#risk\">Churn risk</a></li>"
		    "<li><a href=\"#decisions\">Decisions</a></li>"
		    "<li><a href=\"#rejects\">Rejects</a></li>"
		    "<li><a href=\"#inputs\">Inputs</a></li></ul></nav>\n</header>\n<main>\n");
}

void xo_report_html(struct xo_buf *out, const struct xo_run *run, const struct xo_report_opts *o,
		    struct xo_report_status *st)
{
	memset(st, 0, sizeof *st);
	struct page pg = { out, run, o, st };
	xo_html_page_begin(out, o->title);
	page_header(&pg);
	section_summary(&pg);
	section_metrics(&pg);
	section_journeys(&pg);
	section_drivers(&pg);
	section_risk(&pg);
	section_decisions(&pg);
	section_rejects(&pg);
	section_inputs(&pg);
	xo_buf_adds(out, "</main>\n");
	xo_html_page_end(out);
}
