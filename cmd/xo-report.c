/* xo-report: the outputs of a run as one self-contained HTML page.
 *
 * Reads what xo-score, xo-journey and xo-decide wrote (rundata.h), and
 * writes a page of charts and tables (report.h) that opens offline and
 * prints well: NPS, CSAT and CES trends with margins of error, the
 * journey map, paths and funnels, drivers, churn risk and calibration,
 * decisions and the review queue, rejects per source.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "afile.h"
#include "cli.h"
#include "diag.h"
#include "mem.h"
#include "out.h"
#include "rejects.h"
#include "report.h"
#include "rundata.h"
#include "xtime.h"

static const char usage[] =
	"Usage: xo-report [-d DIR] [INPUT OPTION]... [-o FILE]\n"
	"Write the outputs of an xo run as one self-contained HTML page of charts and\n"
	"tables (no scripts, no network needed to open it; prints well). Every input\n"
	"may be left out: its section then says \"No data\" and why.\n"
	"\n"
	"Inputs (each may be given more than once):\n"
	"  -d, --run-dir DIR          take every kind of input not named below from\n"
	"                             DIR, by the file names of xo-report(1) FILES\n"
	"      --metrics FILE         xo-score metrics (NDJSON; --every gives trends)\n"
	"      --journey-dot FILE     xo-journey --map (Graphviz DOT), drawn with dot\n"
	"      --paths FILE           xo-journey --paths (NDJSON)\n"
	"      --funnel FILE          xo-journey --funnel (NDJSON)\n"
	"      --drivers [OUTCOME=]FILE\n"
	"                             xo-score drivers (NDJSON); OUTCOME is nps, csat,\n"
	"                             ces or churn\n"
	"      --predictions FILE     records with a churn probability (xo-score apply)\n"
	"      --calibration FILE     the model file (xo-model(5)) or the report of\n"
	"                             xo-score train -f json\n"
	"      --decisions FILE       xo-decide output (NDJSON)\n"
	"      --review FILE          xo-decide review --list all (text) or --export\n"
	"      --rejected FILE        a reject stream of the run (xo-rejects(5))\n"
	"\n"
	"The page:\n"
	"  -o, --output FILE          write it to FILE, atomically (default: stdout)\n"
	"  -t, --title TEXT           its title (default: \"xo report\")\n"
	"      --top N                rows of top lists: paths, drivers, customers at\n"
	"                             risk, pending reviews (default 10)\n"
	"      --risk-field PATH      where a record's probability is (default\n"
	"                             prediction.p)\n"
	"      --high-risk P          high risk from this probability on (default 0.7)\n"
	"      --risk-bins N          bins of the risk histogram (default 10)\n"
	"      --dot PROGRAM          the Graphviz program (default: dot)\n"
	"      --dot-timeout SECONDS  stop dot after this long (default 60)\n"
	"  -r, --rejects FILE         keep input lines that cannot be used in FILE\n"
	"                             (xo-rejects(5))\n"
	"      --hash-ids             leave the rejected records as read and the values\n"
	"                             quoted in reasons out of the page\n"
	"  -q, --quiet                no warnings or summary on standard error\n"
	"      --unbuffered           accepted for symmetry; the page is written whole\n"
	"  -h, --help                 show this help and exit\n"
	"  -V, --version              show the version and exit\n"
	"\n"
	"Exit status: 0 page written; 1 written, but some input lines could not be used\n"
	"or a journey map could not be drawn; 2 usage error; 3 an input could not be\n"
	"read (the page is still written, and says so); 4 the page could not be written.\n"
	"See xo-report(1).\n";

enum {
	OPT_INPUT = XO_OPT_FIRST_TOOL, /* + enum xo_run_kind */
	OPT_TOP = OPT_INPUT + XO_RUN_KINDS,
	OPT_RISK_FIELD,
	OPT_HIGH_RISK,
	OPT_RISK_BINS,
	OPT_DOT,
	OPT_DOT_TIMEOUT,
	OPT_HASH_IDS,
};

struct input {
	enum xo_run_kind kind;
	const char *path;
	char *label;  /* drivers' outcome; owned */
};

struct options {
	const char *run_dir, *output, *rejects_path, *title;
	const char *risk_field, *dot;
	double high_risk;
	long long top, risk_bins, dot_timeout;
	int hash_ids;
	struct input *inputs;
	size_t n_inputs, cap_inputs;
};

static void add_input(struct options *opt, enum xo_run_kind kind, const char *path, char *label)
{
	opt->inputs = xo_grow(opt->inputs, &opt->cap_inputs, opt->n_inputs + 1, sizeof *opt->inputs);
	opt->inputs[opt->n_inputs++] = (struct input){ kind, path, label };
}

/* --drivers nps=FILE: the outcome before '=', when it is one. */
static void add_drivers(struct options *opt, const char *arg)
{
	static const char *const outcomes[] = { "nps", "csat", "ces", "churn" };
	const char *eq = strchr(arg, '=');
	for (size_t i = 0; eq && i < sizeof outcomes / sizeof outcomes[0]; i++) {
		size_t n = strlen(outcomes[i]);
		if ((size_t)(eq - arg) == n && strncmp(arg, outcomes[i], n) == 0) {
			add_input(opt, XO_RUN_DRIVERS, eq + 1, xo_strdup(outcomes[i]));
			return;
		}
	}
	add_input(opt, XO_RUN_DRIVERS, arg, NULL);
}

static double parse_probability(const struct xo_cli *cli, const char *arg)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0 && v <= 1))
		xo_cli_usage_error(cli, "--high-risk: '%s' is not a probability from 0 to 1", arg);
	return v;
}

static void parse_options(struct xo_cli *cli, int argc, char **argv, struct options *opt)
{
	static struct option longopts[XO_RUN_KINDS + 16];
	size_t n = 0;
	for (int k = 0; k < XO_RUN_KINDS; k++)
		longopts[n++] = (struct option){ xo_run_kind_names[k], required_argument, NULL,
						 OPT_INPUT + k };
	static const struct option rest[] = {
		{ "run-dir", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, 't' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "risk-field", required_argument, NULL, OPT_RISK_FIELD },
		{ "high-risk", required_argument, NULL, OPT_HIGH_RISK },
		{ "risk-bins", required_argument, NULL, OPT_RISK_BINS },
		{ "dot", required_argument, NULL, OPT_DOT },
		{ "dot-timeout", required_argument, NULL, OPT_DOT_TIMEOUT },
		{ "hash-ids", no_argument, NULL, OPT_HASH_IDS },
		XO_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	memcpy(longopts + n, rest, sizeof rest);
	int c;
	while ((c = getopt_long(argc, argv, "d:o:t:r:" XO_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (xo_cli_common(cli, c))
			continue;
		switch (c) {
		case 'd': opt->run_dir = optarg; break;
		case 'o': opt->output = optarg; break;
		case 't': opt->title = optarg; break;
		case 'r': opt->rejects_path = optarg; break;
		case OPT_TOP: opt->top = xo_cli_number(cli, "--top", optarg, 1, 100000); break;
		case OPT_RISK_FIELD: opt->risk_field = optarg; break;
		case OPT_HIGH_RISK: opt->high_risk = parse_probability(cli, optarg); break;
		case OPT_RISK_BINS: opt->risk_bins = xo_cli_number(cli, "--risk-bins", optarg, 1, 100); break;
		case OPT_DOT: opt->dot = optarg; break;
		case OPT_HASH_IDS: opt->hash_ids = 1; break;
		case OPT_DOT_TIMEOUT:
			opt->dot_timeout = xo_cli_number(cli, "--dot-timeout", optarg, 1, 86400);
			break;
		default:
			if (c == OPT_INPUT + XO_RUN_DRIVERS)
				add_drivers(opt, optarg);
			else if (c >= OPT_INPUT && c < OPT_INPUT + XO_RUN_KINDS)
				add_input(opt, (enum xo_run_kind)(c - OPT_INPUT), optarg, NULL);
			else
				xo_cli_usage_error(cli, "unexpected option");
		}
	}
	if (optind < argc)
		xo_cli_usage_error(cli, "unexpected argument '%s' (inputs are named by options)",
				   argv[optind]);
	xo_cli_ready(cli);
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0)
		return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Is path one of the files this run writes? */
static int is_output(const struct options *opt, const char *path)
{
	return (opt->output && same_file(opt->output, path)) ||
	       (opt->rejects_path && same_file(opt->rejects_path, path));
}

/* Every kind not named on the command line, from the run directory. */
static void add_run_dir(struct options *opt, char ***owned, size_t *n_owned)
{
	struct stat st;
	if (stat(opt->run_dir, &st) != 0)
		xo_die(XO_EXIT_INPUT, "%s: %s", opt->run_dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		xo_die(XO_EXIT_INPUT, "%s: not a directory", opt->run_dir);
	for (int k = 0; k < XO_RUN_KINDS; k++) {
		int named = 0;
		for (size_t i = 0; i < opt->n_inputs; i++)
			named |= opt->inputs[i].kind == (enum xo_run_kind)k;
		if (named)
			continue;
		char **paths, **labels;
		size_t n = xo_run_dir_files(opt->run_dir, (enum xo_run_kind)k, &paths, &labels);
		for (size_t i = 0; i < n; i++) {
			*owned = xo_realloc(*owned, (*n_owned + 1) * sizeof **owned);
			(*owned)[(*n_owned)++] = paths[i];
			if (is_output(opt, paths[i]))
				free(labels[i]); /* xo-report's own file */
			else
				add_input(opt, (enum xo_run_kind)k, paths[i], labels[i]);
		}
		free(paths);
		free(labels);
	}
}

static void check_outputs(const struct xo_cli *cli, const struct options *opt)
{
	if (opt->output && opt->rejects_path && same_file(opt->output, opt->rejects_path))
		xo_cli_usage_error(cli, "--output and --rejects name the same file");
	for (size_t i = 0; i < opt->n_inputs; i++)
		if (is_output(opt, opt->inputs[i].path))
			xo_cli_usage_error(cli, "%s is an input: it would be overwritten",
					   opt->inputs[i].path);
}

static void write_page(const struct options *opt, const struct xo_buf *page)
{
	if (!opt->output) {
		xo_out_write(page->data, page->len);
		xo_out_finish();
		return;
	}
	/* The page may show rejected records as read: personal data. */
	struct xo_afile *f = xo_afile_open_or_die(opt->output, 0600);
	if (fwrite(page->data, 1, page->len, f->fp) != page->len)
		xo_die(XO_EXIT_OUTPUT, "%s: write failed: %s", opt->output, strerror(errno));
	xo_afile_commit_or_die(f);
}

int main(int argc, char **argv)
{
	struct xo_cli cli;
	struct options opt = { .title = "xo report", .risk_field = "prediction.p", .dot = "dot",
			       .high_risk = 0.7, .top = 10, .risk_bins = 10, .dot_timeout = 60 };
	xo_cli_init(&cli, "xo-report", usage);
	parse_options(&cli, argc, argv, &opt);
	char **owned = NULL;
	size_t n_owned = 0;
	if (opt.run_dir)
		add_run_dir(&opt, &owned, &n_owned);
	check_outputs(&cli, &opt);
	if (opt.n_inputs == 0)
		xo_warn("no inputs: every section will say \"No data\"");

	struct xo_rejects *rejects = xo_rejects_open(opt.rejects_path);
	struct xo_buf err = XO_BUF_INIT;
	struct xo_run_opts ro = { opt.risk_field, opt.high_risk, (size_t)opt.risk_bins,
				  (size_t)opt.top, rejects, opt.hash_ids };
	struct xo_run *run = xo_run_new(&ro, &err);
	if (!run)
		xo_cli_usage_error(&cli, "--risk-field: %s", xo_buf_str(&err));
	for (int k = 0; k < XO_RUN_KINDS; k++)
		for (size_t i = 0; i < opt.n_inputs; i++)
			if (opt.inputs[i].kind == (enum xo_run_kind)k)
				xo_run_read(run, opt.inputs[i].kind, opt.inputs[i].path,
					    opt.inputs[i].label);

	char now[XO_TIME_BUFSIZE];
	xo_time_format(xo_time_now(), now);
	struct xo_report_opts o = { opt.title, now, XO_VERSION, opt.dot, (int)opt.dot_timeout * 1000,
				    (size_t)opt.top, opt.high_risk, opt.risk_field };
	struct xo_report_status st;
	struct xo_buf page = XO_BUF_INIT;
	xo_report_html(&page, run, &o, &st);
	write_page(&opt, &page);
	xo_rejects_close(rejects);
	xo_warn("%s: %zu inputs, %ld lines not used%s", opt.output ? opt.output : "(stdout)",
		run->n_files, run->bad_lines, run->unreadable ? ", some inputs unreadable" : "");

	int code = run->unreadable ? XO_EXIT_INPUT
		 : run->bad_lines || st.dot_failed ? XO_EXIT_REJECTS : XO_EXIT_OK;
	xo_buf_free(&page);
	xo_buf_free(&err);
	xo_run_free(run);
	for (size_t i = 0; i < opt.n_inputs; i++)
		free(opt.inputs[i].label);
	free(opt.inputs);
	for (size_t i = 0; i < n_owned; i++)
		free(owned[i]);
	free(owned);
	return code;
}
