/* mergestate: xo-merge's state file (SQLite through db.h), which lets
 * tonight's events join yesterday's customers and keep their xids.
 *
 * It keeps every identifier with its customer's xid, every link (with
 * the number of events behind it, or a probabilistic link's weight and
 * evidence, and whether a split cut it), every customer ever given an
 * xid (with first and last sighting, events, and the survivor it was
 * merged into), every merge with its cause and the identifiers that came
 * from the absorbed side, the ids of the events already counted, the
 * records of probabilistic linking, and each identifier's profile
 * accumulator. The schema is in mergestate.c.
 *
 * A run holds one write transaction from xo_mstate_open() to
 * xo_mstate_commit(): another run waits (then fails with
 * XO_EXIT_STATE), and a run that dies leaves the file as it was.
 */
#ifndef XO_MERGESTATE_H
#define XO_MERGESTATE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "idgraph.h"
#include "linkage.h"
#include "profile.h"
#include "u64map.h"
#include "xidassign.h"
#include "xtime.h"

struct xo_mstate;

/* Open (creating it) and take the write lock; command goes in the run
 * history. */
struct xo_mstate *xo_mstate_open(const char *path, const char *command);
/* Roll back anything not committed and close. */
void xo_mstate_close(struct xo_mstate *st);

/* Load identifiers and links into g (which must have no nodes yet). */
void xo_mstate_load(struct xo_mstate *st, struct xo_idg *g);
/* Each loaded node's xid (0: none), n entries; owned by st. */
const uint64_t *xo_mstate_stored(const struct xo_mstate *st, size_t *n);

/* For struct xo_assign_rules: ctx is the state. */
int xo_mstate_taken(void *st, uint64_t xid);
int xo_mstate_survivor_cmp(void *st, uint64_t a, uint64_t b);

/* Undo a merge: what is its number or the absorbed xid. Cuts the links
 * between the absorbed side and the rest and gives the absorbed side its
 * xid back. 0, or -1 with the reason in why. *merge_id, *survivor and
 * *absorbed say which merge it was. */
int xo_mstate_split(struct xo_mstate *st, struct xo_idg *g, const char *what,
		    struct xo_buf *why, long long *merge_id, uint64_t *survivor,
		    uint64_t *absorbed);

/* Which of keys[0..n) (event ids as numbers) earlier runs counted: each
 * is added to seen. */
void xo_mstate_seen(struct xo_mstate *st, const uint64_t *keys, size_t n,
		    struct xo_u64map *seen);

/* Add the stored records of probabilistic linking to lk; node_of[r] is
 * set to the node of each record added (grown as needed), ids[r] to
 * its event id (malloc'ed). */
void xo_mstate_load_records(struct xo_mstate *st, struct xo_linkage *lk,
			    xo_node **node_of, char ***ids, size_t *cap);
/* Number of records loaded (they come first in lk). */
size_t xo_mstate_records(const struct xo_mstate *st);

/* The stored evidence of a probabilistic link (JSON text, owned by the
 * caller), or NULL. */
char *xo_mstate_evidence(struct xo_mstate *st, struct xo_idg *g, xo_node a, xo_node b,
			 double *weight);

/* Fold the stored accumulators of nodes[0..n) into p, each under the
 * owner the node maps to (owner_of[i]). */
void xo_mstate_load_accs(struct xo_mstate *st, struct xo_profiles *p, struct xo_idg *g,
			 const xo_node *nodes, const uint64_t *owner_of, size_t n);

/* What a run changes, for xo_mstate_save(). */
struct xo_customer_stats {
	uint64_t events;
	xo_time_t first, last;
};

struct xo_prob_link {
	xo_node a, b;
	double weight;
	char *evidence;        /* JSON text, owned by the caller */
	char *event_a, *event_b;
};

struct xo_new_record {
	const char *event_id;
	xo_node node;
	int side;
	uint64_t group;
	const char *const *values;
	size_t n_values;
};

struct xo_mstate_changes {
	struct xo_idg *g;
	const struct xo_assign *assign;
	char *const *merge_causes;             /* JSON text per assign->merges[i] */
	const struct xo_u64map *customer_index; /* xid -> index into customer[] */
	const struct xo_customer_stats *customer;
	const uint64_t *new_events;            /* event ids counted in this run */
	size_t n_new_events;
	const struct xo_prob_link *prob;
	size_t n_prob;
	const struct xo_new_record *records;
	size_t n_records;
	const struct xo_profiles *profiles;    /* per-node accumulators */
	const xo_node *acc_nodes;              /* nodes whose accumulator changed */
	size_t n_acc_nodes;
	uint64_t events_read;
};

/* Write the changes and the run's history row (inside the run's
 * transaction). Merge numbers are given out here: merge_ids[i] for
 * assign->merges[i] (merge_ids may be NULL). */
void xo_mstate_save(struct xo_mstate *st, const struct xo_mstate_changes *c,
		    long long *merge_ids);
/* Make the run's changes permanent. */
void xo_mstate_commit(struct xo_mstate *st);

/* The number of this run in the history. */
long long xo_mstate_run_id(const struct xo_mstate *st);

#endif
