#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "mem.h"

static struct xo_afile *open_files;
static int hook_registered;

static void unlink_open_files(void)
{
	for (struct xo_afile *f = open_files; f; f = f->next_open)
		if (f->tmp_path)
			unlink(f->tmp_path);
}

static void forget(struct xo_afile *f)
{
	for (struct xo_afile **p = &open_files; *p; p = &(*p)->next_open) {
		if (*p == f) {
			*p = f->next_open;
			return;
		}
	}
}

static void release(struct xo_afile *f)
{
	forget(f);
	free(f->path);
	free(f->tmp_path);
	free(f);
}

static int writes_in_place(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

struct xo_afile *xo_afile_open(const char *path, mode_t mode)
{
	struct xo_afile *f = xo_calloc(1, sizeof *f);
	f->path = xo_strdup(path);
	if (writes_in_place(path)) {
		f->fp = fopen(path, "w");
	} else {
		struct xo_buf tmp = XO_BUF_INIT;
		xo_buf_printf(&tmp, "%s.tmp.XXXXXX", path);
		f->tmp_path = xo_buf_steal(&tmp);
		int fd = mkstemp(f->tmp_path);
		if (fd >= 0) {
			if (fchmod(fd, mode) != 0 || !(f->fp = fdopen(fd, "w"))) {
				int saved = errno;
				close(fd);
				unlink(f->tmp_path);
				errno = saved;
			}
		}
	}
	if (f->fp == NULL) {
		int saved = errno;
		release(f);
		errno = saved;
		return NULL;
	}
	if (!hook_registered) {
		xo_diag_on_exit(unlink_open_files);
		hook_registered = 1;
	}
	f->next_open = open_files;
	open_files = f;
	return f;
}

struct xo_afile *xo_afile_open_or_die(const char *path, mode_t mode)
{
	struct xo_afile *f = xo_afile_open(path, mode);
	if (f == NULL)
		xo_die(XO_EXIT_OUTPUT, "%s: cannot create: %s", path, strerror(errno));
	return f;
}

int xo_afile_commit(struct xo_afile *f)
{
	int rc = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp))
		rc = -1;
	if (rc == 0 && f->tmp_path && fsync(fileno(f->fp)) != 0)
		rc = -1;
	int saved = errno;
	if (fclose(f->fp) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (f->tmp_path) {
		if (rc == 0 && rename(f->tmp_path, f->path) != 0) {
			rc = -1;
			saved = errno;
		}
		if (rc != 0)
			unlink(f->tmp_path);
	}
	release(f);
	errno = saved;
	return rc;
}

void xo_afile_commit_or_die(struct xo_afile *f)
{
	char *path = xo_strdup(f->path);
	if (xo_afile_commit(f) != 0) {
		int saved = errno;
		xo_error("%s: write failed: %s", path, strerror(saved));
		free(path);
		xo_exit(XO_EXIT_OUTPUT);
	}
	free(path);
}

void xo_afile_abort(struct xo_afile *f)
{
	fclose(f->fp);
	if (f->tmp_path)
		unlink(f->tmp_path);
	release(f);
}
