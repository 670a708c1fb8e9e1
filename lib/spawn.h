/* spawn: run a helper program (no shell, so no quoting of file names)
 * and capture what it writes, within a time and a size limit.
 *
 * Standard input is /dev/null. A helper that runs past the time limit or
 * writes more than the size limit is killed (SIGKILL) and reported as
 * such, so a hostile input can make a helper fail but never hang the
 * tool. The result owns its two buffers; xo_spawn_free() releases them.
 */
#ifndef XO_SPAWN_H
#define XO_SPAWN_H

#include <stddef.h>

#include "buf.h"

struct xo_spawn {
	struct xo_buf out, err;  /* standard output and error */
	int exit_code;           /* when it exited; -1 otherwise */
	int signal;              /* when a signal ended it; 0 otherwise */
	int timed_out, too_big;  /* killed for the time or size limit */
	int exec_errno;          /* the program could not be run (ENOENT: not found) */
};

/* Run argv[0] (looked up on PATH when it holds no '/') with argv. 0 when
 * it ran and exited with status 0; -1 otherwise, with r telling why.
 * timeout_ms <= 0: no limit. Dies only when no process can be made. */
int xo_spawn_run(const char *const *argv, int timeout_ms, size_t max_out, struct xo_spawn *r);
/* "exited with status 2", "killed by signal 9", "timed out after 30 s",
 * "not found", ... appended to why. */
void xo_spawn_describe(const struct xo_spawn *r, int timeout_ms, struct xo_buf *why);
void xo_spawn_free(struct xo_spawn *r);

#endif
