#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"

int xo_input_open(struct xo_input *in, const char *path)
{
	memset(in, 0, sizeof *in);
	in->path = path;
	in->size = -1;
	if (strcmp(path, "-") == 0) {
		in->fp = stdin;
		in->name = "(stdin)";
	} else {
		in->fp = fopen(path, "rb");
		if (in->fp == NULL)
			return -1;
		in->name = path;
		struct stat st;
		if (fstat(fileno(in->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
			fclose(in->fp);
			in->fp = NULL;
			errno = EISDIR;
			return -1;
		}
		if (S_ISREG(st.st_mode))
			in->size = st.st_size;
	}
	return 0;
}

void xo_input_open_fp(struct xo_input *in, FILE *fp, const char *name)
{
	memset(in, 0, sizeof *in);
	in->fp = fp;
	in->path = in->name = name;
	in->size = -1;
	in->borrowed = 1;
}

void xo_input_open_or_die(struct xo_input *in, const char *path)
{
	if (xo_input_open(in, path) != 0)
		xo_die(XO_EXIT_INPUT, "%s: %s", path, strerror(errno));
}

ssize_t xo_input_getline_raw(struct xo_input *in)
{
	errno = 0;
	ssize_t n = getline(&in->buf, &in->cap, in->fp);
	if (n < 0) {
		if (ferror(in->fp) && in->soft_errors) {
			in->error = errno ? errno : EIO;
			return -1;
		}
		if (ferror(in->fp))
			xo_die(XO_EXIT_INPUT, "%s: read error: %s", in->name,
			       strerror(errno ? errno : EIO));
		if (errno == ENOMEM)
			xo_die(XO_EXIT_INTERNAL, "out of memory");
		return -1;
	}
	in->line++;
	in->offset += n;
	in->len = (size_t)n;
	return n;
}

ssize_t xo_input_getline(struct xo_input *in)
{
	ssize_t n = xo_input_getline_raw(in);
	if (n < 0)
		return -1;
	in->had_cr = 0;
	if (n > 0 && in->buf[n - 1] == '\n') {
		n--;
		if (n > 0 && in->buf[n - 1] == '\r') {
			n--;
			in->had_cr = 1;
		}
	}
	in->buf[n] = '\0';
	in->len = (size_t)n;
	return n;
}

void xo_input_close(struct xo_input *in)
{
	if (in->fp && in->fp != stdin && !in->borrowed)
		fclose(in->fp);
	free(in->buf);
	memset(in, 0, sizeof *in);
}
