#include "ingest.h"

#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "diag.h"
#include "hash.h"
#include "jsonarr.h"
#include "mem.h"
#include "ndjson.h"
#include "progress.h"
#include "utf8.h"

struct xo_ingest {
	struct xo_ingest_opts opt;
	const struct xo_map *map; /* not owned */
	struct xo_eventer *eventer;
	struct xo_rejects *rejects;
	struct xo_progress progress;
	struct xo_buf event, why;
	struct xo_ingest_counts counts; /* the input being read */
	int exit_code;
	int stop;
};

struct xo_ingest *xo_ingest_new(const struct xo_ingest_opts *opts)
{
	struct xo_ingest *r = xo_calloc(1, sizeof *r);
	r->opt = *opts;
	r->map = opts->map;
	r->rejects = opts->rejects;
	xo_progress_init(&r->progress);
	return r;
}

void xo_ingest_free(struct xo_ingest *r)
{
	if (!r)
		return;
	xo_buf_free(&r->event);
	xo_buf_free(&r->why);
	free(r);
}

int xo_ingest_stopped(const struct xo_ingest *r)
{
	return r->stop;
}

/* --- one record ------------------------------------------------------------ */

static void reject(struct xo_ingest *r, const struct xo_input *in, long line, const char *raw, size_t len,
		   const char *why)
{
	r->counts.rejected++;
	xo_rejects_add(r->rejects, in->name, line, raw, len, why);
	if (r->opt.strict) {
		xo_error_at(in->name, line, "stopping at the first rejected record (--strict)");
		r->stop = 1;
	}
}

static void emit(struct xo_ingest *r)
{
	xo_buf_addc(&r->event, '\n');
	r->opt.emit(r->opt.emit_ctx, r->event.data, r->event.len);
	r->counts.emitted++;
}

/* The event of one tabular record, or its reject. */
static void from_values(struct xo_ingest *r, const struct xo_binding *b, const char **vals,
			const size_t *lens, size_t n, const struct xo_input *in, long line,
			const char *raw, size_t raw_len)
{
	if (xo_event_from_values(r->eventer, b, vals, lens, n, &r->event, &r->why) == 0)
		emit(r);
	else
		reject(r, in, line, raw, raw_len, r->why.data);
}

static void counted(struct xo_ingest *r, const struct xo_input *in)
{
	r->counts.read++;
	xo_progress_tick(&r->progress, in->offset, in->size);
}

/* --- tabular inputs: CSV and logs ----------------------------------------- */

/* The names taken so far, by hash: a header of a million columns is
 * named in linear time. */
struct name_set {
	char **slots;
	size_t size;
};

static char **name_slot(struct name_set *set, const char *name)
{
	size_t i = xo_siphash(&XO_HASH_PUBLIC, name, strlen(name)) % set->size;
	while (set->slots[i] && strcmp(set->slots[i], name) != 0)
		i = (i + 1) % set->size;
	return &set->slots[i];
}

/* name, or name_2, name_3, ... when taken; NUL bytes, which would cut
 * a name short, become U+FFFD. Consumes name. */
static char *unique_name(struct name_set *set, struct xo_buf *name)
{
	struct xo_buf clean = XO_BUF_INIT;
	for (size_t k = 0; k < name->len; k++)
		if (name->data[k])
			xo_buf_addc(&clean, name->data[k]);
		else
			xo_buf_adds(&clean, "\xef\xbf\xbd");
	xo_buf_free(name);
	size_t base = clean.len;
	char **slot = name_slot(set, xo_buf_str(&clean));
	for (int dup = 2; *slot; dup++) {
		clean.len = base;
		xo_buf_printf(&clean, "_%d", dup);
		slot = name_slot(set, clean.data);
	}
	*slot = xo_buf_steal(&clean);
	return *slot;
}

/* Column names from a header record or the map: blanks trimmed, empty
 * names numbered, repeated names suffixed _2, _3, ... */
static char **column_names(const struct xo_csv *c, const struct xo_map *m, size_t *n)
{
	size_t count = m->columns.n ? m->columns.n : c->n_fields;
	char **names = xo_calloc(count, sizeof *names);
	struct name_set seen = { xo_calloc(2 * count + 1, sizeof *seen.slots), 2 * count + 1 };
	for (size_t i = 0; i < count; i++) {
		struct xo_buf name = XO_BUF_INIT;
		if (m->columns.n) {
			xo_buf_adds(&name, m->columns.refs[i].name);
		} else {
			size_t len;
			const char *s = xo_csv_field(c, i, &len);
			while (len && (*s == ' ' || *s == '\t'))
				s++, len--;
			while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
				len--;
			/* Header names are text like any other. */
			if (m->encoding == XO_ENC_LATIN1)
				xo_latin1_to_utf8(&name, s, len);
			else
				xo_utf8_repair(&name, s, len);
		}
		if (name.len == 0)
			xo_buf_printf(&name, "column_%zu", i + 1);
		names[i] = unique_name(&seen, &name);
	}
	free(seen.slots);
	*n = count;
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static struct xo_binding *bind_columns(struct xo_ingest *r, const struct xo_input *in, char **names, size_t n)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_binding *b = xo_binding_tabular(r->eventer, (const char *const *)names, n, &err);
	if (!b) {
		xo_error("%s: %s does not fit: %s", in->name, r->map->path, xo_buf_str(&err));
		r->exit_code = XO_EXIT_USAGE;
	}
	xo_buf_free(&err);
	return b;
}

static int all_empty(const struct xo_csv *c)
{
	for (size_t i = 0; i < c->n_fields; i++)
		if (c->fields[i].len != 0)
			return 0;
	return 1;
}

static void csv_row(struct xo_ingest *r, struct xo_csv *c, const struct xo_binding *b,
		    const char **vals, size_t *lens)
{
	size_t width = xo_binding_width(b);
	size_t n = c->n_fields;
	if (n != width && !(n < width && r->map->pad_short_rows)) {
		xo_buf_reset(&r->why);
		xo_buf_printf(&r->why, "%zu fields where the header has %zu", n, width);
		reject(r, c->in, c->line, c->raw.data, c->raw.len, r->why.data);
		return;
	}
	for (size_t i = 0; i < width; i++) {
		if (i < n) {
			vals[i] = xo_csv_field(c, i, &lens[i]);
		} else {
			vals[i] = "";
			lens[i] = 0;
		}
	}
	from_values(r, b, vals, lens, width, c->in, c->line, c->raw.data, c->raw.len);
}

static void skip_lines(struct xo_input *in, long n)
{
	for (long i = 0; i < n && xo_input_getline(in) >= 0; i++)
		;
}

static void read_csv(struct xo_ingest *r, struct xo_input *in)
{
	const struct xo_map *m = r->map;
	struct xo_csv_opts copts = { m->delimiter, m->quote, m->trim, m->strict_quotes, m->max_record_lines };
	struct xo_csv c;
	skip_lines(in, m->skip);
	xo_csv_open(&c, in, &copts);
	struct xo_binding *b = NULL;
	const char **vals = NULL;
	size_t *lens = NULL;
	int need_header = m->header;
	enum xo_csv_status st;
	if (!need_header) {
		size_t n;
		char **names = column_names(&c, m, &n);
		b = bind_columns(r, in, names, n);
		free_names(names, n);
	}
	while (!r->stop && (need_header || b) && (st = xo_csv_next(&c)) != XO_CSV_EOF) {
		if (st == XO_CSV_BAD) {
			counted(r, in);
			reject(r, in, c.line, c.raw.data, c.raw.len, c.why);
			continue;
		}
		if (all_empty(&c))
			continue;
		if (need_header) {
			size_t n;
			char **names = column_names(&c, m, &n);
			b = bind_columns(r, in, names, n);
			free_names(names, n);
			need_header = 0;
			continue;
		}
		if (!vals) {
			vals = xo_calloc(xo_binding_width(b) + 1, sizeof *vals);
			lens = xo_calloc(xo_binding_width(b) + 1, sizeof *lens);
		}
		counted(r, in);
		csv_row(r, &c, b, vals, lens);
	}
	free(vals);
	free(lens);
	xo_binding_free(b);
	xo_csv_close(&c);
}

static void read_log(struct xo_ingest *r, struct xo_input *in)
{
	struct xo_rx *rx = r->map->pattern;
	unsigned n = xo_rx_name_count(rx);
	char **names = xo_calloc(n, sizeof *names);
	unsigned *groups = xo_calloc(n, sizeof *groups);
	/* Fields in the order of their groups in the pattern. */
	for (unsigned i = 0; i < n; i++) {
		unsigned g;
		const char *name = xo_rx_name(rx, i, &g);
		unsigned at = i;
		while (at > 0 && groups[at - 1] > g) {
			groups[at] = groups[at - 1];
			names[at] = names[at - 1];
			at--;
		}
		groups[at] = g;
		names[at] = xo_strdup(name);
	}
	struct xo_binding *b = bind_columns(r, in, names, n);
	const char **vals = xo_calloc(n, sizeof *vals);
	size_t *lens = xo_calloc(n, sizeof *lens);
	ssize_t len;
	while (b && !r->stop && (len = xo_input_getline(in)) >= 0) {
		if (len == 0)
			continue;
		counted(r, in);
		enum xo_rx_result m = xo_rx_match(rx, in->buf, (size_t)len);
		if (m != XO_RX_MATCH) {
			reject(r, in, in->line, in->buf, (size_t)len,
			       m == XO_RX_NOMATCH ? "line does not match the log pattern" : xo_rx_result_text(m));
			continue;
		}
		for (unsigned i = 0; i < n; i++) {
			size_t s, e;
			if (xo_rx_group(rx, groups[i], &s, &e) == 0) {
				vals[i] = in->buf + s;
				lens[i] = e - s;
			} else {
				vals[i] = "";
				lens[i] = 0;
			}
		}
		from_values(r, b, vals, lens, n, in, in->line, in->buf, (size_t)len);
	}
	free(vals);
	free(lens);
	xo_binding_free(b);
	free_names(names, n);
	free(groups);
}

/* --- JSON inputs ------------------------------------------------------------ */

static struct xo_binding *bind_json(struct xo_ingest *r, const struct xo_input *in)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_binding *b = xo_binding_json(r->eventer, &err);
	if (!b) {
		xo_error("%s: %s", in->name, xo_buf_str(&err));
		r->exit_code = XO_EXIT_USAGE;
	}
	xo_buf_free(&err);
	return b;
}

static void json_record(struct xo_ingest *r, const struct xo_input *in, const struct xo_binding *b,
			json_t *obj, long line, const char *raw, size_t len)
{
	if (xo_event_from_json(r->eventer, b, obj, &r->event, &r->why) == 0)
		emit(r);
	else
		reject(r, in, line, raw, len, r->why.data);
	json_decref(obj);
}

/* A line as UTF-8, per the map's encoding; NULL when it is not. */
static const char *line_as_utf8(struct xo_ingest *r, const struct xo_input *in, size_t *len,
				struct xo_buf *conv)
{
	switch (r->map->encoding) {
	case XO_ENC_LATIN1:
		xo_buf_reset(conv);
		xo_latin1_to_utf8(conv, in->buf, in->len);
		break;
	case XO_ENC_REPLACE:
		xo_buf_reset(conv);
		xo_utf8_repair(conv, in->buf, in->len);
		break;
	default: {
		size_t bad = xo_utf8_check(in->buf, in->len);
		if (bad < in->len) {
			xo_buf_reset(&r->why);
			xo_buf_printf(&r->why, "invalid UTF-8 at byte %zu (set encoding in the map)", bad + 1);
			return NULL;
		}
		*len = in->len;
		return in->buf;
	}
	}
	*len = conv->len;
	return xo_buf_str(conv);
}

static void read_ndjson(struct xo_ingest *r, struct xo_input *in)
{
	struct xo_binding *b = bind_json(r, in);
	struct xo_buf conv = XO_BUF_INIT;
	while (b && !r->stop && xo_input_getline(in) >= 0) {
		size_t len;
		const char *text;
		if (strspn(in->buf, " \t\r") == in->len)
			continue;
		counted(r, in);
		if (!(text = line_as_utf8(r, in, &len, &conv))) {
			reject(r, in, in->line, in->buf, in->len, r->why.data);
			continue;
		}
		json_t *obj;
		if (xo_ndjson_parse(text, len, &obj, &r->why) != XO_NDJSON_OBJECT) {
			reject(r, in, in->line, in->buf, in->len, r->why.data);
			continue;
		}
		json_record(r, in, b, obj, in->line, in->buf, in->len);
	}
	xo_buf_free(&conv);
	xo_binding_free(b);
}

static void read_json_array(struct xo_ingest *r, struct xo_input *in)
{
	struct xo_binding *b = bind_json(r, in);
	struct xo_jsonarr a;
	xo_jsonarr_open(&a, in);
	json_t *obj;
	enum xo_jsonarr_status st;
	while (b && !r->stop && (st = xo_jsonarr_next(&a, &obj, &r->why)) != XO_JSONARR_EOF) {
		counted(r, in);
		if (st == XO_JSONARR_OBJECT) {
			json_record(r, in, b, obj, a.line, a.elem.data, a.elem.len);
			continue;
		}
		reject(r, in, a.line, a.elem.data ? a.elem.data : "", a.elem.len, r->why.data);
		if (st == XO_JSONARR_BROKEN)
			break;
	}
	xo_jsonarr_close(&a);
	xo_binding_free(b);
}

/* --- files -------------------------------------------------------------------- */

/* "calls" for "exports/calls.2026-03.csv" */
char *xo_source_from_path(const char *path)
{
	if (strcmp(path, "-") == 0)
		return xo_strdup("stdin");
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	return n ? xo_strndup(base, n) : xo_strdup(base);
}

int xo_ingest_input(struct xo_ingest *r, struct xo_input *in, const char *default_source,
		    struct xo_ingest_counts *counts)
{
	struct xo_eventer_opts ev = r->opt.ev;
	ev.default_source = default_source;
	struct xo_buf err = XO_BUF_INIT;
	r->eventer = xo_eventer_new(r->map, &ev, &err);
	if (!r->eventer)
		xo_die(XO_EXIT_USAGE, "%s", xo_buf_str(&err));
	xo_buf_free(&err);
	memset(&r->counts, 0, sizeof r->counts);
	r->exit_code = 0;
	switch (r->map->format) {
	case XO_FMT_CSV: read_csv(r, in); break;
	case XO_FMT_LOG: read_log(r, in); break;
	case XO_FMT_NDJSON: read_ndjson(r, in); break;
	case XO_FMT_JSON: read_json_array(r, in); break;
	}
	xo_progress_done(&r->progress);
	xo_eventer_free(r->eventer);
	r->eventer = NULL;
	*counts = r->counts;
	return r->exit_code;
}
