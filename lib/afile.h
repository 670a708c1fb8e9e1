/* afile: files a tool owns, written atomically.
 *
 * Data goes to a temporary file beside the target (created mode 0600 or
 * the mode asked for), which is flushed, fsync'ed and renamed over the
 * target on commit. Readers therefore see the old file or the new one,
 * never half of it. A tool that dies (xo_die, EPIPE) removes its
 * temporary files. Paths that are not regular files (/dev/stderr, a
 * FIFO, /dev/full) are written in place.
 */
#ifndef XO_AFILE_H
#define XO_AFILE_H

#include <stdio.h>
#include <sys/types.h>

struct xo_afile {
	FILE *fp;        /* write here */
	char *path;      /* the target */
	char *tmp_path;  /* NULL when written in place */
	struct xo_afile *next_open;
};

/* NULL with errno set on failure. */
struct xo_afile *xo_afile_open(const char *path, mode_t mode);
/* Open or die with XO_EXIT_OUTPUT. */
struct xo_afile *xo_afile_open_or_die(const char *path, mode_t mode);
/* Publish the file; 0, or -1 with errno (the target is left as it was).
 * Frees f either way. */
int xo_afile_commit(struct xo_afile *f);
/* Commit or die with XO_EXIT_OUTPUT naming the file. */
void xo_afile_commit_or_die(struct xo_afile *f);
/* Throw the new contents away; frees f. */
void xo_afile_abort(struct xo_afile *f);

#endif
