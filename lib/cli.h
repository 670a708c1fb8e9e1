/* cli: the command-line conventions every xo tool shares.
 *
 * Each tool keeps its own getopt_long table and adds XO_CLI_LONGOPTS and
 * XO_CLI_SHORTOPTS to it; xo_cli_common() handles those options:
 *   -h, --help        usage on stdout, exit 0
 *   -V, --version     "xo-ingest (xo) 0.1.0" on stdout, exit 0
 *   -q, --quiet       no warnings or summary on stderr
 *   --unbuffered      flush stdout after every record
 * Usage errors print a hint to --help and exit with XO_EXIT_USAGE.
 */
#ifndef XO_CLI_H
#define XO_CLI_H

#include <getopt.h>

enum {
	XO_OPT_UNBUFFERED = 0x1000,
	XO_OPT_FIRST_TOOL = 0x1100, /* tools number their long-only options from here */
};

#define XO_CLI_SHORTOPTS "hVq"
#define XO_CLI_LONGOPTS                                        \
	{ "help", no_argument, NULL, 'h' },                    \
	{ "version", no_argument, NULL, 'V' },                 \
	{ "quiet", no_argument, NULL, 'q' },                   \
	{ "unbuffered", no_argument, NULL, XO_OPT_UNBUFFERED }

struct xo_cli {
	const char *name;  /* "xo-ingest" */
	const char *usage; /* the whole --help text */
	int unbuffered;
	int quiet;
};

/* Set the program name for diagnostics. */
void xo_cli_init(struct xo_cli *cli, const char *name, const char *usage);
/* Handle a common option or getopt's '?'; 1 when handled, 0 otherwise. */
int xo_cli_common(struct xo_cli *cli, int opt);
/* After option parsing: sets up stdout (buffering, EPIPE) and quiet. */
void xo_cli_ready(struct xo_cli *cli);
/* "PROG: message" + "Try 'PROG --help'." and exit XO_EXIT_USAGE. */
void xo_cli_usage_error(const struct xo_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* Parse a whole non-negative number for option opt, or usage error. */
long long xo_cli_number(const struct xo_cli *cli, const char *opt, const char *arg,
			long long min, long long max);

#endif
