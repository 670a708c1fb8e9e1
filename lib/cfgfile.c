#include "cfgfile.h"

#include <errno.h>
#include <string.h>

int xo_cfgfile_open(struct xo_cfgfile *f, const char *path, struct xo_buf *err)
{
	if (xo_input_open(&f->in, path) != 0) {
		xo_buf_printf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

char *xo_cfgfile_next(struct xo_cfgfile *f, const char **why)
{
	*why = NULL;
	while (xo_input_getline(&f->in) >= 0) {
		char *line = f->in.buf;
		if (memchr(line, '\0', f->in.len)) {
			*why = "NUL byte in line";
			return NULL;
		}
		if (f->in.line == 1 && f->in.len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
			line += 3;
		if (*line && *line != '#')
			return line;
	}
	return NULL;
}

void xo_cfgfile_close(struct xo_cfgfile *f)
{
	xo_input_close(&f->in);
}
