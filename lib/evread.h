/* evread: xo-merge's first reading of its inputs, on a thread of its
 * own: each line is checked as an event (evcore.h) and its identifiers
 * taken out while the caller links the batch before. Lines
 * that are not usable events go to the reject stream; inputs that
 * cannot be read twice are copied to a temporary file (spool) for the
 * second reading.
 *
 * Batches come in input order; a batch returned stays valid until the
 * next call. The reader owns its batches and its thread.
 */
#ifndef XO_EVREAD_H
#define XO_EVREAD_H

#include <stdint.h>
#include <stdio.h>

#include "progress.h"
#include "rejects.h"

/* An input, as both passes see it. */
struct xo_evinput {
	const char *path;
	FILE *spool;       /* a copy of an input that cannot be read twice */
	int64_t size;      /* a regular file's size when first read */
	int side;
};

struct xo_evread_event {
	int rejected;
	int has_xid;
	uint64_t key;      /* xo_event_key() of its id */
	uint32_t first, n; /* its identifiers */
};

struct xo_evread_id {
	const char *kind;  /* into the batch's text; not NUL-terminated */
	size_t kind_len;
	const char *value; /* as in the event, decoded; not NUL-terminated */
	size_t len;
};

struct xo_evread_batch {
	struct xo_evread_event *events;
	size_t n_events;
	struct xo_evread_id *ids;
	size_t n_ids;
};

struct xo_evread;

/* Start reading inputs[0..n) (sizes and spools are filled in as they
 * are read; look at them after xo_evread_finish). */
struct xo_evread *xo_evread_start(struct xo_evinput *inputs, int n, struct xo_rejects *rejects,
				  struct xo_progress *progress);
/* The next batch, or NULL when every input has been read. */
const struct xo_evread_batch *xo_evread_next(struct xo_evread *rd);
/* Wait for the thread and free the reader. */
void xo_evread_finish(struct xo_evread *rd);

/* An event's id as a number: 16 lower-case hex digits are the number
 * itself, anything else its SipHash. */
uint64_t xo_event_key(const char *id, size_t len);

/* Read one input's lines that are not blank, calling fn for each; copy
 * an input that cannot be read twice to a spool file; count progress.
 * Dies with XO_EXIT_INPUT when the input cannot be opened. */
struct xo_mlines;
void xo_evinput_read(struct xo_evinput *f, struct xo_progress *progress,
		     void (*fn)(void *ctx, const struct xo_mlines *in, int side), void *ctx);

/* An unnamed temporary file in $TMPDIR (or /tmp), gone when closed. */
FILE *xo_spool_file(void);
/* Copy a line and a newline to a spool file. */
void xo_spool_line(FILE *spool, const char *name, const char *line, size_t len);

#endif
