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
#include "afile.h"
#include "diag.h"
#include "drivers.h"
#include "mem.h"
#include "model.h"
#include "out.h"
#include "records.h"
#include "pseudo.h"
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
	"      --hash-ids        pseudonymize identifiers (ids.*) as read;\n"
	"                        key: --hash-key-file, XO_HASH_KEY[_FILE]\n"
	"      --hash-key-file FILE\n"
	"                        the pseudonym key (mode 0600)\n"
	"      --shard I/N       only the customers of shard I of N (xo(7))\n"
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
	"      --hash-ids         pseudonymize identifiers (ids.*) as read;\n"
	"                         key: --hash-key-file, XO_HASH_KEY[_FILE]\n"
	"      --hash-key-file FILE\n"
	"                         the pseudonym key (mode 0600)\n"
	"      --shard I/N        only the customers of shard I of N (xo(7))\n"
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
	"      --hash-ids         pseudonymize identifiers (ids.*) as read;\n"
	"                         key: --hash-key-file, XO_HASH_KEY[_FILE]\n"
	"      --hash-key-file FILE\n"
	"                         the pseudonym key (mode 0600)\n"
	"      --shard I/N        only the customers of shard I of N (xo(7))\n"
	"  -q, --quiet            no warnings or summary\n"
	"      --unbuffered       flush each output record\n"
	"  -h, --help             this help\n"
	"  -V, --version          version\n";

static const char usage_train[] =
	"Usage: xo-score train --label PATH --features SPEC --model FILE [OPTION]... [FILE]...\n"
	"Fit a logistic regression of a binary outcome (LIBLINEAR), report it on a\n"
	"holdout part and write the model (xo-model(5)).\n"
	"\n"
	"  -y, --label PATH       the outcome: true/false, 1/0, yes/no (or see --positive)\n"
	"  -x, --features SPEC    what to read: PATH[:num|log|bool|cat|set|count],...\n"
	"                         or @FILE (xo-features(5))\n"
	"  -m, --model FILE       write the model there (atomically)\n"
	"      --positive VALUE   the label value that means 1; any other value means 0\n"
	"      --holdout FRAC     fraction held out for evaluation (default 0.2; 0: none)\n"
	"      --seed N           of the split, a hash of each record's --id (default 1)\n"
	"      --id PATH          what the split hashes (default xid; else the record number)\n"
	"      --split-field PATH use this field instead: \"train\", \"test\"/\"holdout\" or a boolean\n"
	"  -C, --cost C           inverse regularization strength (default 1, as sklearn)\n"
	"      --tol EPS          LIBLINEAR stopping tolerance (default 1e-4, as sklearn)\n"
	"      --class-weight W   none (default), balanced, or the weight of class 1\n"
	"      --min-count N      rarer levels go to (other) (default 5)\n"
	"      --threshold P      for accuracy (default 0.5)\n"
	"      --bins N           calibration bins (default 10)\n"
	"  -f, --format FMT       report as text (default) or json\n"
	"      --rejects FILE     write rejected records there (xo-rejects(5))\n"
	"      --hash-ids         pseudonymize identifiers (ids.*) as read;\n"
	"                         key: --hash-key-file, XO_HASH_KEY[_FILE]\n"
	"      --hash-key-file FILE\n"
	"                         the pseudonym key (mode 0600)\n"
	"      --shard I/N        only the customers of shard I of N (xo(7))\n"
	"  -q, --quiet            no warnings or summary\n"
	"  -h, --help             this help\n"
	"  -V, --version          version\n";

static const char usage_apply[] =
	"Usage: xo-score apply --model FILE [OPTION]... [FILE]...\n"
	"Add a model's probability and the features that raised it most to each record.\n"
	"\n"
	"  -m, --model FILE       the model (xo-model(5)), from xo-score train\n"
	"      --field NAME       where the result goes (default prediction)\n"
	"      --top N            how many contributing features (default 3; 0: none)\n"
	"      --digits N         decimals of p and contributions (default 4)\n"
	"      --rejects FILE     write rejected records there (xo-rejects(5))\n"
	"      --hash-ids         pseudonymize identifiers (ids.*) as read;\n"
	"                         key: --hash-key-file, XO_HASH_KEY[_FILE]\n"
	"      --hash-key-file FILE\n"
	"                         the pseudonym key (mode 0600)\n"
	"      --shard I/N        only the customers of shard I of N (xo(7))\n"
	"  -q, --quiet            no warnings or summary\n"
	"      --unbuffered       flush each output record\n"
	"  -h, --help             this help\n"
	"  -V, --version          version\n";

static const char usage_drivers[] =
	"Usage: xo-score drivers --outcome nps|csat|ces|churn [OPTION]... [FILE]...\n"
	"Rank topics, journey steps and paths, and attributes by their impact on an\n"
	"outcome: the difference with and without, times prevalence, with a test.\n"
	"\n"
	"  -o, --outcome WHAT     nps, csat, ces (events or any record) or churn\n"
	"      --value PATH       where the outcome is (default cx.nps, cx.csat, cx.ces, churn)\n"
	"      --label PATH       the same as --value (for churn)\n"
	"      --positive VALUE   churn: the value that means churned\n"
	"  -b, --by PATHS         attributes to rank, comma-separated (attrs.region,channel)\n"
	"      --topics FILE      topic patterns for records with text but no \"topics\"\n"
	"      --no-topics        no topic factors from text\n"
	"  -t, --text PATH        the text field (default text)\n"
	"      --no-steps         no journey step and path factors\n"
	"      --ces-scale S      ease (default) or effort: which way CES is worse\n"
	"      --min-n N          a factor needs N records with and N without (default 10)\n"
	"      --max-q Q          only factors with a BH-adjusted p-value (q) <= Q\n"
	"      --top N            at most N rows\n"
	"      --digits N         decimals of means and impacts (default 2)\n"
	"  -f, --format FMT       ndjson (default) or tsv\n"
	"      --rejects FILE     write rejected records there (xo-rejects(5))\n"
	"      --hash-ids         pseudonymize identifiers (ids.*) as read;\n"
	"                         key: --hash-key-file, XO_HASH_KEY[_FILE]\n"
	"      --hash-key-file FILE\n"
	"                         the pseudonym key (mode 0600)\n"
	"      --shard I/N        only the customers of shard I of N (xo(7))\n"
	"  -q, --quiet            no warnings or summary\n"
	"  -h, --help             this help\n"
	"  -V, --version          version\n";

/* What every subcommand shares: the command line, the records read and
 * the reject stream. */
struct run {
	struct xo_cli cli;
	const char *rejects_path;
	struct xo_rejects *rejects;
	int hash_ids;
	const char *hash_key_file;
	struct xo_pseudo *pseudo;  /* --hash-ids: records pseudonymized as read */
	struct xo_records records;
	struct xo_shard shard;
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
	OPT_POSITIVE,
	OPT_HOLDOUT,
	OPT_SEED,
	OPT_ID,
	OPT_SPLIT_FIELD,
	OPT_TOL,
	OPT_CLASS_WEIGHT,
	OPT_MIN_COUNT,
	OPT_THRESHOLD,
	OPT_BINS,
	OPT_TOP,
	OPT_VALUE,
	OPT_LABEL,
	OPT_NO_STEPS,
	OPT_MAX_Q,
	OPT_SHARD,
	OPT_HASH_IDS,
	OPT_HASH_KEY_FILE,
};

#define RUN_LONGOPTS XO_CLI_LONGOPTS, { "rejects", required_argument, NULL, OPT_REJECTS }, \
	{ "shard", required_argument, NULL, OPT_SHARD }, \
	{ "hash-ids", no_argument, NULL, OPT_HASH_IDS }, \
	{ "hash-key-file", required_argument, NULL, OPT_HASH_KEY_FILE }

static int run_common(struct run *run, int opt)
{
	if (opt == OPT_REJECTS) {
		run->rejects_path = optarg;
		return 1;
	}
	if (opt == OPT_HASH_IDS || opt == OPT_HASH_KEY_FILE) {
		if (opt == OPT_HASH_IDS)
			run->hash_ids = 1;
		else
			run->hash_key_file = optarg;
		return 1;
	}
	if (opt == OPT_SHARD) {
		if (xo_shard_parse(optarg, &run->shard) != 0)
			xo_cli_usage_error(&run->cli, "--shard: expected I/N with 0 <= I < N <= %d, not '%s'",
					   XO_SHARD_MAX, optarg);
		return 1;
	}
	return xo_cli_common(&run->cli, opt);
}

static void run_start(struct run *run, int argc, char **argv)
{
	run->pseudo = xo_pseudo_for_cli(&run->cli, run->hash_ids, run->hash_key_file);
	xo_cli_ready(&run->cli);
	run->rejects = xo_rejects_open(run->rejects_path);
	xo_records_open(&run->records, argv + optind, argc - optind, run->rejects);
	run->records.shard = run->shard;
}

static json_t *run_next(struct run *run)
{
	xo_buf_reset(&run->why);
	json_t *rec = xo_records_next(&run->records);
	xo_pseudo_record(run->pseudo, rec);
	return rec;
}

/* Send the record last read to the reject stream with run->why. */
static void run_reject(struct run *run)
{
	xo_records_reject(&run->records, run->rejects, xo_buf_str(&run->why));
}

/* Close everything; the exit status. */
static int run_finish(struct run *run)
{
	uint64_t rejected = xo_rejects_count(run->rejects);
	xo_records_close(&run->records);
	xo_rejects_close(run->rejects);
	xo_pseudo_free(run->pseudo);
	xo_buf_free(&run->why);
	xo_out_finish();
	return rejected ? XO_EXIT_REJECTS : XO_EXIT_OK;
}

static double parse_real(const struct xo_cli *cli, const char *opt, const char *arg,
			 double min, double max)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end); /* the C locale: xo never calls setlocale() */
	if (errno || end == arg || *end || !(v >= min && v <= max))
		xo_cli_usage_error(cli, "%s: expected a number from %g to %g, not '%s'",
				   opt, min, max, arg);
	return v;
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
	if (report.repeats)
		xo_warn("%llu responses seen before (same id, ts and source) counted once",
			(unsigned long long)report.repeats);
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
	uint64_t limited = 0; /* texts whose topics a match limit left incomplete */
	while ((rec = run_next(&run))) {
		xo_buf_reset(&warn);
		if (xo_textscore_annotate(&ts, rec, &run.why, &warn) < 0)
			run_reject(&run);
		else
			xo_out_json(rec);
		if (warn.len && limited++ < XO_REJECTS_SHOWN)
			xo_warn_at(xo_records_file(&run.records), xo_records_line(&run.records),
				   "%s", warn.data);
		json_decref(rec);
	}
	xo_warn("%llu records, %llu texts: %llu positive, %llu neutral, %llu negative",
		(unsigned long long)run.records.read, (unsigned long long)ts.texts,
		(unsigned long long)ts.per_label[2], (unsigned long long)ts.per_label[1],
		(unsigned long long)ts.per_label[0]);
	if (limited)
		xo_error("%llu texts whose topics may be incomplete: a topic pattern hit the match limit",
			 (unsigned long long)limited);
	xo_buf_free(&warn);
	xo_textscore_free(&ts);
	int rc = run_finish(&run);
	return rc == XO_EXIT_OK && limited ? XO_EXIT_REJECTS : rc;
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

static void print_report(const struct xo_train_opts *o, const struct xo_model *m,
			 const struct xo_holdout_report *r)
{
	xo_out_printf("label %s (1: %s); %zu features, %zu columns\n", o->label,
		      o->positive ? o->positive : "true, 1, yes", m->fs.n, m->fs.n_cols);
	xo_out_printf("records %llu: train %llu (%.1f%% positive), holdout %llu (%.1f%% positive)\n",
		      (unsigned long long)r->records, (unsigned long long)r->train,
		      r->train ? 100.0 * (double)r->train_positives / (double)r->train : 0.0,
		      (unsigned long long)r->holdout,
		      r->holdout ? 100.0 * (double)r->holdout_positives / (double)r->holdout : 0.0);
	if (!r->holdout) {
		xo_out_printf("no holdout part: nothing to evaluate on\n");
	} else {
		if (isnan(r->auc))
			xo_out_printf("holdout: one class only, no AUC\n");
		xo_out_printf("holdout: AUC %.4f  log-loss %.4f  accuracy %.4f  Brier %.4f\n",
			      r->auc, r->log_loss, r->accuracy, r->brier);
		xo_out_printf("calibration:\n  %-11s %9s %8s %9s\n", "predicted", "n", "mean p", "observed");
		for (int b = 0; b < r->n_bins; b++) {
			const struct xo_calibration_bin *bin = &r->bins[b];
			if (!bin->n)
				continue;
			xo_out_printf("  %.2f-%.2f %9llu %8.4f %9.4f\n", bin->from, bin->to,
				      (unsigned long long)bin->n, bin->mean_p, bin->observed);
		}
	}
	/* The ten strongest columns, by absolute weight. */
	size_t n = m->fs.n_cols, shown[10];
	int k = 0;
	xo_out_printf("strongest columns (log-odds per sd for numbers, per 0/1 otherwise):\n");
	for (; k < 10 && (size_t)k < n; k++) {
		size_t best = SIZE_MAX;
		for (size_t c = 0; c < n; c++) {
			int taken = 0;
			for (int j = 0; j < k; j++)
				taken |= shown[j] == c;
			if (!taken && (best == SIZE_MAX || fabs(m->fs.cols[c].weight) > fabs(m->fs.cols[best].weight)))
				best = c;
		}
		shown[k] = best;
		xo_out_printf("  %+8.4f  %s\n", m->fs.cols[best].weight, m->fs.cols[best].name);
	}
	xo_out_printf("  %+8.4f  (intercept)\n", m->intercept);
}

static json_t *trained_json(const struct xo_train_opts *o, const struct xo_holdout_report *r)
{
	json_t *t = json_object();
	char when[XO_TIME_BUFSIZE];
	xo_time_format(xo_time_now(), when);
	json_object_set_new(t, "at", json_string(when));
	json_object_set_new(t, "solver", json_string("liblinear L2R_LR"));
	json_object_set_new(t, "C", json_real(o->C));
	json_object_set_new(t, "tol", json_real(o->tol));
	json_object_set_new(t, "class_weight",
			    o->class_weight == XO_CW_BALANCED ? json_string("balanced") :
			    o->class_weight == XO_CW_POSITIVE ? json_real(o->positive_weight) :
			    json_string("none"));
	json_object_set_new(t, "min_count", json_integer((json_int_t)o->min_count));
	json_object_set_new(t, "split", o->split_field ? json_string(o->split_field) : json_string("hash"));
	json_object_set_new(t, "holdout_fraction", json_real(o->holdout));
	json_object_set_new(t, "seed", json_integer((json_int_t)o->seed));
	json_object_set_new(t, "records", json_integer((json_int_t)r->records));
	json_object_set_new(t, "train", json_integer((json_int_t)r->train));
	json_object_set_new(t, "positives", json_integer((json_int_t)r->train_positives));
	return t;
}

static int cmd_train(int argc, char **argv)
{
	static const struct option longopts[] = {
		RUN_LONGOPTS,
		{ "label", required_argument, NULL, 'y' },
		{ "features", required_argument, NULL, 'x' },
		{ "model", required_argument, NULL, 'm' },
		{ "positive", required_argument, NULL, OPT_POSITIVE },
		{ "holdout", required_argument, NULL, OPT_HOLDOUT },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "id", required_argument, NULL, OPT_ID },
		{ "split-field", required_argument, NULL, OPT_SPLIT_FIELD },
		{ "cost", required_argument, NULL, 'C' },
		{ "tol", required_argument, NULL, OPT_TOL },
		{ "class-weight", required_argument, NULL, OPT_CLASS_WEIGHT },
		{ "min-count", required_argument, NULL, OPT_MIN_COUNT },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "bins", required_argument, NULL, OPT_BINS },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct run run = { 0 };
	struct xo_train_opts o;
	xo_train_opts_default(&o);
	const char *model_path = NULL;
	int json_report = 0;
	xo_cli_init(&run.cli, "xo-score", usage_train);
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS "y:x:m:C:f:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'y': o.label = optarg; break;
		case 'x': o.features = optarg; break;
		case 'm': model_path = optarg; break;
		case OPT_POSITIVE: o.positive = optarg; break;
		case OPT_HOLDOUT: o.holdout = parse_real(&run.cli, "--holdout", optarg, 0, 0.99); break;
		case OPT_SEED: o.seed = (uint64_t)xo_cli_number(&run.cli, "--seed", optarg, 0, INT64_MAX); break;
		case OPT_ID: o.id_field = optarg; break;
		case OPT_SPLIT_FIELD: o.split_field = optarg; break;
		case 'C': o.C = parse_real(&run.cli, "--cost", optarg, 1e-12, 1e12); break;
		case OPT_TOL: o.tol = parse_real(&run.cli, "--tol", optarg, 1e-12, 1); break;
		case OPT_CLASS_WEIGHT:
			if (strcmp(optarg, "none") == 0) {
				o.class_weight = XO_CW_NONE;
			} else if (strcmp(optarg, "balanced") == 0) {
				o.class_weight = XO_CW_BALANCED;
			} else {
				o.class_weight = XO_CW_POSITIVE;
				o.positive_weight = parse_real(&run.cli, "--class-weight", optarg, 1e-6, 1e6);
			}
			break;
		case OPT_MIN_COUNT: o.min_count = (uint64_t)xo_cli_number(&run.cli, "--min-count", optarg, 1, INT64_MAX); break;
		case OPT_THRESHOLD: o.threshold = parse_real(&run.cli, "--threshold", optarg, 0, 1); break;
		case OPT_BINS: o.bins = (int)xo_cli_number(&run.cli, "--bins", optarg, 1, 1000); break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json_report = 1;
			else if (strcmp(optarg, "text") != 0)
				xo_cli_usage_error(&run.cli, "--format: expected text or json, not '%s'", optarg);
			break;
		default:
			if (!run_common(&run, opt))
				xo_cli_usage_error(&run.cli, "unexpected option");
		}
	}
	if (!o.label || !o.features || !model_path)
		xo_cli_usage_error(&run.cli, "train needs --label, --features and --model");
	struct xo_trainer *t = xo_trainer_new(&o, &run.why);
	if (!t)
		xo_cli_usage_error(&run.cli, "%s", xo_buf_str(&run.why));
	run_start(&run, argc, argv);
	json_t *rec;
	while ((rec = run_next(&run))) {
		if (xo_trainer_add(t, rec, &run.why) != 0)
			run_reject(&run);
		json_decref(rec);
	}
	struct xo_holdout_report rep;
	xo_buf_reset(&run.why);
	struct xo_model *m = xo_trainer_fit(t, &rep, &run.why);
	xo_trainer_free(t);
	if (!m)
		xo_die(XO_EXIT_INPUT, "cannot fit: %s", xo_buf_str(&run.why));
	m->info = json_object();
	json_object_set_new(m->info, "trained", trained_json(&o, &rep));
	json_object_set_new(m->info, "holdout", xo_holdout_json(&rep));
	json_t *doc = xo_model_json(m);
	struct xo_afile *f = xo_afile_open_or_die(model_path, 0644);
	if (json_dumpf(doc, f->fp, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0 ||
	    fputc('\n', f->fp) == EOF)
		xo_die(XO_EXIT_OUTPUT, "%s: write failed: %s", model_path, strerror(errno));
	xo_afile_commit_or_die(f);
	if (json_report) {
		json_t *r = json_object();
		json_object_set(r, "trained", json_object_get(m->info, "trained"));
		json_object_set(r, "holdout", json_object_get(m->info, "holdout"));
		json_object_set_new(r, "fit_seconds", json_real(rep.seconds_fit));
		xo_out_json(r);
		json_decref(r);
	} else {
		print_report(&o, m, &rep);
	}
	xo_warn("wrote %s (%zu columns, fit in %.2fs)", model_path, m->fs.n_cols, rep.seconds_fit);
	json_decref(doc);
	xo_holdout_free(&rep);
	xo_model_free(m);
	return run_finish(&run);
}

static int cmd_apply(int argc, char **argv)
{
	static const struct option longopts[] = {
		RUN_LONGOPTS,
		{ "model", required_argument, NULL, 'm' },
		{ "field", required_argument, NULL, OPT_FIELD },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "digits", required_argument, NULL, OPT_DIGITS },
		{ NULL, 0, NULL, 0 },
	};
	struct run run = { 0 };
	const char *model_path = NULL, *field = "prediction";
	int n_top = 3, digits = 4;
	xo_cli_init(&run.cli, "xo-score", usage_apply);
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': model_path = optarg; break;
		case OPT_FIELD: field = optarg; break;
		case OPT_TOP: n_top = (int)xo_cli_number(&run.cli, "--top", optarg, 0, 100); break;
		case OPT_DIGITS: digits = (int)xo_cli_number(&run.cli, "--digits", optarg, 0, 10); break;
		default:
			if (!run_common(&run, opt))
				xo_cli_usage_error(&run.cli, "unexpected option");
		}
	}
	if (!model_path)
		xo_cli_usage_error(&run.cli, "apply needs --model FILE");
	struct xo_model *m = xo_model_load(model_path, &run.why);
	if (!m)
		xo_die(XO_EXIT_USAGE, "%s", xo_buf_str(&run.why));
	xo_buf_reset(&run.why);
	run_start(&run, argc, argv);
	struct xo_encoded enc = { 0 };
	struct xo_buf scratch = XO_BUF_INIT;
	struct xo_contribution *top = xo_calloc((size_t)n_top + 1, sizeof *top);
	json_t *rec;
	uint64_t scored = 0;
	while ((rec = run_next(&run))) {
		double p;
		int got = 0;
		if (xo_model_predict(m, rec, &enc, &scratch, &p, n_top ? top : NULL, n_top, &got,
				     &run.why) != 0) {
			run_reject(&run);
			json_decref(rec);
			continue;
		}
		json_t *pred = json_object();
		json_object_set_new(pred, "p", json_real(xo_round(p, digits)));
		json_object_set_new(pred, "label", json_string(m->label));
		if (n_top) {
			json_t *list = json_array();
			for (int i = 0; i < got; i++) {
				const struct xo_feature *f = &m->fs.f[top[i].feature];
				json_t *item = json_object();
				json_object_set_new(item, "feature", json_string(f->text));
				json_t *v = f->each ? NULL : xo_path_get(f->path, rec);
				json_object_set(item, "value", v ? v : json_null());
				json_object_set_new(item, "c", json_real(xo_round(top[i].c, digits)));
				json_array_append_new(list, item);
			}
			json_object_set_new(pred, "top", list);
		}
		json_object_set_new(rec, field, pred);
		xo_out_json(rec);
		json_decref(rec);
		scored++;
	}
	xo_warn("%llu records, %llu scored", (unsigned long long)run.records.read,
		(unsigned long long)scored);
	free(top);
	xo_buf_free(&scratch);
	xo_encoded_free(&enc);
	xo_model_free(m);
	return run_finish(&run);
}

static int cmd_drivers(int argc, char **argv)
{
	static const struct option longopts[] = {
		RUN_LONGOPTS,
		{ "outcome", required_argument, NULL, 'o' },
		{ "value", required_argument, NULL, OPT_VALUE },
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "positive", required_argument, NULL, OPT_POSITIVE },
		{ "by", required_argument, NULL, 'b' },
		{ "topics", required_argument, NULL, OPT_TOPICS },
		{ "no-topics", no_argument, NULL, OPT_NO_TOPICS },
		{ "text", required_argument, NULL, 't' },
		{ "no-steps", no_argument, NULL, OPT_NO_STEPS },
		{ "ces-scale", required_argument, NULL, OPT_CES_SCALE },
		{ "min-n", required_argument, NULL, OPT_MIN_N },
		{ "max-q", required_argument, NULL, OPT_MAX_Q },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "digits", required_argument, NULL, OPT_DIGITS },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct run run = { 0 };
	struct xo_drivers_opts o;
	xo_drivers_opts_default(&o);
	const char *outcome = NULL, *topics_path = NULL;
	int no_topics = 0;
	enum xo_report_format fmt = XO_FORMAT_NDJSON;
	xo_cli_init(&run.cli, "xo-score", usage_drivers);
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS "o:b:t:f:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': outcome = optarg; break;
		case OPT_VALUE: case OPT_LABEL: o.value = optarg; break;
		case OPT_POSITIVE: o.positive = optarg; break;
		case 'b': o.by = optarg; break;
		case OPT_TOPICS: topics_path = optarg; break;
		case OPT_NO_TOPICS: no_topics = 1; break;
		case 't': o.text = optarg; break;
		case OPT_NO_STEPS: o.steps = 0; break;
		case OPT_CES_SCALE: o.scale = parse_scale(&run.cli, optarg); break;
		case OPT_MIN_N: o.min_n = (uint64_t)xo_cli_number(&run.cli, "--min-n", optarg, 1, INT64_MAX); break;
		case OPT_MAX_Q: o.max_q = parse_real(&run.cli, "--max-q", optarg, 0, 1); break;
		case OPT_TOP: o.top = (uint64_t)xo_cli_number(&run.cli, "--top", optarg, 1, INT64_MAX); break;
		case OPT_DIGITS: o.digits = (int)xo_cli_number(&run.cli, "--digits", optarg, 0, 10); break;
		case 'f': fmt = parse_format(&run.cli, optarg); break;
		default:
			if (!run_common(&run, opt))
				xo_cli_usage_error(&run.cli, "unexpected option");
		}
	}
	if (!outcome)
		xo_cli_usage_error(&run.cli, "drivers needs --outcome nps, csat, ces or churn");
	if (xo_outcome_parse(outcome, &o.outcome) != 0)
		xo_cli_usage_error(&run.cli, "--outcome: expected nps, csat, ces or churn, not '%s'", outcome);
	struct xo_topics *topics = NULL;
	if (!no_topics && !(topics = xo_topics_open(topics_path, &run.why)))
		xo_die(XO_EXIT_USAGE, "%s", xo_buf_str(&run.why));
	o.topics = topics;
	struct xo_drivers *d = xo_drivers_new(&o, &run.why);
	if (!d)
		xo_cli_usage_error(&run.cli, "%s", xo_buf_str(&run.why));
	run_start(&run, argc, argv);
	struct xo_buf warn = XO_BUF_INIT;
	json_t *rec;
	while ((rec = run_next(&run))) {
		xo_buf_reset(&warn);
		if (xo_drivers_add(d, rec, &run.why, &warn) < 0)
			run_reject(&run);
		if (warn.len)
			xo_warn_at(xo_records_file(&run.records), xo_records_line(&run.records),
				   "%s", warn.data);
		json_decref(rec);
	}
	double overall;
	uint64_t n;
	uint64_t rows = xo_drivers_write(d, fmt, &overall, &n);
	xo_warn("%llu records, %llu with a %s outcome (overall %.2f), %llu factors ranked",
		(unsigned long long)run.records.read, (unsigned long long)n, outcome, overall,
		(unsigned long long)rows);
	xo_buf_free(&warn);
	xo_drivers_free(d);
	xo_topics_free(topics);
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
	{ "train", cmd_train },
	{ "apply", cmd_apply },
	{ "drivers", cmd_drivers },
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
