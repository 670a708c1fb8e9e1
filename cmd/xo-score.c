/* xo-score: CX metrics, text sentiment and topics, per-customer context,
 * churn models and drivers. Options are parsed here; the work is done in
 * lib/ (cxreport, sentiment, topics, context, features, model, drivers).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "context.h"
#include "cxreport.h"
#include "diag.h"
#include "out.h"
#include "records.h"
#include "rejects.h"
#include "textscore.h"

static const char usage_main[] =
	"Usage: xo-score COMMAND [OPTION]... [FILE]...\n"
	"CX metrics, what customers say, who is at risk, and which issues to fix first.\n"
	"\n"
	"Commands:\n"
	"  metrics    NPS, CSAT and CES with margins of error, by group and period\n"
	"  text       sentiment, language and topics of each event's text\n"
	"  context    per-customer sentiment, effort, cx trend and health on journeys\n"
	"  train      fit a logistic model of a binary outcome (churn, ...)\n"
	"  apply      add a model's probability and top reasons to each record\n"
	"  drivers    rank topics, journey patterns and attributes by impact\n"
	"\n"
	"  -h, --help       this help; COMMAND --help for a command's options\n"
	"  -V, --version    version\n"
	"\n"
	"See xo-score(1). Exit status: 0 ok, 1 some records rejected, 2 usage,\n"
	"3 input unreadable, 4 output failure, 6 internal error.\n";

static const char usage_metrics[] =
	"Usage: xo-score metrics [OPTION]... [FILE]...\n"
	"NPS, CSAT and CES of survey events, with counts and 95% margins of error.\n"
	"\n"
	"  -b, --by PATHS        group by these comma-separated fields (channel,attrs.region)\n"
	"  -e, --every PERIOD    and by day, week, month, quarter or year of \"ts\"\n"
	"      --tz ZONE         calendar of --every (default UTC)\n"
	"  -f, --format FMT      ndjson (default) or tsv\n"
	"      --ces-scale S     ease (default: 7 = very easy, low effort 5-7)\n"
	"                        or effort (1 = least effort, low effort 1-3)\n"
	"      --digits N        decimals of scores and margins (default 2)\n"
	"      --min-n N         leave out rows with fewer than N responses\n"
	"      --rejects FILE    write rejected records there (xo-rejects(5))\n"
	"  -q, --quiet          no warnings or summary\n"
	"      --unbuffered     flush each output row\n"
	"  -h, --help           this help\n"
	"  -V, --version        version\n";

static const char usage_text[] =
	"Usage: xo-score text [OPTION]... [FILE]...\n"
	"Add the sentiment, language and topics of each event's text.\n"
	"\n"
	"  -t, --text PATH        the text field (default text)\n"
	"  -l, --lang CODE        score every text in this language\n"
	"      --lang-field PATH  a field naming each record's language (it, es-ES, ...)\n"
	"      --default-lang CODE  when the language cannot be told (default: first lexicon)\n"
	"      --lexicon FILE     use this lexicon (xo-lexicon(5)); repeat for more languages;\n"
	"                         default: en, it and es from the data directory\n"
	"      --topics FILE      topic patterns (xo-topics(5)); default: the built-in list\n"
	"      --no-topics        no topic tags\n"
	"      --digits N         decimals of the score (default 4)\n"
	"      --rejects FILE     write rejected records there (xo-rejects(5))\n"
	"  -q, --quiet            no warnings or summary\n"
	"      --unbuffered       flush each output record\n"
	"  -h, --help             this help\n"
	"  -V, --version          version\n";

static const char usage_context[] =
	"Usage: xo-score context [OPTION]... [FILE]...\n"
	"Add per-customer sentiment, effort, cx trend and a health score (0-100)\n"
	"under \"score\" to journey records (xo-journey(5)).\n"
	"\n"
	"  -w, --weights SPEC     health weights, e.g. cx=0.35,sentiment=0.25,effort=0.25,trend=0.15\n"
	"      --window DURATION  texts in the sentiment mean: the last 90d by default\n"
	"      --ces-scale S      ease (default) or effort, as for metrics\n"
	"      --field NAME       where the figures go (default score)\n"
	"      --no-text          do not score step texts (use step \"sentiment\" only)\n"
	"      --digits N         decimals of the figures (default 4)\n"
	"  -l, --lang CODE, --default-lang CODE, --lexicon FILE\n"
	"                         the language of step texts, as for text\n"
	"      --rejects FILE     write rejected records there (xo-rejects(5))\n"
	"  -q, --quiet            no warnings or summary\n"
	"      --unbuffered       flush each output record\n"
	"  -h, --help             this help\n"
	"  -V, --version          version\n";

/* What every subcommand shares: the command line, the records read and
 * the reject stream. */
struct run {
	struct xo_cli cli;
	const char *rejects_path;
	struct xo_rejects *rejects;
	struct xo_records records;
	struct xo_buf why;
};

enum {
	OPT_REJECTS = XO_OPT_FIRST_TOOL,
	OPT_TZ,
	OPT_CES_SCALE,
	OPT_DIGITS,
	OPT_MIN_N,
	OPT_LANG_FIELD,
	OPT_DEFAULT_LANG,
	OPT_LEXICON,
	OPT_TOPICS,
	OPT_NO_TOPICS,
	OPT_WINDOW,
	OPT_FIELD,
	OPT_NO_TEXT,
};

#define RUN_LONGOPTS XO_CLI_LONGOPTS, { "rejects", required_argument, NULL, OPT_REJECTS }

static int run_common(struct run *run, int opt)
{
	if (opt == OPT_REJECTS) {
		run->rejects_path = optarg;
		return 1;
	}
	return xo_cli_common(&run->cli, opt);
}

static void run_start(struct run *run, int argc, char **argv)
{
	xo_cli_ready(&run->cli);
	run->rejects = xo_rejects_open(run->rejects_path);
	xo_records_open(&run->records, argv + optind, argc - optind, run->rejects);
}

static json_t *run_next(struct run *run)
{
	xo_buf_reset(&run->why);
	return xo_records_next(&run->records);
}

/* Send the record last read to the reject stream with run->why. */
static void run_reject(struct run *run)
{
	struct xo_input *in = &run->records.in;
	xo_rejects_add(run->rejects, in->name, in->line, in->buf, in->len,
		       xo_buf_str(&run->why));
}

/* Close everything; the exit status. */
static int run_finish(struct run *run)
{
	uint64_t rejected = xo_rejects_count(run->rejects);
	xo_records_close(&run->records);
	xo_rejects_close(run->rejects);
	xo_buf_free(&run->why);
	xo_out_finish();
	return rejected ? XO_EXIT_REJECTS : XO_EXIT_OK;
}

static enum xo_ces_scale parse_scale(const struct xo_cli *cli, const char *s)
{
	if (strcmp(s, "ease") == 0)
		return XO_CES_EASE;
	if (strcmp(s, "effort") == 0)
		return XO_CES_EFFORT;
	xo_cli_usage_error(cli, "--ces-scale: expected ease or effort, not '%s'", s);
}

static enum xo_report_format parse_format(const struct xo_cli *cli, const char *s)
{
	if (strcmp(s, "ndjson") == 0 || strcmp(s, "json") == 0)
		return XO_FORMAT_NDJSON;
	if (strcmp(s, "tsv") == 0)
		return XO_FORMAT_TSV;
	xo_cli_usage_error(cli, "--format: expected ndjson or tsv, not '%s'", s);
}

static int cmd_metrics(int argc, char **argv)
{
	static const struct option longopts[] = {
		RUN_LONGOPTS,
		{ "by", required_argument, NULL, 'b' },
		{ "every", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ "tz", required_argument, NULL, OPT_TZ },
		{ "ces-scale", required_argument, NULL, OPT_CES_SCALE },
		{ "digits", required_argument, NULL, OPT_DIGITS },
		{ "min-n", required_argument, NULL, OPT_MIN_N },
		{ NULL, 0, NULL, 0 },
	};
	struct run run = { 0 };
	xo_cli_init(&run.cli, "xo-score", usage_metrics);
	const char *by = NULL, *every = NULL, *tzname = NULL;
	enum xo_report_format fmt = XO_FORMAT_NDJSON;
	enum xo_ces_scale scale = XO_CES_EASE;
	int digits = 2;
	long long min_n = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS "b:e:f:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'b': by = optarg; break;
		case 'e': every = optarg; break;
		case 'f': fmt = parse_format(&run.cli, optarg); break;
		case OPT_TZ: tzname = optarg; break;
		case OPT_CES_SCALE: scale = parse_scale(&run.cli, optarg); break;
		case OPT_DIGITS: digits = (int)xo_cli_number(&run.cli, "--digits", optarg, 0, 10); break;
		case OPT_MIN_N: min_n = xo_cli_number(&run.cli, "--min-n", optarg, 0, 1000000000000LL); break;
		default:
			if (!run_common(&run, opt))
				xo_cli_usage_error(&run.cli, "unexpected option");
		}
	}
	struct xo_cxreport report;
	if (xo_cxreport_init(&report, by, &run.why) != 0)
		xo_cli_usage_error(&run.cli, "--by: %s", xo_buf_str(&run.why));
	if (every && xo_period_parse(every, &report.period) != 0)
		xo_cli_usage_error(&run.cli, "--every: expected day, week, month, quarter or year, not '%s'", every);
	if (tzname) {
		const char *why;
		if (!(report.tz = xo_tz_get(tzname, &why)))
			xo_cli_usage_error(&run.cli, "--tz %s: %s", tzname, why);
	}
	report.scale = scale;
	report.digits = digits;
	report.min_n = (uint64_t)min_n;
	run_start(&run, argc, argv);
	json_t *ev;
	while ((ev = run_next(&run))) {
		if (xo_cxreport_add(&report, ev, &run.why) < 0)
			run_reject(&run);
		json_decref(ev);
	}
	uint64_t rows = xo_cxreport_write(&report, fmt);
	xo_warn("%llu records, %llu responses, %llu without cx, %llu rows",
		(unsigned long long)run.records.read, (unsigned long long)report.responses,
		(unsigned long long)report.no_cx, (unsigned long long)rows);
	xo_cxreport_free(&report);
	return run_finish(&run);
}

#define MAX_LEXICONS 32

/* The text options shared by text, context and drivers. */
struct text_opts {
	struct xo_textscore_opts o;
	const char *lexicons[MAX_LEXICONS];
};

static int text_option(struct run *run, struct text_opts *t, int opt)
{
	switch (opt) {
	case 't': t->o.text_field = optarg; return 1;
	case 'l': t->o.lang = optarg; return 1;
	case OPT_LANG_FIELD: t->o.lang_field = optarg; return 1;
	case OPT_DEFAULT_LANG: t->o.default_lang = optarg; return 1;
	case OPT_TOPICS: t->o.topics = optarg; return 1;
	case OPT_NO_TOPICS: t->o.no_topics = 1; return 1;
	case OPT_LEXICON:
		if (t->o.n_lexicons == MAX_LEXICONS)
			xo_cli_usage_error(&run->cli, "--lexicon: at most %d", MAX_LEXICONS);
		t->lexicons[t->o.n_lexicons++] = optarg;
		t->o.lexicons = t->lexicons;
		return 1;
	}
	return 0;
}

#define TEXT_LONGOPTS                                                          \
	{ "text", required_argument, NULL, 't' },                              \
	{ "lang", required_argument, NULL, 'l' },                              \
	{ "lang-field", required_argument, NULL, OPT_LANG_FIELD },             \
	{ "default-lang", required_argument, NULL, OPT_DEFAULT_LANG },         \
	{ "lexicon", required_argument, NULL, OPT_LEXICON },                   \
	{ "topics", required_argument, NULL, OPT_TOPICS },                     \
	{ "no-topics", no_argument, NULL, OPT_NO_TOPICS }

/* Open the text analysis or stop with XO_EXIT_USAGE (a bad lexicon or
 * topic file is a bad config file). */
static void text_open(struct run *run, struct xo_textscore *ts, struct text_opts *t)
{
	if (xo_textscore_open(ts, &t->o, &run->why) != 0)
		xo_die(XO_EXIT_USAGE, "%s", xo_buf_str(&run->why));
	xo_buf_reset(&run->why);
}

static int cmd_text(int argc, char **argv)
{
	static const struct option longopts[] = {
		RUN_LONGOPTS,
		TEXT_LONGOPTS,
		{ "digits", required_argument, NULL, OPT_DIGITS },
		{ NULL, 0, NULL, 0 },
	};
	struct run run = { 0 };
	struct text_opts t = { 0 };
	t.o.digits = 4;
	xo_cli_init(&run.cli, "xo-score", usage_text);
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS "t:l:", longopts, NULL)) != -1) {
		if (opt == OPT_DIGITS)
			t.o.digits = (int)xo_cli_number(&run.cli, "--digits", optarg, 0, 10);
		else if (!text_option(&run, &t, opt) && !run_common(&run, opt))
			xo_cli_usage_error(&run.cli, "unexpected option");
	}
	struct xo_textscore ts;
	text_open(&run, &ts, &t);
	run_start(&run, argc, argv);
	struct xo_buf warn = XO_BUF_INIT;
	json_t *rec;
	while ((rec = run_next(&run))) {
		xo_buf_reset(&warn);
		if (xo_textscore_annotate(&ts, rec, &run.why, &warn) < 0)
			run_reject(&run);
		else
			xo_out_json(rec);
		if (warn.len)
			xo_warn_at(xo_records_file(&run.records), xo_records_line(&run.records),
				   "%s", warn.data);
		json_decref(rec);
	}
	xo_warn("%llu records, %llu texts: %llu positive, %llu neutral, %llu negative",
		(unsigned long long)run.records.read, (unsigned long long)ts.texts,
		(unsigned long long)ts.per_label[2], (unsigned long long)ts.per_label[1],
		(unsigned long long)ts.per_label[0]);
	xo_buf_free(&warn);
	xo_textscore_free(&ts);
	return run_finish(&run);
}

static int cmd_context(int argc, char **argv)
{
	static const struct option longopts[] = {
		RUN_LONGOPTS,
		TEXT_LONGOPTS,
		{ "weights", required_argument, NULL, 'w' },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "ces-scale", required_argument, NULL, OPT_CES_SCALE },
		{ "field", required_argument, NULL, OPT_FIELD },
		{ "no-text", no_argument, NULL, OPT_NO_TEXT },
		{ "digits", required_argument, NULL, OPT_DIGITS },
		{ NULL, 0, NULL, 0 },
	};
	struct run run = { 0 };
	struct text_opts t = { 0 };
	struct xo_context_opts o;
	xo_context_opts_default(&o);
	t.o.no_topics = 1;
	int no_text = 0;
	xo_cli_init(&run.cli, "xo-score", usage_context);
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS "t:l:w:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			if (xo_context_weights(&o, optarg, &run.why) != 0)
				xo_cli_usage_error(&run.cli, "--weights: %s", xo_buf_str(&run.why));
			break;
		case OPT_WINDOW:
			if (xo_duration_parse(optarg, &o.window) != 0 || o.window <= 0)
				xo_cli_usage_error(&run.cli, "--window: expected a duration such as 90d, not '%s'", optarg);
			break;
		case OPT_CES_SCALE: o.scale = parse_scale(&run.cli, optarg); break;
		case OPT_FIELD: o.field = optarg; break;
		case OPT_NO_TEXT: no_text = 1; break;
		case OPT_DIGITS: o.digits = (int)xo_cli_number(&run.cli, "--digits", optarg, 0, 10); break;
		default:
			if (!text_option(&run, &t, opt) && !run_common(&run, opt))
				xo_cli_usage_error(&run.cli, "unexpected option");
		}
	}
	struct xo_textscore ts;
	if (!no_text)
		text_open(&run, &ts, &t);
	run_start(&run, argc, argv);
	json_t *rec;
	uint64_t done = 0;
	while ((rec = run_next(&run))) {
		if (xo_context_add(&o, no_text ? NULL : &ts, rec, &run.why) < 0) {
			run_reject(&run);
		} else {
			xo_out_json(rec);
			done++;
		}
		json_decref(rec);
	}
	xo_warn("%llu records, %llu journeys scored", (unsigned long long)run.records.read,
		(unsigned long long)done);
	if (!no_text)
		xo_textscore_free(&ts);
	return run_finish(&run);
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "metrics", cmd_metrics },
	{ "text", cmd_text },
	{ "context", cmd_context },
	{ "health", cmd_context },
};

int main(int argc, char **argv)
{
	struct xo_cli cli;
	xo_cli_init(&cli, "xo-score", usage_main);
	if (argc < 2)
		xo_cli_usage_error(&cli, "a command is needed: metrics, text, context, train, apply or drivers");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			int rc = commands[i].run(argc - 1, argv + 1);
			xo_tz_free_all();
			xo_exit(rc);
		}
	}
	static const struct option longopts[] = { XO_CLI_LONGOPTS, { NULL, 0, NULL, 0 } };
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS, longopts, NULL)) != -1)
		xo_cli_common(&cli, opt);
	xo_cli_usage_error(&cli, "unknown command '%s'", argv[1]);
}
