#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *progname = "xo";
static int quiet;
#define MAX_HOOKS 8
static void (*cleanup_hooks[MAX_HOOKS])(void);
static int n_hooks;

void xo_diag_init(const char *name)
{
	const char *slash = strrchr(name, '/');
	progname = slash ? slash + 1 : name;
}

const char *xo_progname(void)
{
	return progname;
}

void xo_diag_quiet(int on)
{
	quiet = on;
}

void xo_diag_on_exit(void (*cleanup)(void))
{
	if (n_hooks == MAX_HOOKS)
		xo_die(XO_EXIT_INTERNAL, "too many exit hooks");
	cleanup_hooks[n_hooks++] = cleanup;
}

static void vreport(const char *file, long line, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", progname);
	if (file && line > 0)
		fprintf(stderr, "%s:%ld: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void xo_vwarn(const char *fmt, va_list ap)
{
	if (!quiet)
		vreport(NULL, 0, fmt, ap);
}

void xo_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	xo_vwarn(fmt, ap);
	va_end(ap);
}

void xo_warn_at(const char *file, long line, const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
}

void xo_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(NULL, 0, fmt, ap);
	va_end(ap);
}

void xo_error_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
}

static noreturn void finish(int code)
{
	/* Latest first; each is taken off the list before it runs so that a
	 * hook that dies cannot loop. */
	while (n_hooks > 0) {
		void (*hook)(void) = cleanup_hooks[--n_hooks];
		hook();
	}
	exit(code);
}

void xo_exit(int code)
{
	finish(code);
}

void xo_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(NULL, 0, fmt, ap);
	va_end(ap);
	finish(code);
}

void xo_die_at(int code, const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
	finish(code);
}
