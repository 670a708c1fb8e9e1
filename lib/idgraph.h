/* idgraph: the identifier graph behind deterministic linking.
 *
 * Every identifier value seen (a kind such as "email" and a value) is
 * interned once as a node: the strings live in an arena the graph owns,
 * and a node is a small number (xo_node). Identifiers seen together in
 * one event are joined by an edge; edges are kept once each, with the
 * number of events that gave them, so that degrees (distinct
 * neighbours) are known for the over-merge guard. Customers are the
 * connected components, found with a union-find (union by size, path
 * halving) over the edges whose ends are both linkable.
 *
 * Sized for tens of millions of identifiers: nodes are arrays indexed by
 * number, the hash table and the edge set are open-addressed arrays, and
 * nothing is allocated per node or per edge.
 */
#ifndef XO_IDGRAPH_H
#define XO_IDGRAPH_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t xo_node;
#define XO_NODE_NONE UINT32_MAX

/* Why a node takes no part in linking (any flag set: it does not). */
enum xo_node_flag {
	XO_NODE_PLACEHOLDER = 1, /* a placeholder value ("unknown", ...) */
	XO_NODE_HUB = 2,         /* linked to more than max-degree others */
	XO_NODE_NOLINK = 4,      /* its kind is not a linking kind (--keys) */
	XO_NODE_RECORD = 8,      /* stands for one event without identifiers */
};
#define XO_NODE_UNLINKABLE (XO_NODE_PLACEHOLDER | XO_NODE_HUB | XO_NODE_NOLINK)

/* Flags of an edge. */
enum xo_edge_flag {
	XO_EDGE_CUT = 1,   /* removed by a split: never used again */
	XO_EDGE_PROB = 2,  /* a probabilistic link, not a shared event */
	XO_EDGE_KNOWN = 4, /* loaded from a state file */
	XO_EDGE_DIRTY = 8, /* count or flags changed since loaded */
};

struct xo_idg;

struct xo_idg *xo_idg_new(void);
void xo_idg_free(struct xo_idg *g);

/* Make room ahead for about this many nodes and edges (a guess from the
 * input's size saves growing the tables again and again). */
void xo_idg_reserve(struct xo_idg *g, size_t nodes, size_t edges);

/* The number of a kind name ("email"), interned; at most 65535 kinds. */
unsigned xo_idg_kind(struct xo_idg *g, const char *kind, size_t len);
const char *xo_idg_kind_name(const struct xo_idg *g, unsigned kind);
unsigned xo_idg_kinds(const struct xo_idg *g);

/* The node of kind/value, created when new (*created set to 1 then;
 * created may be NULL). Dies when the graph would pass 4 billion nodes. */
xo_node xo_idg_intern(struct xo_idg *g, unsigned kind, const char *value, size_t len,
			int *created);
/* The same, with the node's flags in *flags: one memory access less for
 * callers that look at them next. */
xo_node xo_idg_intern_flags(struct xo_idg *g, unsigned kind, const char *value, size_t len,
			      int *created, unsigned *flags);
/* Interning many values at once hides the memory latency of the table:
 * xo_idg_prefetch() hashes a value and starts loading its slot, and
 * xo_idg_intern_hashed() (soon after, with the same request) finds or
 * adds it. The request's value must stay put in between. */
struct xo_idg_req {
	unsigned kind;
	const char *value;
	size_t len;
	uint64_t hash;   /* set by xo_idg_prefetch (the table's hash, not the node's) */
};
void xo_idg_prefetch(const struct xo_idg *g, struct xo_idg_req *req);
/* Then, once the slot is likely loaded, start loading the record. */
void xo_idg_prefetch_record(const struct xo_idg *g, const struct xo_idg_req *req);
xo_node xo_idg_intern_hashed(struct xo_idg *g, const struct xo_idg_req *req, int *created,
			       unsigned *flags);

/* The node, or XO_NODE_NONE when never seen. */
xo_node xo_idg_lookup(const struct xo_idg *g, unsigned kind, const char *value, size_t len);
size_t xo_idg_nodes(const struct xo_idg *g);

unsigned xo_idg_node_kind(const struct xo_idg *g, xo_node n);
/* The value, NUL-terminated, owned by the graph; valid until the next
 * node is added (the records may then move). */
const char *xo_idg_value(const struct xo_idg *g, xo_node n, size_t *len);
/* SipHash-2-4 (key zero) of "KIND\0VALUE": stable, and what xids are made of. */
uint64_t xo_idg_hash(const struct xo_idg *g, xo_node n);
/* The hash a node of kind/value would have. */
uint64_t xo_idg_hash_of(const char *kind, const char *value, size_t len);

unsigned xo_idg_flags(const struct xo_idg *g, xo_node n);
void xo_idg_set_flags(struct xo_idg *g, xo_node n, unsigned flags);
static inline int xo_idg_linkable(const struct xo_idg *g, xo_node n)
{
	return (xo_idg_flags(g, n) & XO_NODE_UNLINKABLE) == 0;
}

/* Join a and b (a != b) by an edge (new ones count 0 events) and add
 * flags to it. Returns the edge's flags before. */
unsigned xo_idg_edge(struct xo_idg *g, xo_node a, xo_node b, unsigned flags);
/* Add n events to the edge a-b; 1 when it exists, else 0. */
int xo_idg_edge_count(struct xo_idg *g, xo_node a, xo_node b, uint32_t n);
/* Start loading the slot of edge a-b, ahead of xo_idg_edge(). */
void xo_idg_prefetch_edge(const struct xo_idg *g, xo_node a, xo_node b);
/* Flags and event count of the edge a-b; 0 flags and count when absent. */
unsigned xo_idg_edge_flags(const struct xo_idg *g, xo_node a, xo_node b, uint32_t *count);
size_t xo_idg_edges(const struct xo_idg *g);

/* Visit every edge (in no particular order); stop early when fn returns
 * non-zero. */
typedef int (*xo_edge_fn)(void *ctx, xo_node a, xo_node b, unsigned flags, uint32_t count);
void xo_idg_each_edge(const struct xo_idg *g, xo_edge_fn fn, void *ctx);

/* Distinct neighbours of every node, over edges that are neither cut
 * nor probabilistic.
 * Computed on demand, owned by the graph, valid until the next edge. */
const uint32_t *xo_idg_degrees(struct xo_idg *g);

/* Union-find. Every node starts alone; union returns 1 when it joined
 * two components. */
xo_node xo_idg_root(struct xo_idg *g, xo_node n);
int xo_idg_union(struct xo_idg *g, xo_node a, xo_node b);
/* Join the ends of every edge that is not cut and whose ends are both
 * linkable. Returns the number of joins. */
size_t xo_idg_link_edges(struct xo_idg *g);
/* Forget every union (all nodes alone again). */
void xo_idg_reset_components(struct xo_idg *g);
/* Nodes in n's component. */
uint32_t xo_idg_component_size(struct xo_idg *g, xo_node n);

#endif
