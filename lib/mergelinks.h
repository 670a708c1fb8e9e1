/* mergelinks: the link records of a split xo-merge run (xo-links(5)).
 *
 * A split run reads the events in parts, on as many processes and
 * machines as wanted. The link step (xo-merge --links, xo_links_run)
 * reads one part and writes, for every usable event, what the join step
 * needs of it: its id as a number, its time, its identifiers normalized
 * (as xo-merge compares them), and the few fields a golden profile takes
 * (channel, type, source, cx figures, each trait's value). A part
 * begins with a header line and ends with a trailer that counts its
 * events and rejects, so that a part cut short is noticed.
 *
 * The join step reads link records with a struct xo_links_reader, one
 * line at a time, in two passes like xo-merge reads events.
 */
#ifndef XO_MERGELINKS_H
#define XO_MERGELINKS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "jscan.h"
#include "mlines.h"
#include "profile.h"
#include "shard.h"
#include "xtime.h"

#define XO_LINKS_VERSION 1

struct xo_links_opts {
	const struct xo_traits *traits; /* the profile traits the join will use */
	struct xo_shard part;           /* --part; count 0: all of the inputs */
	const char *rejects;            /* --rejects, or NULL */
};

/* The link step over inputs[0..n) (none: standard input), to standard
 * output. Returns XO_EXIT_OK, or XO_EXIT_REJECTS when events were
 * rejected; fatal errors end the process. */
int xo_links_run(const struct xo_links_opts *o, char **inputs, int n);

/* An identifier of a link record: decoded, not NUL-terminated, valid
 * until the next record is read. */
struct xo_link_id {
	const char *kind, *value;
	size_t kind_len, len;
};

/* An event's link record. */
struct xo_link_event {
	uint64_t key;                /* xo_event_key() of its id */
	xo_time_t ts;
	struct xo_link_id *ids;
	size_t n_ids, cap_ids;
	int has_parts;               /* in parts: the event could be read as JSON */
	struct xo_profile_in parts;  /* read when asked for */
};

struct xo_links_reader {
	const struct xo_traits *traits; /* the join's: the parts must have as many */
	int check;                   /* first pass: check headers, trailers, counts */
	int in_part;                 /* between a header and its trailer */
	uint64_t part_events;        /* event records since the header */
	uint64_t events, rejected;   /* the trailers' sums: events read, rejected */
	struct xo_link_event ev;
	struct xo_jmembers m;
	struct xo_buf text, trait_text, why;
	size_t *offs;                /* where each decoded string starts in text */
	size_t cap_offs;
};

void xo_links_reader_init(struct xo_links_reader *rd, const struct xo_traits *traits, int check);
/* Read one line of link records: 1 when it is an event's record (in
 * rd->ev; its parts too when parts is set), 0 when a header or trailer.
 * Dies with XO_EXIT_INPUT naming the file and line when the line is not
 * a link record, or (when checking) breaks the order of parts, and with
 * XO_EXIT_USAGE when a header's traits differ from rd->traits. */
int xo_links_read(struct xo_links_reader *rd, const struct xo_mlines *in, int parts);
/* Read again from the first line (the second pass): no more checks,
 * the trailers' sums kept. */
void xo_links_reader_rewind(struct xo_links_reader *rd);
/* At the end of an input: dies when a part has not ended. */
void xo_links_reader_end(struct xo_links_reader *rd, const char *name);
void xo_links_reader_free(struct xo_links_reader *rd);

#endif
