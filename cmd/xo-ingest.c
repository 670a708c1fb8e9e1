/* xo-ingest: every channel's export into one canonical event stream.
 *
 * Reads CSV/TSV, NDJSON, JSON arrays and text logs, turns each record
 * into an event (xo-events(5)) through a map (xo-map(5)) or a preset,
 * and keeps every record it cannot use in the reject stream with why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvin.h"
#include "diag.h"
#include "event.h"
#include "input.h"
#include "jsonarr.h"
#include "map.h"
#include "mem.h"
#include "ndjson.h"
#include "out.h"
#include "preset.h"
#include "progress.h"
#include "rejects.h"
#include "utf8.h"

static const char usage[] =
	"Usage: xo-ingest (--map FILE | --preset NAME) [OPTION]... [FILE]...\n"
	"Turn exports (CSV/TSV, NDJSON, JSON arrays, logs) into xo events, one JSON\n"
	"object per line on standard output. With no FILE, or when FILE is -, read\n"
	"standard input.\n"
	"\n"
	"  -m, --map FILE             how fields become event fields (xo-map(5))\n"
	"  -p, --preset NAME          a built-in map: survey, calls, orders, weblog,\n"
	"                             social; --preset list lists them\n"
	"      --show-preset NAME     print a preset's map (to copy and edit), exit\n"
	"  -s, --source NAME          the events' source (default: the map's, else the\n"
	"                             file's name without its extension)\n"
	"      --tz ZONE              zone of times written without an offset\n"
	"                             (Europe/Rome, +01:00; default: the map's, else UTC)\n"
	"      --default-country CC   country of phone numbers written without an\n"
	"                             international prefix (IT, ES, GB, US, ...)\n"
	"  -r, --rejects FILE         keep rejected records in FILE (xo-rejects(5))\n"
	"      --strict               stop at the first rejected record\n"
	"  -q, --quiet                no warnings or summary on standard error\n"
	"      --unbuffered           write each event as soon as it is made\n"
	"  -h, --help                 show this help and exit\n"
	"  -V, --version              show the version and exit\n"
	"\n"
	"Exit status: 0 all records emitted, 1 some rejected, 2 usage or map error,\n"
	"3 an input could not be read, 4 output could not be written.\n"
	"See xo-ingest(1), xo-map(5), xo-events(5).\n";

enum {
	OPT_SHOW_PRESET = XO_OPT_FIRST_TOOL,
	OPT_TZ,
	OPT_COUNTRY,
	OPT_STRICT,
};

struct options {
	const char *map_path;
	const char *preset;
	const char *rejects_path;
	struct xo_eventer_opts ev;
	int strict;
};

/* What one run has done so far, for the summary and the exit code. */
struct run {
	struct options opt;
	struct xo_map *map;
	struct xo_eventer *eventer;
	struct xo_rejects *rejects;
	struct xo_progress progress;
	struct xo_buf event, why;
	unsigned long long read, emitted, rejected; /* this file */
	unsigned long long total_read, total_emitted, total_rejected;
	int files;
	int exit_code;
	int stop; /* --strict hit a bad record */
};

static void list_presets(void)
{
	char summary[200];
	for (unsigned i = 0; i < xo_preset_count; i++) {
		xo_preset_summary(&xo_preset_table[i], summary, sizeof summary);
		xo_out_printf("%-8s %s\n", xo_preset_table[i].name, summary);
	}
	xo_out_finish();
	exit(XO_EXIT_OK);
}

static void show_preset(const struct xo_cli *cli, const char *name)
{
	const struct xo_preset *p = xo_preset_find(name);
	if (!p)
		xo_cli_usage_error(cli, "no preset '%s' (try --preset list)", name);
	xo_out_puts(p->text);
	xo_out_finish();
	exit(XO_EXIT_OK);
}

static void parse_options(struct xo_cli *cli, int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		{ "preset", required_argument, NULL, 'p' },
		{ "show-preset", required_argument, NULL, OPT_SHOW_PRESET },
		{ "source", required_argument, NULL, 's' },
		{ "tz", required_argument, NULL, OPT_TZ },
		{ "default-country", required_argument, NULL, OPT_COUNTRY },
		{ "rejects", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		XO_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *show = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "m:p:s:r:" XO_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (xo_cli_common(cli, c))
			continue;
		switch (c) {
		case 'm': opt->map_path = optarg; break;
		case 'p': opt->preset = optarg; break;
		case OPT_SHOW_PRESET: show = optarg; break;
		case 's': opt->ev.source = optarg; break;
		case OPT_TZ: opt->ev.tz_name = optarg; break;
		case OPT_COUNTRY: opt->ev.country = optarg; break;
		case 'r': opt->rejects_path = optarg; break;
		case OPT_STRICT: opt->strict = 1; break;
		default: xo_cli_usage_error(cli, "unexpected option");
		}
	}
	xo_cli_ready(cli);
	if (show)
		show_preset(cli, show);
	if (opt->preset && strcmp(opt->preset, "list") == 0)
		list_presets();
	if (!opt->map_path == !opt->preset)
		xo_cli_usage_error(cli, "give exactly one of --map FILE and --preset NAME");
	if (opt->ev.source && !*opt->ev.source)
		xo_cli_usage_error(cli, "--source: empty name");
}

static struct xo_map *load_map(const struct xo_cli *cli, const struct options *opt)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_map *map;
	if (opt->preset) {
		const struct xo_preset *p = xo_preset_find(opt->preset);
		if (!p)
			xo_cli_usage_error(cli, "no preset '%s' (try --preset list)", opt->preset);
		char name[64];
		snprintf(name, sizeof name, "preset %s", p->name);
		map = xo_map_parse(p->text, strlen(p->text), name, &err);
	} else {
		map = xo_map_load(opt->map_path, &err);
	}
	if (!map)
		xo_die(XO_EXIT_USAGE, "%s", xo_buf_str(&err));
	xo_buf_free(&err);
	return map;
}

/* --- one record ------------------------------------------------------------ */

static void reject(struct run *r, const struct xo_input *in, long line, const char *raw, size_t len,
		   const char *why)
{
	r->rejected++;
	xo_rejects_add(r->rejects, in->name, line, raw, len, why);
	if (r->opt.strict) {
		xo_error_at(in->name, line, "stopping at the first rejected record (--strict)");
		r->stop = 1;
	}
}

static void emit(struct run *r)
{
	xo_buf_addc(&r->event, '\n');
	xo_out_write(r->event.data, r->event.len);
	xo_out_record_end();
	r->emitted++;
}

static void counted(struct run *r, const struct xo_input *in)
{
	r->read++;
	xo_progress_tick(&r->progress, in->offset, in->size);
}

/* --- tabular inputs: CSV and logs ----------------------------------------- */

/* Column names from a header record or the map: blanks trimmed, empty
 * names numbered, repeated names suffixed _2, _3, ... */
static char **column_names(const struct xo_csv *c, const struct xo_map *m, size_t *n)
{
	size_t count = m->columns.n ? m->columns.n : c->n_fields;
	char **names = xo_calloc(count, sizeof *names);
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
		for (int dup = 2;; dup++) {
			size_t j;
			for (j = 0; j < i && strcmp(names[j], xo_buf_str(&name)) != 0; j++)
				;
			if (j == i)
				break;
			if (dup > 2)
				name.len = (size_t)(strrchr(name.data, '_') - name.data);
			xo_buf_printf(&name, "_%d", dup);
		}
		names[i] = xo_buf_steal(&name);
	}
	*n = count;
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static struct xo_binding *bind_columns(struct run *r, const struct xo_input *in, char **names, size_t n)
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

static void csv_row(struct run *r, struct xo_csv *c, const struct xo_binding *b,
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
	if (xo_event_from_values(r->eventer, b, vals, lens, width, &r->event, &r->why) == 0)
		emit(r);
	else
		reject(r, c->in, c->line, c->raw.data, c->raw.len, r->why.data);
}

static void skip_lines(struct xo_input *in, long n)
{
	for (long i = 0; i < n && xo_input_getline(in) >= 0; i++)
		;
}

static void read_csv(struct run *r, struct xo_input *in)
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

static void read_log(struct run *r, struct xo_input *in)
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
		if (xo_event_from_values(r->eventer, b, vals, lens, n, &r->event, &r->why) == 0)
			emit(r);
		else
			reject(r, in, in->line, in->buf, (size_t)len, r->why.data);
	}
	free(vals);
	free(lens);
	xo_binding_free(b);
	free_names(names, n);
	free(groups);
}

/* --- JSON inputs ------------------------------------------------------------ */

static struct xo_binding *bind_json(struct run *r, const struct xo_input *in)
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

static void json_record(struct run *r, const struct xo_input *in, const struct xo_binding *b,
			json_t *obj, long line, const char *raw, size_t len)
{
	if (xo_event_from_json(r->eventer, b, obj, &r->event, &r->why) == 0)
		emit(r);
	else
		reject(r, in, line, raw, len, r->why.data);
	json_decref(obj);
}

/* A line as UTF-8, per the map's encoding; NULL when it is not. */
static const char *line_as_utf8(struct run *r, const struct xo_input *in, size_t *len,
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

static void read_ndjson(struct run *r, struct xo_input *in)
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

static void read_json_array(struct run *r, struct xo_input *in)
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
static char *source_from_path(const char *path)
{
	if (strcmp(path, "-") == 0)
		return xo_strdup("stdin");
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	return n ? xo_strndup(base, n) : xo_strdup(base);
}

static void summarize_file(struct run *r, const struct xo_input *in)
{
	xo_warn("%s: %llu read, %llu emitted, %llu rejected", in->name, r->read, r->emitted, r->rejected);
	r->total_read += r->read;
	r->total_emitted += r->emitted;
	r->total_rejected += r->rejected;
	r->read = r->emitted = r->rejected = 0;
}

static void ingest_file(struct run *r, const char *path)
{
	struct xo_input in;
	if (xo_input_open(&in, path) != 0) {
		xo_error("%s: %s", path, strerror(errno));
		r->exit_code = r->exit_code ? r->exit_code : XO_EXIT_INPUT;
		return;
	}
	char *default_source = source_from_path(path);
	struct xo_eventer_opts ev = r->opt.ev;
	ev.default_source = default_source;
	struct xo_buf err = XO_BUF_INIT;
	r->eventer = xo_eventer_new(r->map, &ev, &err);
	if (!r->eventer)
		xo_die(XO_EXIT_USAGE, "%s", xo_buf_str(&err));
	xo_buf_free(&err);
	switch (r->map->format) {
	case XO_FMT_CSV: read_csv(r, &in); break;
	case XO_FMT_LOG: read_log(r, &in); break;
	case XO_FMT_NDJSON: read_ndjson(r, &in); break;
	case XO_FMT_JSON: read_json_array(r, &in); break;
	}
	xo_progress_done(&r->progress);
	summarize_file(r, &in);
	r->files++;
	xo_eventer_free(r->eventer);
	r->eventer = NULL;
	free(default_source);
	xo_input_close(&in);
}

int main(int argc, char **argv)
{
	struct xo_cli cli;
	struct run r;
	memset(&r, 0, sizeof r);
	xo_cli_init(&cli, "xo-ingest", usage);
	parse_options(&cli, argc, argv, &r.opt);
	r.map = load_map(&cli, &r.opt);
	r.rejects = xo_rejects_open(r.opt.rejects_path);
	xo_progress_init(&r.progress);
	if (optind == argc)
		ingest_file(&r, "-");
	for (int i = optind; i < argc && !r.stop; i++)
		ingest_file(&r, argv[i]);
	xo_out_finish();
	if (r.files > 1)
		xo_warn("total: %llu read, %llu emitted, %llu rejected", r.total_read, r.total_emitted,
			r.total_rejected);
	xo_rejects_close(r.rejects);
	xo_map_free(r.map);
	xo_buf_free(&r.event);
	xo_buf_free(&r.why);
	xo_tz_free_all();
	if (r.exit_code)
		return r.exit_code;
	return r.total_rejected ? XO_EXIT_REJECTS : XO_EXIT_OK;
}
