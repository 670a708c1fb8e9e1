/* records: NDJSON records from a list of files (stdin when none, "-"
 * for stdin among them), one at a time, for tools that read events,
 * journeys, profiles or scores.
 *
 * Lines that are not JSON objects go to the reject stream with file,
 * line and reason; reading goes on. A file that cannot be opened is an
 * error (XO_EXIT_INPUT) unless keep_going is set, when it is reported
 * and counted.
 */
#ifndef XO_RECORDS_H
#define XO_RECORDS_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "input.h"
#include "progress.h"
#include "rejects.h"
#include "shard.h"

struct xo_records {
	char *const *paths;
	int n_paths, next_path;
	int open;
	struct xo_input in;
	struct xo_rejects *rejects; /* not owned; may be NULL (then counted and warned) */
	struct xo_buf why;
	struct xo_progress progress;
	uint64_t read, bad;
	struct xo_shard shard;      /* records of other shards are skipped */
	uint64_t other_shards;
	int keep_going;
	int unreadable;             /* files that could not be opened */
};

/* paths[0..n) or, when n is 0, stdin. */
void xo_records_open(struct xo_records *r, char *const *paths, int n,
		     struct xo_rejects *rejects);
/* The next record (a new reference the caller owns), NULL at the end. */
json_t *xo_records_next(struct xo_records *r);
/* Name and line of the record last returned, for messages. */
const char *xo_records_file(const struct xo_records *r);
long xo_records_line(const struct xo_records *r);
void xo_records_close(struct xo_records *r);

#endif
