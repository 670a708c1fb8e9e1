/* decide: the next best action for one record (xo-decide(1)).
 *
 * For each action of the rules, in file order: its conditions, then
 * priority = propensity x value x weight. Eligible actions are ranked
 * by priority, highest first, ties broken by action name; the contact
 * policy (lib/policy.h) then removes what may not be done now, and the
 * first K that remain are the decisions. Without a trace the same
 * decisions are found trying the actions best first, only until the
 * top K are chosen. Decisions routed to a person
 * go to the review queue; the others are recorded as contacts, unless
 * the decider only looks (dry run).
 *
 * The output for a record is one NDJSON line (xo-decide(1) describes
 * it) or, for --explain, text for people. Same record, rules, state and
 * time give the same bytes.
 *
 * A decider borrows the rules and the state; both must outlive it.
 */
#ifndef XO_DECIDE_H
#define XO_DECIDE_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "decidestate.h"
#include "jscan.h"
#include "rules.h"
#include "xtime.h"

struct xo_decide_opts {
	int top;        /* decisions per record; 0: the rules' "top" */
	int record;     /* 1: record contacts and queue reviews in the state */
	int trace;      /* 1: the "trace" member in NDJSON */
	int explain;    /* 1: text for people instead of NDJSON */
	int replay;     /* 1: --as-of: the history before now, not at now */
};

struct xo_decide_stats {
	uint64_t records, decisions, queued, without;
};

struct xo_decider;

struct xo_decider *xo_decider_new(const struct xo_rules *rules, struct xo_dstate *state,
				  const struct xo_decide_opts *opts);
/* Decide for rec at time now and append the output to out. Returns the
 * number of decisions, or -1 (why set, nothing appended) when the
 * record has no "xid" string. */
int xo_decide(struct xo_decider *d, const json_t *rec, xo_time_t now, struct xo_buf *out,
	      struct xo_buf *why);
/* The "xid" of a record read in place (its text and index, lib/jscan.h,
 * as xo_records_next_scanned() gives them), decoded into xid (may be
 * NULL to only check): 0, or -1 with why set as xo_decide() says it. */
int xo_decide_xid(const char *text, const struct xo_jindex *ix, struct xo_buf *xid,
		  struct xo_buf *why);
/* The same as xo_decide() for a record read in place, whose "xid"
 * xo_decide_xid() has decoded (a C string); no tree is built. Returns
 * the number of decisions. */
int xo_decide_scanned(struct xo_decider *d, const char *text, const struct xo_jindex *ix,
		      const char *xid, xo_time_t now, struct xo_buf *out);
/* Before deciding a batch of records at time now, inside the state's
 * transaction: read their customers' histories at once (xids: their
 * "xid"s, as xo_decide_xid() decodes them). */
void xo_decider_batch(struct xo_decider *d, const char *const *xids, size_t n, xo_time_t now);
const struct xo_decide_stats *xo_decider_stats(const struct xo_decider *d);
void xo_decider_free(struct xo_decider *d);

#endif
