/* xo-merge: one customer id for every event (identity resolution) and
 * the golden profile of each customer. See xo-merge(1). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "diag.h"
#include "idnorm.h"
#include "linkspec.h"
#include "mem.h"
#include "merge.h"
#include "mergelabel.h"
#include "mergelinks.h"
#include "profile.h"
#include "pseudo.h"
#include "shard.h"

static const char usage[] =
	"Usage: xo-merge [OPTION]... [FILE]...\n"
	"  or:  xo-merge --links [--part I/N] [-t TRAIT]... [FILE]...\n"
	"  or:  xo-merge --join [OPTION]... [--map MAP] [LINKS]...\n"
	"  or:  xo-merge --label MAP [--part I/N] [--shard I/N] [--key] [FILE]...\n"
	"Give every event a customer id (\"xid\"): events that share an identifier\n"
	"(email, phone, customer number, ...) belong to one customer, transitively,\n"
	"and with --spec records without a shared identifier are matched on names,\n"
	"dates and addresses. Reads events (xo-events(5)) from the FILEs or standard\n"
	"input; writes every event with \"xid\" added, golden profiles, or the links.\n"
	"\n"
	"Linking:\n"
	"  -k, --keys KINDS        identifier kinds that link, comma-separated\n"
	"                          (default: every kind under \"ids\")\n"
	"      --ignore FILE       more placeholder values that never link (repeatable)\n"
	"      --no-builtin-ignore do without the built-in list of placeholders\n"
	"      --max-degree N      do not link through an identifier linked to more\n"
	"                          than N others (default 100; 0: no limit)\n"
	"      --max-cluster N     report customers with more than N identifiers\n"
	"                          (default 1000; 0: no limit)\n"
	"  -s, --spec FILE         also link by probabilistic matching as FILE sets up\n"
	"                          (xo-linkage(5))\n"
	"      --link A            match the records of A with those of the one FILE,\n"
	"                          not within each (needs --spec)\n"
	"\n"
	"State:\n"
	"      --state FILE        keep customers between runs in FILE: known\n"
	"                          identifiers keep their xids, merges are recorded\n"
	"      --split MERGE       undo a merge, named by its number or the absorbed\n"
	"                          xid (repeatable; reads no input unless FILEs given)\n"
	"      --dry-run           with --state: do everything but save the state\n"
	"\n"
	"Output (NDJSON; by default every event with \"xid\" on standard output):\n"
	"  -p, --profiles[=FILE]   golden profiles, to FILE or instead of the events\n"
	"      --pairs[=FILE]      the links with their evidence, to FILE or instead\n"
	"                          of the events\n"
	"  -t, --trait NAME=PATH[:RULE]\n"
	"                          a profile trait (repeatable); RULE: recent (the\n"
	"                          default), frequent, first, priority=SOURCE,...\n"
	"      --report FILE       guards that fired, merges, the model, a summary\n"
	"      --rejects FILE      events that could not be used (xo-rejects(5))\n"
	"      --map MAP           the identifier -> xid map, for --label\n"
	"\n"
	"Split runs (the three steps give what one run gives; see xo-merge(1)):\n"
	"      --links             step 1, per part: write the link records of the\n"
	"                          events (use the same -t options as the join)\n"
	"      --join              step 2, once: read every part's link records, link,\n"
	"                          write profiles, report, state and --map MAP\n"
	"      --label MAP         step 3, per part: write the events with their xids\n"
	"      --part I/N          read only part I of N of the FILEs (cut at lines)\n"
	"      --shard I/N         --label: only the events of customers in shard I of N\n"
	"      --key               --label: write XID and a tab before each event\n"
	"\n"
	"Personal data:\n"
	"      --hash-ids          pseudonymize identifiers as they are read, as\n"
	"                          xo-ingest --hash-ids does (key from --hash-key-file,\n"
	"                          XO_HASH_KEY_FILE or XO_HASH_KEY)\n"
	"      --hash-key-file FILE  the pseudonym key (mode 0600)\n"
	"\n"
	"  -q, --quiet             no warnings or summary on standard error\n"
	"      --unbuffered        write each event as soon as it is ready\n"
	"  -h, --help              show this help and exit\n"
	"  -V, --version           show the version and exit\n"
	"\n"
	"Exit status: 0 ok, 1 some events rejected, 2 usage error or bad spec,\n"
	"3 input unreadable, 4 output not written, 5 state file locked, corrupt or\n"
	"newer, 6 out of memory or internal error. See xo-merge(1).\n";

enum {
	OPT_IGNORE = XO_OPT_FIRST_TOOL,
	OPT_NO_BUILTIN,
	OPT_MAX_DEGREE,
	OPT_MAX_CLUSTER,
	OPT_LINK,
	OPT_STATE,
	OPT_SPLIT,
	OPT_DRY_RUN,
	OPT_PAIRS,
	OPT_REPORT,
	OPT_REJECTS,
	OPT_HASH_IDS,
	OPT_HASH_KEY_FILE,
	OPT_MAP,
	OPT_LINKS,
	OPT_JOIN,
	OPT_LABEL,
	OPT_PART,
	OPT_SHARD,
	OPT_KEY,
};

static const struct option longopts[] = {
	XO_CLI_LONGOPTS,
	{ "keys", required_argument, NULL, 'k' },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "no-builtin-ignore", no_argument, NULL, OPT_NO_BUILTIN },
	{ "max-degree", required_argument, NULL, OPT_MAX_DEGREE },
	{ "max-cluster", required_argument, NULL, OPT_MAX_CLUSTER },
	{ "spec", required_argument, NULL, 's' },
	{ "link", required_argument, NULL, OPT_LINK },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "split", required_argument, NULL, OPT_SPLIT },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "profiles", optional_argument, NULL, 'p' },
	{ "pairs", optional_argument, NULL, OPT_PAIRS },
	{ "trait", required_argument, NULL, 't' },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "hash-ids", no_argument, NULL, OPT_HASH_IDS },
	{ "hash-key-file", required_argument, NULL, OPT_HASH_KEY_FILE },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "links", no_argument, NULL, OPT_LINKS },
	{ "join", no_argument, NULL, OPT_JOIN },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "part", required_argument, NULL, OPT_PART },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "key", no_argument, NULL, OPT_KEY },
	{ NULL, 0, NULL, 0 },
};

/* Which step of a split run, if any, and the options only steps take. */
enum mode { ONE_RUN, LINKS, JOIN, LABEL };

struct args {
	struct xo_merge_opts o;
	enum mode mode;
	const char *label_map;
	struct xo_shard part, shard;
	int key;
	int linking_given;       /* -k, --ignore, --no-builtin-ignore, --max-* */
	char **ignore_files;
	size_t n_ignore, cap_ignore, cap_splits;
	int no_builtin;
	const char *spec_path;
	struct xo_traits traits;
	int hash_ids;
	const char *hash_key_file;
};

static int is_kind(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void parse_keys(const struct xo_cli *cli, struct xo_merge_opts *o, const char *arg)
{
	size_t cap = 0;
	const char *p = arg;
	for (;;) {
		size_t len = strcspn(p, ",");
		char *kind = xo_strndup(p, len);
		if (!is_kind(kind))
			xo_cli_usage_error(cli, "--keys: \"%s\" is not an identifier kind", kind);
		o->keys = xo_grow(o->keys, &cap, o->n_keys + 1, sizeof *o->keys);
		o->keys[o->n_keys++] = kind;
		if (!p[len])
			break;
		p += len + 1;
	}
}

static const char *const mode_option[] = { "", "--links", "--join", "--label" };

static void set_mode(const struct xo_cli *cli, struct args *a, enum mode m)
{
	if (a->mode != ONE_RUN && a->mode != m)
		xo_cli_usage_error(cli, "%s and %s are steps of their own: give one", mode_option[a->mode],
				   mode_option[m]);
	a->mode = m;
}

static void parse_option(struct xo_cli *cli, struct args *a, int opt)
{
	struct xo_merge_opts *o = &a->o;
	struct xo_buf why = XO_BUF_INIT;
	switch (opt) {
	case 'k':
		a->linking_given = 1;
		parse_keys(cli, o, optarg);
		break;
	case OPT_IGNORE:
		a->linking_given = 1;
		a->ignore_files = xo_grow(a->ignore_files, &a->cap_ignore, a->n_ignore + 1,
					  sizeof *a->ignore_files);
		a->ignore_files[a->n_ignore++] = optarg;
		break;
	case OPT_NO_BUILTIN:
		a->linking_given = 1;
		a->no_builtin = 1;
		break;
	case OPT_MAX_DEGREE:
		a->linking_given = 1;
		o->max_degree = (unsigned long)xo_cli_number(cli, "--max-degree", optarg, 0, 1000000000);
		break;
	case OPT_MAX_CLUSTER:
		a->linking_given = 1;
		o->max_cluster = (unsigned long)xo_cli_number(cli, "--max-cluster", optarg, 0,
							      1000000000);
		break;
	case 's':
		a->spec_path = optarg;
		break;
	case OPT_LINK:
		o->link_a = optarg;
		break;
	case OPT_STATE:
		o->state = optarg;
		break;
	case OPT_SPLIT:
		o->splits = xo_grow(o->splits, &a->cap_splits, o->n_splits + 1, sizeof *o->splits);
		o->splits[o->n_splits++] = optarg;
		break;
	case OPT_DRY_RUN:
		o->dry_run = 1;
		break;
	case 'p':
		o->profiles_out = optarg ? optarg : "-";
		break;
	case OPT_PAIRS:
		o->pairs_out = optarg ? optarg : "-";
		break;
	case 't':
		if (xo_traits_add(&a->traits, optarg, &why) != 0)
			xo_cli_usage_error(cli, "--trait: %s", xo_buf_str(&why));
		break;
	case OPT_REPORT:
		o->report = optarg;
		break;
	case OPT_REJECTS:
		o->rejects = optarg;
		break;
	case OPT_HASH_IDS:
		a->hash_ids = 1;
		break;
	case OPT_HASH_KEY_FILE:
		a->hash_key_file = optarg;
		break;
	case OPT_MAP:
		o->map_out = optarg;
		break;
	case OPT_LINKS:
	case OPT_JOIN:
	case OPT_LABEL:
		set_mode(cli, a, opt == OPT_LINKS ? LINKS : opt == OPT_JOIN ? JOIN : LABEL);
		if (opt == OPT_LABEL)
			a->label_map = optarg;
		break;
	case OPT_PART:
	case OPT_SHARD:
		if (xo_shard_parse(optarg, opt == OPT_PART ? &a->part : &a->shard) != 0)
			xo_cli_usage_error(cli, "%s: expected I/N with 0 <= I < N <= %d, not \"%s\"",
					   opt == OPT_PART ? "--part" : "--shard", XO_SHARD_MAX, optarg);
		break;
	case OPT_KEY:
		a->key = 1;
		break;
	default:
		xo_cli_common(cli, opt);
		break;
	}
	xo_buf_free(&why);
}

/* An option the mode has no use for is a usage error. */
static void forbid(const struct xo_cli *cli, const struct args *a, int given, const char *option)
{
	if (!given)
		return;
	if (a->mode == ONE_RUN)
		xo_cli_usage_error(cli, "%s is for the steps of a split run (--links, --label)", option);
	xo_cli_usage_error(cli, "%s has no place in %s (xo-merge(1), SPLIT RUNS)", option,
			   mode_option[a->mode]);
}

static void check_steps(const struct xo_cli *cli, const struct args *a)
{
	const struct xo_merge_opts *o = &a->o;
	int outputs = o->state || o->n_splits || o->dry_run || o->profiles_out || o->pairs_out ||
		      o->report || o->map_out;
	int step = a->mode == LINKS || a->mode == LABEL;
	forbid(cli, a, a->part.count != 0 && !step, "--part");
	forbid(cli, a, a->shard.count != 0 && a->mode != LABEL, "--shard");
	forbid(cli, a, a->key && a->mode != LABEL, "--key");
	forbid(cli, a, outputs && step, "an option of the join (--state, --profiles, --report, --map...)");
	/* The steps take events pseudonymized by xo-ingest --hash-ids; a
	 * label step could not find raw identifiers in a map of pseudonyms. */
	forbid(cli, a, a->hash_ids && a->mode != ONE_RUN,
	       "--hash-ids (pseudonymize with xo-ingest --hash-ids before a split run)");
	forbid(cli, a, o->rejects != NULL && a->mode == JOIN,
	       "--rejects (the link steps keep the rejects)");
	forbid(cli, a, (a->traits.n != 0 || a->linking_given) && a->mode == LABEL,
	       "a linking option (-t, -k, --ignore...)");
	if (a->mode != ONE_RUN) {
		/* Probabilistic linking compares records across all the events. */
		forbid(cli, a, a->spec_path != NULL, "--spec (probabilistic linking runs in one process)");
		forbid(cli, a, o->link_a != NULL, "--link");
	}
}

static void check(const struct xo_cli *cli, const struct args *a, int n_files)
{
	const struct xo_merge_opts *o = &a->o;
	check_steps(cli, a);
	int to_stdout = (o->profiles_out && strcmp(o->profiles_out, "-") == 0) +
			(o->pairs_out && strcmp(o->pairs_out, "-") == 0);
	if (to_stdout > 1)
		xo_cli_usage_error(cli, "--profiles and --pairs cannot both use standard output: "
				   "give one a file (--pairs=FILE)");
	if (o->link_a && !a->spec_path)
		xo_cli_usage_error(cli, "--link needs a linkage spec (--spec FILE)");
	if (o->link_a && n_files != 1)
		xo_cli_usage_error(cli, "--link A B: expected exactly one FILE (B) besides A");
	if ((o->dry_run || o->n_splits) && !o->state)
		xo_cli_usage_error(cli, "%s needs --state FILE", o->dry_run ? "--dry-run" : "--split");
}

/* The steps of a split run that are not a run over the graph. */
static int run_step(struct args *a, char **files, int n)
{
	if (a->mode == LINKS) {
		struct xo_links_opts lo = { &a->traits, a->part, a->o.rejects };
		return xo_links_run(&lo, files, n);
	}
	struct xo_label_opts lo = { a->label_map, a->part, a->shard, a->key, a->o.rejects };
	return xo_label_run(&lo, files, n);
}

static char *command_line(int argc, char **argv)
{
	struct xo_buf b = XO_BUF_INIT;
	for (int i = 0; i < argc; i++)
		xo_buf_printf(&b, "%s%s", i ? " " : "", argv[i]);
	return xo_buf_steal(&b);
}

int main(int argc, char **argv)
{
	struct xo_cli cli;
	xo_cli_init(&cli, "xo-merge", usage);
	struct args a = { 0 };
	a.o.max_degree = 100;
	a.o.max_cluster = 1000;
	int opt;
	while ((opt = getopt_long(argc, argv, XO_CLI_SHORTOPTS "k:s:p::t:", longopts, NULL)) != -1)
		parse_option(&cli, &a, opt);
	int n_files = argc - optind;
	check(&cli, &a, n_files);
	struct xo_pseudo *pseudo = xo_pseudo_for_cli(&cli, a.hash_ids, a.hash_key_file);
	a.o.pseudo = pseudo;
	xo_cli_ready(&cli);
	if (a.mode == LINKS || a.mode == LABEL) {
		int rc = run_step(&a, argv + optind, n_files);
		xo_traits_free(&a.traits);
		for (size_t i = 0; i < a.o.n_keys; i++)
			free(a.o.keys[i]);
		free(a.o.keys);
		free(a.ignore_files);
		return rc;
	}
	a.o.join = a.mode == JOIN;
	struct xo_placeholders *ignore = xo_placeholders_new(!a.no_builtin);
	for (size_t i = 0; i < a.n_ignore; i++)
		xo_placeholders_load(ignore, a.ignore_files[i]);
	a.o.ignore = ignore;
	struct xo_linkspec *spec = a.spec_path ? xo_linkspec_load(a.spec_path) : NULL;
	a.o.spec = spec;
	a.o.traits = a.traits.n || !spec ? &a.traits : &spec->traits;
	int to_stdout = (a.o.profiles_out && strcmp(a.o.profiles_out, "-") == 0) ||
			(a.o.pairs_out && strcmp(a.o.pairs_out, "-") == 0);
	a.o.events_out = to_stdout || a.o.join ? NULL : "-";
	char *command = command_line(argc, argv);
	a.o.command = command;
	int rc = xo_merge_run(&a.o, argv + optind, n_files);
	free(command);
	xo_linkspec_free(spec);
	xo_placeholders_free(ignore);
	xo_pseudo_free(pseudo);
	xo_traits_free(&a.traits);
	for (size_t i = 0; i < a.o.n_keys; i++)
		free(a.o.keys[i]);
	free(a.o.keys);
	free(a.o.splits);
	free(a.ignore_files);
	return rc;
}
