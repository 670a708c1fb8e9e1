/* slice: the lines of a tool's inputs, all of them or one part of N.
 *
 * "--part I/N" splits the inputs' bytes, taken one file after the other,
 * into N equal runs and gives part I the lines that start in the I-th:
 * N processes with I = 0..N-1 read every line exactly once, and their
 * outputs put together in part order are one process's output. Each
 * line keeps its file's name and its number in that file. Parts need
 * regular files (their sizes), not standard input or pipes.
 */
#ifndef XO_SLICE_H
#define XO_SLICE_H

#include <stdint.h>

#include "mlines.h"
#include "progress.h"
#include "shard.h"

struct xo_slice {
	const char *path;
	int64_t start, end; /* the bytes of path this part reads; empty when equal */
};

/* The slice of each of paths[0..n) that part (index of count) reads,
 * into out[0..n). Dies with XO_EXIT_USAGE naming a path that is
 * standard input or not a regular file, XO_EXIT_INPUT when one cannot
 * be read. */
void xo_slice_inputs(char *const *paths, int n, const struct xo_shard *part,
		     struct xo_slice *out);

/* Call fn for every line that is not blank of paths[0..n) (none:
 * standard input), or of part of them when part->count is not 0;
 * progress counts them. Dies with XO_EXIT_INPUT when an input cannot be
 * opened. */
typedef void (*xo_slice_fn)(void *ctx, const struct xo_mlines *in);
void xo_slice_read(char *const *paths, int n, const struct xo_shard *part,
		   struct xo_progress *progress, xo_slice_fn fn, void *ctx);

#endif
