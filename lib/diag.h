/* diag: diagnostics on stderr and the exit codes every xo tool shares.
 *
 * Messages look like "xo-ingest: FILE:LINE: reason". Nothing here writes
 * to stdout. The exit codes are documented in xo(7); keep them in step.
 */
#ifndef XO_DIAG_H
#define XO_DIAG_H

#include <stdarg.h>
#include <stdnoreturn.h>

enum xo_exit {
	XO_EXIT_OK = 0,       /* everything read was written */
	XO_EXIT_REJECTS = 1,  /* done, but some records were rejected */
	XO_EXIT_USAGE = 2,    /* bad option, bad map/spec/rules file */
	XO_EXIT_INPUT = 3,    /* an input could not be opened or read */
	XO_EXIT_OUTPUT = 4,   /* output could not be written (disk full, ...) */
	XO_EXIT_STATE = 5,    /* state database locked, corrupt or too new */
	XO_EXIT_INTERNAL = 6, /* out of memory or a bug */
};

void xo_diag_init(const char *progname);
const char *xo_progname(void);
/* Quiet mode drops warnings; errors still print. */
void xo_diag_quiet(int quiet);

void xo_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xo_vwarn(const char *fmt, va_list ap);
/* "PROG: FILE:LINE: message"; line 0 leaves the line out. */
void xo_warn_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error: printed even when quiet. */
void xo_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xo_error_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
noreturn void xo_die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
noreturn void xo_die_at(int code, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Exit with code after running the cleanup hook. */
noreturn void xo_exit(int code);

/* Register a hook run by xo_die and xo_exit before exiting, latest first
 * (removes temp files, rolls back). At most 8. */
void xo_diag_on_exit(void (*cleanup)(void));

#endif
