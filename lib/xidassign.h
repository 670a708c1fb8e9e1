/* xidassign: which xid each customer (connected component of the
 * identifier graph) gets, and which known customers merged or came
 * apart on the way.
 *
 * An xid is a 64-bit number, written "x" and 16 lower-case hex digits
 * (xo_xid_format). A new customer's xid is the smallest node hash in
 * its component (xo_idg_hash), so the same identifiers always give
 * the same xid whatever the order of the input. Should that number be
 * taken (by a customer of this run or one the state knows, merged ones
 * included), the next candidate is the SipHash of the number and a
 * counter, tried in turn: deterministic, and never reused.
 *
 * With a state, nodes arrive with the xid they had ("stored"). A
 * component holding one stored xid keeps it. A component holding several
 * keeps the survivor's (the caller's rule decides, xo-merge(1)) and the
 * others are merged into it; each merge records the nodes that came
 * from the absorbed customer (what --split gives back) and the link that
 * caused it. A stored xid whose nodes now lie in several components
 * (links cut or disabled) stays with the component holding most of
 * them; the other parts are detached under new xids.
 */
#ifndef XO_XIDASSIGN_H
#define XO_XIDASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "idgraph.h"

#define XO_XID_LEN 17 /* "x" + 16 hex digits */

void xo_xid_format(uint64_t xid, char out[XO_XID_LEN + 1]);
/* 0 and the number, or -1 when s is not an xid. */
int xo_xid_parse(const char *s, size_t len, uint64_t *xid);

struct xo_merge_event {
	uint64_t survivor, absorbed;
	xo_node cause_a, cause_b;   /* a link between the two sides */
	xo_node *members;           /* the absorbed side's nodes (owned) */
	size_t n_members;
};

struct xo_detach_event {
	uint64_t from, to;          /* the old xid, the part's new one */
	xo_node root;               /* the part */
};

struct xo_assign_rules {
	/* Each node's xid before this run (0: none), or NULL without state. */
	const uint64_t *stored;
	size_t n_stored;            /* nodes past this have none */
	/* 1 when xid is taken outside this run's components (a merged or
	 * vanished customer of the state); NULL: none are. */
	int (*taken)(void *ctx, uint64_t xid);
	/* Negative when a should survive a merge with b, positive when b
	 * should; never 0 for different xids. NULL: the smaller xid. */
	int (*survivor_cmp)(void *ctx, uint64_t a, uint64_t b);
	void *ctx;
};

struct xo_assign {
	uint64_t *xid;              /* per node: its component's xid; 0 for unlinkable nodes */
	size_t n_nodes;
	struct xo_merge_event *merges;
	size_t n_merges, cap_merges;
	struct xo_detach_event *detaches;
	size_t n_detaches, cap_detaches;
	size_t customers;           /* components given an xid */
};

/* Assign xids to every component of g (whose unions are done). */
void xo_assign_run(struct xo_assign *a, struct xo_idg *g, const struct xo_assign_rules *r);
void xo_assign_free(struct xo_assign *a);

#endif
