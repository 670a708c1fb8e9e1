/* cfgfile: the small text files that configure a tool (lexicons, topic
 * lists), read one meaningful line at a time: a UTF-8 byte-order mark
 * is skipped, as are blank lines and lines starting with '#'; a NUL
 * byte is an error. The struct owns its input; xo_cfgfile_close().
 */
#ifndef XO_CFGFILE_H
#define XO_CFGFILE_H

#include "buf.h"
#include "input.h"

struct xo_cfgfile {
	struct xo_input in; /* in.name and in.line say where a line came from */
};

/* 0, or -1 with "PATH: reason" in err. */
int xo_cfgfile_open(struct xo_cfgfile *f, const char *path, struct xo_buf *err);
/* The next line (the caller may change it in place), or NULL at the end
 * or on an error (then *why is set, else NULL). */
char *xo_cfgfile_next(struct xo_cfgfile *f, const char **why);
void xo_cfgfile_close(struct xo_cfgfile *f);

#endif
