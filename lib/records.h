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
#include "jscan.h"
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
	/* xo_records_next_scanned(): the record's index, and its text
	 * when jansson had to read it. */
	struct xo_jindex index;
	struct xo_buf text;
	struct xo_buf xid;          /* scratch for --shard */
};

/* paths[0..n) or, when n is 0, stdin. */
void xo_records_open(struct xo_records *r, char *const *paths, int n,
		     struct xo_rejects *rejects);
/* The next record (a new reference the caller owns), NULL at the end. */
json_t *xo_records_next(struct xo_records *r);
/* The next record read in place, without building a tree (for tools
 * that read millions): 1 with its JSON text in *text, *len and the
 * index of its values (lib/jscan.h) in *ix; 0 at the end. Both stay
 * valid until the next call. Lines are accepted and refused exactly as
 * by xo_records_next(), with the same messages, and the values read
 * are the ones jansson would give. */
int xo_records_next_scanned(struct xo_records *r, const char **text, size_t *len,
			    const struct xo_jindex **ix);
/* Send the line of the record last returned, as it was read, to the
 * reject stream rejects with the reason why. */
void xo_records_reject(const struct xo_records *r, struct xo_rejects *rejects, const char *why);
/* Name and line of the record last returned, for messages. */
const char *xo_records_file(const struct xo_records *r);
long xo_records_line(const struct xo_records *r);
void xo_records_close(struct xo_records *r);

#endif
