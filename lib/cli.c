#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "out.h"

#ifndef XO_VERSION
#define XO_VERSION "unknown"
#endif

void xo_cli_init(struct xo_cli *cli, const char *name, const char *usage)
{
	cli->name = name;
	cli->usage = usage;
	cli->unbuffered = 0;
	cli->quiet = 0;
	xo_diag_init(name);
}

static void print_and_exit(const char *text)
{
	if (fputs(text, stdout) == EOF || fflush(stdout) != 0)
		exit(errno == EPIPE ? XO_EXIT_OK : XO_EXIT_OUTPUT);
	exit(XO_EXIT_OK);
}

void xo_cli_usage_error(const struct xo_cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", cli->name);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", cli->name);
	exit(XO_EXIT_USAGE);
}

int xo_cli_common(struct xo_cli *cli, int opt)
{
	switch (opt) {
	case 'h':
		print_and_exit(cli->usage);
		break;
	case 'V': {
		static char text[128];
		snprintf(text, sizeof text, "%s (xo) %s\n", cli->name, XO_VERSION);
		print_and_exit(text);
		break;
	}
	case 'q':
		cli->quiet = 1;
		return 1;
	case XO_OPT_UNBUFFERED:
		cli->unbuffered = 1;
		return 1;
	case '?':
	case ':':
		/* getopt has said what was wrong. */
		fprintf(stderr, "Try '%s --help' for more information.\n", cli->name);
		exit(XO_EXIT_USAGE);
	}
	return 0;
}

void xo_cli_ready(struct xo_cli *cli)
{
	xo_diag_quiet(cli->quiet);
	xo_out_init(cli->unbuffered);
}

long long xo_cli_number(const struct xo_cli *cli, const char *opt, const char *arg,
			long long min, long long max)
{
	char *end;
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end != '\0' || v < min || v > max)
		xo_cli_usage_error(cli, "%s: expected a whole number from %lld to %lld, not '%s'",
				   opt, min, max, arg);
	return v;
}
