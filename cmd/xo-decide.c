/* xo-decide: the next best action for every customer, explained.
 * Options and wiring only; the work is in lib/ (expr, rules, policy,
 * decide, decidestate, join, review). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "decide.h"
#include "decidestream.h"
#include "decidestate.h"
#include "diag.h"
#include "expr.h"
#include "join.h"
#include "mem.h"
#include "out.h"
#include "records.h"
#include "rejects.h"
#include "review.h"
#include "rules.h"
#include "xtime.h"

static const char usage[] =
	"Usage: xo-decide --rules FILE [OPTION]... [FILE]...\n"
	"       xo-decide --check FILE\n"
	"       xo-decide --eval EXPR [FILE]...\n"
	"       xo-decide -i --rules FILE [--profiles FILE] [--context FILE] [FILE]...\n"
	"       xo-decide review --state DB [--reviewer NAME] [--list [STATUS] | --export [--all]]\n"
	"       xo-decide prune --state DB [--rules FILE] [--keep DURATION]\n"
	"                       [--keep-reviews DURATION] [--dry-run] [--wait MS]\n"
	"Decide the next best action for each record (journey, score or event\n"
	"records, NDJSON) by the rules FILE (xo-rules(5)) and the contact policy,\n"
	"and write one NDJSON line per record with the decisions and their trace.\n"
	"\n"
	"  -r, --rules FILE     the rules file\n"
	"  -s, --state DB       the state: contact history and review queue (SQLite);\n"
	"                       without it, history lasts for this run only\n"
	"  -k, --top K          decisions per record (default: the rules' 'top', or 1)\n"
	"  -n, --dry-run        decide, but record nothing in the state\n"
	"      --as-of TIME     decide as at TIME (RFC 3339) against the history up to\n"
	"                       then; records nothing\n"
	"  -x, --explain        the decisions and their trace as text for people\n"
	"      --no-trace       leave the trace out of the NDJSON\n"
	"  -c, --context FILE   stored records by xid: each input record is then a live\n"
	"                       event joined with its customer's stored record\n"
	"  -p, --profiles FILE  golden profiles by xid, seen by rules under \"profile\"\n"
	"      --rejects FILE   write unusable records there (xo-rejects(5))\n"
	"      --batch N        records per state transaction (default 1000; 1 with\n"
	"                       --unbuffered)\n"
	"      --sync MODE      full (default): each transaction reaches the disk before\n"
	"                       its decisions are written; normal: no wait for the disk\n"
	"                       (a power failure may undo the last transactions)\n"
	"      --wait MS        wait up to MS for another run's lock (default 10000)\n"
	"      --shard I/N      only the customers of shard I of N (xo(7))\n"
	"      --check FILE     only check the rules file; exit 0 when it is valid\n"
	"      --eval EXPR      print the value of the expression for each record\n"
	"  -i, --interactive    the what-if shell\n"
	"      --unbuffered     write each decision as soon as its record is read\n"
	"  -q, --quiet          no warnings or summary\n"
	"  -h, --help           this help\n"
	"  -V, --version        the version\n"
	"\n"
	"review: the review queue (an interactive shell on a terminal, or commands\n"
	"on standard input); --list [STATUS] prints it, --export writes the approved\n"
	"decisions not yet exported (--all: every approved one).\n"
	"\n"
	"prune: delete the contacts older than the rules' policy looks back (and\n"
	"than --keep DURATION, e.g. 90d), which no later decision can count; with\n"
	"--keep-reviews DURATION, the reviews settled longer ago than that (rejected,\n"
	"or approved and exported).\n"
	"\n"
	"Exit status: 0 ok, 1 some records rejected, 2 usage or rules file error,\n"
	"3 input unreadable, 4 output error, 5 state locked, corrupt or newer,\n"
	"6 internal error. See xo-decide(1), xo-rules(5), xo-expr(7).\n";

enum {
	OPT_AS_OF = XO_OPT_FIRST_TOOL, OPT_NO_TRACE, OPT_REJECTS, OPT_BATCH, OPT_WAIT,
	OPT_CHECK, OPT_EVAL, OPT_SYNC, OPT_REVIEWER, OPT_LIST, OPT_EXPORT, OPT_ALL, OPT_SHARD,
	OPT_KEEP, OPT_KEEP_REVIEWS,
};

static const struct option longopts[] = {
	XO_CLI_LONGOPTS,
	{ "rules", required_argument, NULL, 'r' },
	{ "state", required_argument, NULL, 's' },
	{ "top", required_argument, NULL, 'k' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "explain", no_argument, NULL, 'x' },
	{ "no-trace", no_argument, NULL, OPT_NO_TRACE },
	{ "context", required_argument, NULL, 'c' },
	{ "profiles", required_argument, NULL, 'p' },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "sync", required_argument, NULL, OPT_SYNC },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "eval", required_argument, NULL, OPT_EVAL },
	{ "interactive", no_argument, NULL, 'i' },
	{ "reviewer", required_argument, NULL, OPT_REVIEWER },
	{ "list", optional_argument, NULL, OPT_LIST },
	{ "export", no_argument, NULL, OPT_EXPORT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "keep-reviews", required_argument, NULL, OPT_KEEP_REVIEWS },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	const char *rules, *state, *as_of_text, *context, *profiles, *rejects;
	const char *check, *eval, *reviewer, *list, *list_arg;
	int top, dry_run, explain, no_trace, interactive, review, prune, list_given, export_, all;
	int sync_normal;
	long batch, wait_ms;
	xo_time_t as_of;
	xo_time_t keep;               /* --keep; 0: not given */
	xo_time_t keep_reviews;       /* --keep-reviews; 0: not given */
	struct xo_shard shard;
};

static struct xo_cli cli;

static struct xo_rules *load_rules_or_die(const char *path)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_rules *r = xo_rules_load(path, &err);
	if (!r) {
		xo_error("%s", xo_buf_str(&err));
		xo_exit(XO_EXIT_USAGE);
	}
	xo_buf_free(&err);
	return r;
}

/* --eval: the value of one expression per record, as JSON. */
static int run_eval(const char *text, const struct opts *o, char **files, int n_files,
		    struct xo_rejects *rejects)
{
	struct xo_expr_env *env = xo_expr_env_new();
	struct xo_buf err = XO_BUF_INIT, line = XO_BUF_INIT;
	struct xo_expr *e = xo_expr_parse(env, text, &err);
	if (!e)
		xo_die(XO_EXIT_USAGE, "--eval: %s", xo_buf_str(&err));
	struct xo_expr_ctx *c = xo_expr_ctx_new(env);
	struct xo_records r;
	xo_records_open(&r, files, n_files, rejects);
	r.shard = o->shard;
	json_t *rec;
	uint64_t errors = 0;
	while ((rec = xo_records_next(&r)) != NULL) {
		xo_expr_ctx_reset(c, rec, xo_time_now());
		struct xo_val v = xo_expr_eval(e, c);
		xo_buf_reset(&line);
		if (v.type == XO_VAL_ERROR) {
			xo_warn_at(xo_records_file(&r), xo_records_line(&r), "%s", xo_expr_ctx_error(c));
			errors++;
		}
		xo_val_to_json(&line, &v);
		xo_buf_addc(&line, '\n');
		xo_out_write(line.data, line.len);
		xo_out_record_end();
		json_decref(rec);
	}
	int bad = r.bad > 0 || errors > 0;
	xo_records_close(&r);
	xo_expr_ctx_free(c);
	xo_expr_free(e);
	xo_expr_env_free(env);
	xo_buf_free(&err);
	xo_buf_free(&line);
	return bad ? XO_EXIT_REJECTS : XO_EXIT_OK;
}

static int run_decide(const struct opts *o, char **files, int n_files, struct xo_rejects *rejects)
{
	struct xo_rules *rules = load_rules_or_die(o->rules);
	struct xo_join join = { NULL, NULL };
	if (o->context)
		xo_join_load(&join.context, o->context, rejects, &o->shard);
	if (o->profiles)
		xo_join_load(&join.profiles, o->profiles, rejects, &o->shard);
	int looking = o->dry_run || o->as_of_text;
	enum xo_dstate_mode mode = !o->state ? XO_DSTATE_MEMORY
				   : looking ? XO_DSTATE_READ : XO_DSTATE_WRITE;
	struct xo_dstate *state = xo_dstate_open(o->state, mode, (int)o->wait_ms);
	if (o->sync_normal)
		xo_dstate_fast_commits(state);
	struct xo_decide_opts dopts = { o->top, !looking, !o->no_trace, o->explain,
					o->as_of_text != NULL };
	struct xo_decider *d = xo_decider_new(rules, state, &dopts);
	struct xo_records r;
	xo_records_open(&r, files, n_files, rejects);
	r.shard = o->shard;
	uint64_t rejected = xo_decide_stream(d, state, &r, &join, rejects,
					     cli.unbuffered ? 1 : o->batch,
					     o->as_of_text ? &o->as_of : NULL);
	const struct xo_decide_stats *st = xo_decider_stats(d);
	uint64_t bad = xo_rejects_count(rejects);
	if (!cli.quiet)
		fprintf(stderr, "xo-decide: %llu records, %llu decisions (%llu for review), "
			"%llu without a decision, %llu rejected\n",
			(unsigned long long)st->records, (unsigned long long)st->decisions,
			(unsigned long long)st->queued, (unsigned long long)st->without,
			(unsigned long long)(r.bad + rejected));
	if (!o->state && !looking && st->queued)
		xo_warn("without --state the review queue ends with the run (%llu queued here):"
			" give -s DB to review them", (unsigned long long)st->queued);
	xo_records_close(&r);
	xo_decider_free(d);
	xo_dstate_close(state);
	xo_join_free(&join);
	xo_rules_free(rules);
	return bad ? XO_EXIT_REJECTS : XO_EXIT_OK;
}

static int run_review(const struct opts *o)
{
	if (!o->state)
		xo_cli_usage_error(&cli, "review needs --state DB");
	struct xo_rules *rules = o->rules ? load_rules_or_die(o->rules) : NULL;
	int readonly = o->list_given || (o->export_ && o->dry_run);
	struct xo_dstate *state = xo_dstate_open(o->state, readonly ? XO_DSTATE_READ : XO_DSTATE_WRITE,
						 (int)o->wait_ms);
	int rc;
	if (o->list_given)
		rc = xo_review_list(state, o->list);
	else if (o->export_)
		rc = xo_review_export(state, o->all, !o->dry_run);
	else
		rc = xo_review_shell(state, rules, o->reviewer);
	xo_dstate_close(state);
	xo_rules_free(rules);
	return rc;
}

/* "xo-decide: pruned N WHAT before T" on standard error, unless -q. */
static void say_pruned(const struct opts *o, uint64_t n, const char *what, xo_time_t before)
{
	if (cli.quiet)
		return;
	char at[XO_TIME_BUFSIZE];
	xo_time_format(before, at);
	fprintf(stderr, "xo-decide: %s %llu %s before %s\n", o->dry_run ? "would prune" : "pruned",
		(unsigned long long)n, what, at);
}

/* prune: what no decision from now on can count (the policy looks back
 * rules->policy.horizon), or older than --keep when that is longer;
 * and the reviews settled longer ago than --keep-reviews. */
static int run_prune(const struct opts *o)
{
	if (!o->state)
		xo_cli_usage_error(&cli, "prune needs --state DB");
	if (!o->rules && !o->keep && !o->keep_reviews)
		xo_cli_usage_error(&cli, "prune needs --rules FILE, --keep DURATION or --keep-reviews DURATION");
	xo_time_t keep = o->keep;
	if (o->rules) {
		struct xo_rules *rules = load_rules_or_die(o->rules);
		if (rules->policy.horizon > keep)
			keep = rules->policy.horizon;
		xo_rules_free(rules);
	}
	xo_time_t now = xo_time_now();
	/* Pruning a state that is not there would make an empty one. */
	if (access(o->state, F_OK) != 0)
		xo_die(XO_EXIT_INPUT, "%s: %s", o->state, strerror(errno));
	struct xo_dstate *state = xo_dstate_open(o->state, o->dry_run ? XO_DSTATE_READ : XO_DSTATE_WRITE,
						 (int)o->wait_ms);
	if (o->rules || o->keep)
		say_pruned(o, xo_dstate_prune(state, now - keep), "contacts from", now - keep);
	if (o->keep_reviews)
		say_pruned(o, xo_dstate_prune_reviews(state, now - o->keep_reviews),
			   "reviews settled", now - o->keep_reviews);
	xo_dstate_close(state);
	return XO_EXIT_OK;
}

static int run_whatif(const struct opts *o, char **files, int n_files, struct xo_rejects *rejects)
{
	struct xo_join join = { NULL, NULL };
	if (o->context)
		xo_join_load(&join.context, o->context, rejects, &o->shard);
	for (int i = 0; i < n_files; i++)
		xo_join_load(&join.context, files[i], rejects, &o->shard);
	if (o->profiles)
		xo_join_load(&join.profiles, o->profiles, rejects, &o->shard);
	struct xo_dstate *state = xo_dstate_open(o->state, o->state ? XO_DSTATE_READ : XO_DSTATE_MEMORY,
						 (int)o->wait_ms);
	int rc = xo_whatif_shell(o->rules, &join, state, o->top, o->as_of_text ? o->as_of : 0);
	xo_dstate_close(state);
	xo_join_free(&join);
	return rc;
}

static void parse_keep(const char *name, const char *text, xo_time_t *out)
{
	if (xo_duration_parse(text, out) != 0 || *out <= 0)
		xo_cli_usage_error(&cli, "%s: not a duration such as 90d: '%s'", name, text);
}

static void parse_options(struct opts *o, int argc, char **argv)
{
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS "r:s:k:nxc:p:i", longopts, NULL)) != -1) {
		if (xo_cli_common(&cli, opt))
			continue;
		switch (opt) {
		case 'r': o->rules = optarg; break;
		case 's': o->state = optarg; break;
		case 'k': o->top = (int)xo_cli_number(&cli, "--top", optarg, 1, 1000); break;
		case 'n': o->dry_run = 1; break;
		case OPT_AS_OF: o->as_of_text = optarg; break;
		case 'x': o->explain = 1; break;
		case OPT_NO_TRACE: o->no_trace = 1; break;
		case 'c': o->context = optarg; break;
		case 'p': o->profiles = optarg; break;
		case OPT_REJECTS: o->rejects = optarg; break;
		case OPT_BATCH: o->batch = (long)xo_cli_number(&cli, "--batch", optarg, 1, 1000000); break;
		case OPT_WAIT: o->wait_ms = (long)xo_cli_number(&cli, "--wait", optarg, 0, 86400000); break;
		case OPT_CHECK: o->check = optarg; break;
		case OPT_SYNC:
			if (strcmp(optarg, "full") != 0 && strcmp(optarg, "normal") != 0)
				xo_cli_usage_error(&cli, "--sync: expected full or normal, not '%s'", optarg);
			o->sync_normal = optarg[0] == 'n';
			break;
		case OPT_EVAL: o->eval = optarg; break;
		case OPT_SHARD:
			if (xo_shard_parse(optarg, &o->shard) != 0)
				xo_cli_usage_error(&cli, "--shard: expected I/N with 0 <= I < N <= %d, not '%s'",
						   XO_SHARD_MAX, optarg);
			break;
		case 'i': o->interactive = 1; break;
		case OPT_REVIEWER: o->reviewer = optarg; break;
		case OPT_LIST: o->list_given = 1; o->list = o->list_arg = optarg; break;
		case OPT_EXPORT: o->export_ = 1; break;
		case OPT_ALL: o->all = 1; break;
		case OPT_KEEP: parse_keep("--keep", optarg, &o->keep); break;
		case OPT_KEEP_REVIEWS: parse_keep("--keep-reviews", optarg, &o->keep_reviews); break;
		default: xo_cli_usage_error(&cli, "unexpected option");
		}
	}
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	o.batch = 1000;
	o.wait_ms = 10000;
	xo_cli_init(&cli, "xo-decide", usage);
	int first = 1;
	if (argc > 1 && strcmp(argv[1], "review") == 0) {
		o.review = 1;
		first = 2;
	} else if (argc > 1 && strcmp(argv[1], "prune") == 0) {
		o.prune = 1;
		first = 2;
	}
	argv[first - 1] = argv[0];
	argc -= first - 1;
	argv += first - 1;
	parse_options(&o, argc, argv);
	if (o.as_of_text && xo_time_parse_rfc3339(o.as_of_text, strlen(o.as_of_text), &o.as_of) != 0)
		xo_cli_usage_error(&cli, "--as-of: not an RFC 3339 time: '%s'", o.as_of_text);
	if (o.list_given && o.list && strcmp(o.list, "all") == 0)
		o.list = NULL;
	else if (o.list_given && !o.list)
		o.list = "pending";
	if ((o.list_given || o.export_ || o.reviewer || o.all) && !o.review)
		xo_cli_usage_error(&cli, "--list, --export, --all and --reviewer belong to 'xo-decide review'");
	if ((o.keep || o.keep_reviews) && !o.prune)
		xo_cli_usage_error(&cli, "--keep and --keep-reviews belong to 'xo-decide prune'");
	if (o.prune && (o.as_of_text || o.check || o.eval || o.interactive))
		xo_cli_usage_error(&cli, "prune takes --state, --rules, --keep, --keep-reviews,"
				   " --dry-run and --wait");
	xo_cli_ready(&cli);
	char **files = argv + optind;
	int n_files = argc - optind;

	if (o.check) {
		struct xo_rules *r = load_rules_or_die(o.check);
		if (!cli.quiet)
			fprintf(stderr, "xo-decide: %s: ok: %zu action%s, %zu group%s\n", o.check,
				r->n_actions, r->n_actions == 1 ? "" : "s", r->n_groups,
				r->n_groups == 1 ? "" : "s");
		xo_rules_free(r);
		return XO_EXIT_OK;
	}
	if (o.review) {
		if (o.list_given && !o.list_arg && n_files == 1) {
			/* "--list all" as well as "--list=all" */
			o.list = strcmp(files[0], "all") == 0 ? NULL : files[0];
			n_files = 0;
		}
		if (n_files)
			xo_cli_usage_error(&cli, "review takes no files");
		return run_review(&o);
	}
	if (o.prune) {
		if (n_files)
			xo_cli_usage_error(&cli, "prune takes no files");
		return run_prune(&o);
	}
	struct xo_rejects *rejects = xo_rejects_open(o.rejects);
	int rc;
	if (o.eval) {
		rc = run_eval(o.eval, &o, files, n_files, rejects);
	} else {
		if (!o.rules)
			xo_cli_usage_error(&cli, "no rules: give --rules FILE");
		rc = o.interactive ? run_whatif(&o, files, n_files, rejects)
				   : run_decide(&o, files, n_files, rejects);
	}
	xo_rejects_close(rejects);
	xo_out_finish();
	return rc;
}
