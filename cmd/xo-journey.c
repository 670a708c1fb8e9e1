/* xo-journey: every customer's journey, and the patterns across them.
 * Options and wiring only; the work is in lib/ (evstore, jrun, journey,
 * jrecord, jpattern, pathstats). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "evstore.h"
#include "jpath.h"
#include "jpattern.h"
#include "jrecord.h"
#include "jrun.h"
#include "journey.h"
#include "mem.h"
#include "out.h"
#include "pathstats.h"
#include "rejects.h"

static const char usage[] =
"Usage: xo-journey [OPTION]... [FILE]...\n"
"Rebuild each customer's journey from events carrying an xid (xo-events(5))\n"
"and write one journey record per customer (xo-journey(5)); or find patterns\n"
"across customers. Reads the FILEs, or standard input when none or '-'.\n"
"\n"
"Input:\n"
"      --sorted             input grouped by xid (sort, xo-merge): stream it,\n"
"                           memory bounded by the largest customer\n"
"      --as-of TIME         as things stood at TIME (RFC 3339; default now);\n"
"                           later events are ignored\n"
"      --rejects FILE       write unusable events there (xo-rejects(5))\n"
"      --shard I/N          only the customers of shard I of N (xo(7))\n"
"Journeys:\n"
"      --gap DUR            inactivity that splits sessions (30m)\n"
"      --contact REGEX      tokens that are contacts\n"
"                           (^(phone|email|chat|sms|social|messaging|whatsapp|letter):)\n"
"      --issue PATH         where an event names its issue (repeatable; first\n"
"                           found: attrs.issue, attrs.topic, attrs.reason;\n"
"                           else the type)\n"
"      --repeat-window DUR  repeat contacts about one issue (7d)\n"
"      --episode-start REGEX, --episode-end REGEX, --episode-timeout DUR\n"
"                           redefine the built-in 'issue' episode kind\n"
"      --patterns FILE      named patterns, episode kinds and funnels\n"
"      --keep PATH          keep this event value in each step (repeatable)\n"
"      --no-text            leave the events' text out of the steps\n"
"      --max-steps N        write only the last N steps of each journey\n"
"Patterns:\n"
"      --match REGEX        the customers and spans matching REGEX over the\n"
"                           token stream (repeatable)\n"
"      --pattern NAME       the same with a pattern of --patterns (repeatable)\n"
"      --annotate           journey records with their matches instead\n"
"Reports across customers:\n"
"      --paths              the most frequent paths\n"
"      --transitions        the transition matrix\n"
"      --map                the journey map: --transitions --format dot\n"
"      --funnel A,B,C|NAME  conversion through steps (patterns on one token)\n"
"      --window DUR         a funnel's window from its first step (30d)\n"
"      --unit journey|session|episode   what a path or transition is in\n"
"      --by token|channel|type          what a node is (token)\n"
"      --top N              rows (paths: 10; transitions: all)\n"
"      --max-len N          nodes of a path before '(more)' (all)\n"
"      --collapse           repeated consecutive nodes count once\n"
"      --min-count N        leave out rows counted fewer than N times\n"
"      --format ndjson|tsv|dot          output form (ndjson)\n"
"\n"
"  -q, --quiet              no warnings or summary\n"
"      --unbuffered         flush each record\n"
"  -h, --help               this help\n"
"  -V, --version            version\n"
"\n"
"Exit status: 0 ok, 1 some events rejected (or a pattern hit its limits, or\n"
"--sorted input not grouped), 2 usage, 3 input unreadable, 4 output failed,\n"
"6 internal error. See xo-journey(1).\n";

enum {
	OPT_SORTED = XO_OPT_FIRST_TOOL, OPT_AS_OF, OPT_REJECTS, OPT_GAP, OPT_CONTACT,
	OPT_ISSUE, OPT_REPEAT_WINDOW, OPT_EP_START, OPT_EP_END, OPT_EP_TIMEOUT,
	OPT_PATTERNS, OPT_KEEP, OPT_NO_TEXT, OPT_MAX_STEPS, OPT_MATCH, OPT_PATTERN,
	OPT_ANNOTATE, OPT_PATHS, OPT_TRANSITIONS, OPT_MAP, OPT_FUNNEL, OPT_WINDOW,
	OPT_UNIT, OPT_BY, OPT_TOP, OPT_MAX_LEN, OPT_COLLAPSE, OPT_MIN_COUNT, OPT_FORMAT,
	OPT_SHARD,
};

static const struct option longopts[] = {
	XO_CLI_LONGOPTS,
	{ "sorted", no_argument, NULL, OPT_SORTED },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "gap", required_argument, NULL, OPT_GAP },
	{ "contact", required_argument, NULL, OPT_CONTACT },
	{ "issue", required_argument, NULL, OPT_ISSUE },
	{ "repeat-window", required_argument, NULL, OPT_REPEAT_WINDOW },
	{ "episode-start", required_argument, NULL, OPT_EP_START },
	{ "episode-end", required_argument, NULL, OPT_EP_END },
	{ "episode-timeout", required_argument, NULL, OPT_EP_TIMEOUT },
	{ "patterns", required_argument, NULL, OPT_PATTERNS },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "no-text", no_argument, NULL, OPT_NO_TEXT },
	{ "max-steps", required_argument, NULL, OPT_MAX_STEPS },
	{ "match", required_argument, NULL, OPT_MATCH },
	{ "pattern", required_argument, NULL, OPT_PATTERN },
	{ "annotate", no_argument, NULL, OPT_ANNOTATE },
	{ "paths", no_argument, NULL, OPT_PATHS },
	{ "transitions", no_argument, NULL, OPT_TRANSITIONS },
	{ "map", no_argument, NULL, OPT_MAP },
	{ "funnel", required_argument, NULL, OPT_FUNNEL },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "by", required_argument, NULL, OPT_BY },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "max-len", required_argument, NULL, OPT_MAX_LEN },
	{ "collapse", no_argument, NULL, OPT_COLLAPSE },
	{ "min-count", required_argument, NULL, OPT_MIN_COUNT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ NULL, 0, NULL, 0 },
};

enum report { R_JOURNEYS, R_MATCHES, R_PATHS, R_TRANSITIONS, R_FUNNEL };

struct opts {
	struct xo_cli cli;
	int sorted, no_text, annotate, have_as_of, have_window;
	const char *rejects, *patterns_file, *funnel, *format;
	const char **issue;                  /* --issue paths, in order */
	size_t n_issue;
	const char *ep_start, *ep_end, *ep_timeout;
	const char **keep, **match;          /* --match and --pattern arguments */
	size_t n_keep, n_match;
	enum report report;
	int n_reports;
	xo_time_t window;
	struct xo_pathstats_opts ps;
	int have_top;
	char *is_name;      /* is_name[i]: match[i] came from --pattern */
	struct xo_shard shard;
};

struct run {
	struct opts *o;
	struct xo_jconfig cfg;
	struct xo_evstore store;
	struct xo_jbuilder builder;
	struct xo_jpatterns pats;
	const struct xo_jpattern **active;   /* the patterns to match */
	size_t n_active;
	struct xo_jmatcher matcher;
	struct xo_pathstats ps;
	struct xo_funnelstats fs;
	struct xo_jfunnel *funnel;
	const struct xo_journey *current;    /* for add_matches */
	enum xo_report_format fmt;
	struct xo_buf out;
};

static xo_time_t duration_arg(const struct xo_cli *cli, const char *opt, const char *arg)
{
	xo_time_t d;
	if (xo_duration_parse(arg, &d) != 0 || d <= 0)
		xo_cli_usage_error(cli, "%s: bad duration '%s' (as 30m, 7d, 1h30m)", opt, arg);
	return d;
}

static void add_arg(const char ***list, size_t *n, const char *arg)
{
	*list = xo_realloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = arg;
}

static void set_report(struct opts *o, enum report r)
{
	if (o->n_reports && o->report != r)
		xo_cli_usage_error(&o->cli, "give one of --match/--pattern, --paths, "
				   "--transitions/--map and --funnel");
	o->report = r;
	o->n_reports = 1;
}

static int word_arg(const struct xo_cli *cli, const char *opt, const char *arg,
		    const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	xo_cli_usage_error(cli, "%s: unknown value '%s'", opt, arg);
}

static void parse_opt(struct opts *o, struct run *r, int c, const char *arg)
{
	static const char *const units[] = { "journey", "session", "episode", NULL };
	static const char *const bys[] = { "token", "channel", "type", NULL };
	const struct xo_cli *cli = &o->cli;
	switch (c) {
	case OPT_SORTED: o->sorted = 1; break;
	case OPT_AS_OF:
		if (xo_time_parse_rfc3339(arg, strlen(arg), &r->cfg.as_of) != 0)
			xo_cli_usage_error(cli, "--as-of: not an RFC 3339 time: '%s'", arg);
		break;
	case OPT_REJECTS: o->rejects = arg; break;
	case OPT_SHARD:
		if (xo_shard_parse(arg, &o->shard) != 0)
			xo_cli_usage_error(cli, "--shard: expected I/N with 0 <= I < N <= %d, not '%s'",
					   XO_SHARD_MAX, arg);
		break;
	case OPT_GAP: r->cfg.gap = duration_arg(cli, "--gap", arg); break;
	case OPT_CONTACT:
		xo_rx_free(r->cfg.contact);
		r->cfg.contact = xo_jpattern_compile(arg, 0, "--contact", 0);
		break;
	case OPT_ISSUE: add_arg(&o->issue, &o->n_issue, arg); break;
	case OPT_REPEAT_WINDOW:
		r->cfg.repeat_window = duration_arg(cli, "--repeat-window", arg);
		break;
	case OPT_EP_START: o->ep_start = arg; break;
	case OPT_EP_END: o->ep_end = arg; break;
	case OPT_EP_TIMEOUT: o->ep_timeout = arg; break;
	case OPT_PATTERNS: o->patterns_file = arg; break;
	case OPT_KEEP: add_arg(&o->keep, &o->n_keep, arg); break;
	case OPT_NO_TEXT: o->no_text = 1; break;
	case OPT_MAX_STEPS:
		r->cfg.max_steps = (size_t)xo_cli_number(cli, "--max-steps", arg, 1, 1000000000);
		break;
	case OPT_MATCH:
	case OPT_PATTERN:
		/* One list, in command-line order. */
		o->is_name = xo_realloc(o->is_name, o->n_match + 1);
		o->is_name[o->n_match] = c == OPT_PATTERN;
		add_arg(&o->match, &o->n_match, arg);
		set_report(o, R_MATCHES);
		break;
	case OPT_ANNOTATE: o->annotate = 1; break;
	case OPT_PATHS: set_report(o, R_PATHS); break;
	case OPT_TRANSITIONS: set_report(o, R_TRANSITIONS); break;
	case OPT_MAP: set_report(o, R_TRANSITIONS); o->format = "dot"; break;
	case OPT_FUNNEL: o->funnel = arg; set_report(o, R_FUNNEL); break;
	case OPT_WINDOW: o->window = duration_arg(cli, "--window", arg); break;
	case OPT_UNIT: o->ps.unit = (enum xo_unit)word_arg(cli, "--unit", arg, units); break;
	case OPT_BY: o->ps.by = (enum xo_node_by)word_arg(cli, "--by", arg, bys); break;
	case OPT_TOP:
		o->ps.top = (size_t)xo_cli_number(cli, "--top", arg, 0, 1000000000);
		o->have_top = 1;
		break;
	case OPT_MAX_LEN:
		o->ps.max_len = (size_t)xo_cli_number(cli, "--max-len", arg, 1, 1000000);
		break;
	case OPT_COLLAPSE: o->ps.collapse = 1; break;
	case OPT_MIN_COUNT:
		o->ps.min_count = (uint64_t)xo_cli_number(cli, "--min-count", arg, 1, INT64_MAX);
		break;
	case OPT_FORMAT: o->format = arg; break;
	default:
		xo_cli_usage_error(cli, "unhandled option");
	}
}

/* Options that depend on others: the episode kind, the patterns file,
 * the output form. */
static void settle(struct opts *o, struct run *r)
{
	const struct xo_cli *cli = &o->cli;
	if (o->ep_start || o->ep_end || o->ep_timeout) {
		const struct xo_episode_kind *k = &r->cfg.kinds[0];
		struct xo_rx *start = o->ep_start ? xo_jpattern_compile(o->ep_start, 0, "--episode-start", 0)
						  : xo_jpattern_compile(k->start->source, 0, "issue", 0);
		struct xo_rx *end = o->ep_end ? xo_jpattern_compile(o->ep_end, 0, "--episode-end", 0)
					      : xo_jpattern_compile(k->end->source, 0, "issue", 0);
		xo_time_t timeout = o->ep_timeout ? duration_arg(cli, "--episode-timeout", o->ep_timeout)
						  : k->timeout;
		xo_jconfig_kind(&r->cfg, "issue", start, end, timeout);
	}
	if (o->patterns_file)
		xo_jpatterns_load(&r->pats, o->patterns_file, &r->cfg);
	const char *missing;
	r->active = xo_jpatterns_select(&r->pats, o->match, o->is_name, o->n_match, &missing);
	r->n_active = o->n_match;
	if (!r->active)
		xo_cli_usage_error(cli, "--pattern: no pattern named '%s'%s", missing,
				   o->patterns_file ? "" : " (give --patterns FILE)");
	if (o->annotate && o->report != R_MATCHES)
		xo_cli_usage_error(cli, "--annotate needs --match or --pattern");
	static const char *const formats[] = { "ndjson", "tsv", "dot", NULL };
	r->fmt = o->format ? (enum xo_report_format)word_arg(cli, "--format", o->format, formats)
			   : XO_FMT_NDJSON;
	int tables = o->report == R_JOURNEYS || o->report == R_MATCHES;
	if (r->fmt == XO_FMT_DOT && tables)
		xo_cli_usage_error(cli, "--format dot is for --paths, --transitions and --funnel");
	if (r->fmt == XO_FMT_TSV && o->annotate)
		xo_cli_usage_error(cli, "--annotate writes journey records: NDJSON only");
	if (o->report == R_PATHS && !o->have_top)
		o->ps.top = 10;
	if (o->report == R_FUNNEL)
		r->funnel = xo_jpatterns_funnel(&r->pats, o->funnel,
						o->window ? o->window : 30 * XO_USEC_PER_DAY);
	else if (o->window)
		xo_cli_usage_error(cli, "--window is for --funnel");
	if (r->funnel && o->window)
		r->funnel->window = o->window;
}

static void flush_out(struct run *r)
{
	xo_out_write(r->out.data, r->out.len);
	xo_buf_reset(&r->out);
}

static void add_matches(struct xo_jw *w, void *ctx)
{
	struct run *r = ctx;
	xo_jw_key(w, "matches");
	xo_jw_arr(w);
	for (size_t i = 0; i < r->matcher.n; i++) {
		xo_jw_obj(w);
		xo_jmatch_members(w, &r->matcher.m[i], r->current, &r->store.names, 0);
		xo_jw_end(w);
	}
	xo_jw_end(w);
}

static void emit(const struct xo_journey *j, void *ctx)
{
	struct run *r = ctx;
	switch (r->o->report) {
	case R_JOURNEYS:
		if (r->fmt == XO_FMT_TSV) {
			xo_jrecord_tsv(j, &r->builder, &r->out);
		} else {
			xo_jrecord_json(j, &r->builder, &r->out, NULL, NULL);
			xo_buf_addc(&r->out, '\n');
		}
		break;
	case R_MATCHES:
		xo_jmatch_run(&r->matcher, r->active, r->n_active, j, &r->store.names);
		if (r->o->annotate) {
			r->current = j;
			xo_jrecord_json(j, &r->builder, &r->out, add_matches, r);
			xo_buf_addc(&r->out, '\n');
			break;
		}
		for (size_t i = 0; i < r->matcher.n; i++) {
			if (r->fmt == XO_FMT_TSV) {
				xo_jmatch_tsv(&r->out, &r->matcher.m[i], j, &r->store.names);
				continue;
			}
			struct xo_jw w;
			xo_jw_init(&w, &r->out);
			xo_jw_obj(&w);
			xo_jmatch_members(&w, &r->matcher.m[i], j, &r->store.names, 1);
			xo_jw_end(&w);
			xo_buf_addc(&r->out, '\n');
		}
		break;
	case R_PATHS: xo_paths_add(&r->ps, j); return;
	case R_TRANSITIONS: xo_transitions_add(&r->ps, j); return;
	case R_FUNNEL: xo_funnel_add(&r->fs, j); return;
	}
	flush_out(r);
	xo_out_record_end();
}

static void write_report(struct run *r)
{
	switch (r->o->report) {
	case R_PATHS: xo_paths_write(&r->ps, r->fmt, &r->out); break;
	case R_TRANSITIONS: xo_transitions_write(&r->ps, r->fmt, &r->out); break;
	case R_FUNNEL: xo_funnel_write(&r->fs, r->fmt, &r->out); break;
	default: break;
	}
	flush_out(r);
}

static struct xo_path *compile_path(const struct xo_cli *cli, const char *opt, const char *text)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_path *p = xo_path_compile(text, &err);
	if (!p)
		xo_cli_usage_error(cli, "%s: %s", opt, xo_buf_str(&err));
	return p;
}

int main(int argc, char **argv)
{
	static struct opts o;
	static struct run r;
	xo_cli_init(&o.cli, "xo-journey", usage);
	xo_jconfig_init(&r.cfg);
	r.o = &o;
	int c;
	while ((c = getopt_long(argc, argv, XO_CLI_SHORTOPTS, longopts, NULL)) != -1)
		if (!xo_cli_common(&o.cli, c))
			parse_opt(&o, &r, c, optarg);
	settle(&o, &r);
	xo_cli_ready(&o.cli);

	static const char *const default_issue[] = { "attrs.issue", "attrs.topic", "attrs.reason" };
	const char *const *issue_text = o.n_issue ? o.issue : default_issue;
	size_t n_issue = o.n_issue ? o.n_issue : 3;
	struct xo_path **issue = xo_calloc(n_issue, sizeof *issue);
	for (size_t i = 0; i < n_issue; i++)
		issue[i] = compile_path(&o.cli, "--issue", issue_text[i]);
	struct xo_path **keep = xo_calloc(o.n_keep + 1, sizeof *keep);
	for (size_t i = 0; i < o.n_keep; i++)
		keep[i] = compile_path(&o.cli, "--keep", o.keep[i]);
	struct xo_rejects *rejects = xo_rejects_open(o.rejects);
	xo_evstore_init(&r.store, argv + optind, argc - optind, rejects);
	r.store.as_of = r.cfg.as_of;
	r.store.shard = o.shard;
	r.store.issue = (const struct xo_path *const *)issue;
	r.store.n_issue = n_issue;
	r.store.keep = (const struct xo_path *const *)keep;
	r.store.n_keep = o.n_keep;
	r.store.keep_text = !o.no_text && o.report != R_PATHS && o.report != R_TRANSITIONS &&
			    o.report != R_FUNNEL;
	xo_jbuilder_init(&r.builder, &r.cfg, &r.store);
	xo_pathstats_init(&r.ps, &o.ps, &r.store.names);
	if (r.funnel)
		xo_funnelstats_init(&r.fs, r.funnel, &r.store.names);
	if (o.report == R_JOURNEYS && r.fmt == XO_FMT_TSV)
		xo_jrecord_tsv_header(&r.out);
	if (o.report == R_MATCHES && r.fmt == XO_FMT_TSV && !o.annotate)
		xo_jmatch_tsv_header(&r.out);

	struct xo_jrun run = { &r.store, &r.builder, o.sorted, emit, &r, 0, 0, 0 };
	xo_jrun(&run);
	write_report(&r);
	xo_out_finish();

	uint64_t rejected = xo_rejects_count(rejects);
	xo_rejects_close(rejects);
	xo_warn("%llu events read, %llu rejected, %llu after as-of ignored; %llu customers",
		(unsigned long long)r.store.read, (unsigned long long)rejected,
		(unsigned long long)r.store.after_as_of, (unsigned long long)run.customers);
	if (r.builder.duplicates)
		xo_warn("%llu repeated events (an id seen before) counted once",
			(unsigned long long)r.builder.duplicates);
	if (run.regrouped)
		xo_error("%llu customers seen in more than one group: --sorted input was not "
			 "grouped by xid", (unsigned long long)run.regrouped);
	uint64_t limits = r.matcher.limits + r.builder.rx_limits + r.fs.limits;
	if (limits)
		xo_error("%llu pattern matches stopped by the match limit", (unsigned long long)limits);
	int status = rejected || run.regrouped || limits ? XO_EXIT_REJECTS : XO_EXIT_OK;
	xo_funnelstats_free(&r.fs);
	xo_pathstats_free(&r.ps);
	xo_jmatcher_free(&r.matcher);
	xo_jbuilder_free(&r.builder);
	xo_evstore_free(&r.store);
	xo_jpatterns_free(&r.pats);
	xo_jconfig_free(&r.cfg);
	for (size_t i = 0; i < o.n_keep; i++)
		xo_path_free(keep[i]);
	free(keep);
	for (size_t i = 0; i < n_issue; i++)
		xo_path_free(issue[i]);
	free(issue);
	free(o.issue);
	free(r.active);
	free(o.keep);
	free(o.match);
	free(o.is_name);
	xo_buf_free(&r.out);
	xo_exit(status);
}
