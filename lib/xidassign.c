#include "xidassign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "bigmem.h"
#include "mem.h"
#include "u64map.h"

void xo_xid_format(uint64_t xid, char out[XO_XID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	out[0] = 'x';
	for (int i = 16; i > 0; i--, xid >>= 4)
		out[i] = hex[xid & 15];
	out[XO_XID_LEN] = '\0';
}

int xo_xid_parse(const char *s, size_t len, uint64_t *xid)
{
	if (len != XO_XID_LEN || s[0] != 'x')
		return -1;
	uint64_t v = 0;
	for (size_t i = 1; i < len; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint64_t)(c - 'a' + 10);
		else
			return -1;
	}
	*xid = v;
	return 0;
}

/* Work space of one assignment. */
struct work {
	struct xo_idg *g;
	const struct xo_assign_rules *r;
	struct xo_assign *a;
	uint64_t *minhash;          /* per root */
	struct xo_u64map used;      /* xids given out or kept in this run */
	struct xo_u64map best_root; /* stored xid -> the root that keeps it */
	xo_node *roots;
	size_t n_roots;
};

static uint64_t stored_of(const struct work *w, xo_node n)
{
	return w->r->stored && n < w->r->n_stored ? w->r->stored[n] : 0;
}

static int taken(struct work *w, uint64_t xid)
{
	if (xid == 0 || xo_u64map_get(&w->used, xid, NULL))
		return 1;
	return w->r->taken ? w->r->taken(w->r->ctx, xid) : 0;
}

/* The xid of a new customer: its smallest hash, or the next free one. */
static uint64_t new_xid(struct work *w, uint64_t minhash)
{
	uint64_t x = minhash;
	for (uint64_t counter = 1; taken(w, x); counter++) {
		uint64_t buf[2] = { minhash, counter };
		x = xo_siphash(&XO_HASH_PUBLIC, buf, sizeof buf);
	}
	return x;
}

/* Roots in the order of their smallest hash, so that new xids are
 * handed out in an order that does not depend on the input's. */
struct keyed_root {
	uint64_t minhash;
	xo_node root;
};

static int cmp_keyed_root(const void *x, const void *y)
{
	const struct keyed_root *a = x, *b = y;
	if (a->minhash != b->minhash)
		return a->minhash < b->minhash ? -1 : 1;
	return (a->root > b->root) - (a->root < b->root);
}

static void find_roots(struct work *w)
{
	size_t n = xo_idg_nodes(w->g);
	w->minhash = xo_malloc((n ? n : 1) * sizeof *w->minhash);
	memset(w->minhash, 0xff, (n ? n : 1) * sizeof *w->minhash);
	for (xo_node i = 0; i < n; i++) {
		if (!xo_idg_linkable(w->g, i))
			continue;
		xo_node root = xo_idg_root(w->g, i);
		uint64_t h = xo_idg_hash(w->g, i);
		if (h < w->minhash[root])
			w->minhash[root] = h;
	}
	w->roots = xo_malloc((n ? n : 1) * sizeof *w->roots);
	for (xo_node i = 0; i < n; i++)
		if (xo_idg_linkable(w->g, i) && xo_idg_root(w->g, i) == i)
			w->roots[w->n_roots++] = i;
}

static void sort_roots(struct work *w)
{
	struct keyed_root *k = xo_malloc((w->n_roots ? w->n_roots : 1) * sizeof *k);
	for (size_t i = 0; i < w->n_roots; i++)
		k[i] = (struct keyed_root){ w->minhash[w->roots[i]], w->roots[i] };
	qsort(k, w->n_roots, sizeof *k, cmp_keyed_root);
	for (size_t i = 0; i < w->n_roots; i++)
		w->roots[i] = k[i].root;
	free(k);
}

/* Without a state, and when no two components share their smallest hash
 * (nearly always), every xid is that hash: no table of xids given out is
 * needed, nor any order. */
static int distinct_minhashes(const struct work *w)
{
	uint64_t *h = xo_big_calloc((w->n_roots + 1) * sizeof *h);
	for (size_t i = 0; i < w->n_roots; i++)
		h[i] = w->minhash[w->roots[i]];
	xo_u64_sort(h, w->n_roots);
	int ok = w->n_roots == 0 || h[0] != 0;
	for (size_t i = 1; i < w->n_roots && ok; i++)
		ok = h[i] != h[i - 1];
	xo_big_free(h, (w->n_roots + 1) * sizeof *h);
	return ok;
}

static void assign_fast(struct work *w)
{
	struct xo_assign *a = w->a;
	size_t n = xo_idg_nodes(w->g);
	a->n_nodes = n;
	a->xid = xo_big_calloc((n ? n : 1) * sizeof *a->xid);
	for (xo_node i = 0; i < n; i++)
		if (xo_idg_linkable(w->g, i))
			a->xid[i] = w->minhash[xo_idg_root(w->g, i)];
	a->customers = w->n_roots;
}

/* (stored xid, root) of every node that had an xid. */
struct claim {
	uint64_t xid;
	xo_node root;
};

static int cmp_claim(const void *x, const void *y)
{
	const struct claim *a = x, *b = y;
	if (a->xid != b->xid)
		return a->xid < b->xid ? -1 : 1;
	return (a->root > b->root) - (a->root < b->root);
}

/* For each stored xid, the component that keeps it: the one holding
 * most of its nodes, ties to the smaller minhash. */
static void choose_homes(struct work *w)
{
	size_t n = xo_idg_nodes(w->g), k = 0;
	struct claim *c = xo_malloc((n ? n : 1) * sizeof *c);
	for (xo_node i = 0; i < n; i++) {
		uint64_t x = stored_of(w, i);
		if (x && xo_idg_linkable(w->g, i))
			c[k++] = (struct claim){ x, xo_idg_root(w->g, i) };
	}
	qsort(c, k, sizeof *c, cmp_claim);
	for (size_t i = 0; i < k;) {
		size_t best_count = 0;
		xo_node best = 0;
		size_t j = i;
		while (j < k && c[j].xid == c[i].xid) {
			size_t start = j;
			while (j < k && c[j].xid == c[i].xid && c[j].root == c[start].root)
				j++;
			size_t count = j - start;
			if (count > best_count ||
			    (count == best_count && w->minhash[c[start].root] < w->minhash[best])) {
				best_count = count;
				best = c[start].root;
			}
		}
		xo_u64map_put(&w->best_root, c[i].xid, best);
		xo_u64map_put(&w->used, c[i].xid, 0);
		i = j;
	}
	free(c);
}

static int survives(const struct work *w, uint64_t a, uint64_t b)
{
	if (w->r->survivor_cmp)
		return w->r->survivor_cmp(w->r->ctx, a, b) < 0;
	return a < b;
}

/* Per root: the stored xids it keeps, and one it lost (for detaches). */
struct root_xids {
	uint64_t *kept;
	size_t n_kept, cap_kept;
	uint64_t lost;
};

static void collect(struct work *w, struct root_xids *rx, const uint64_t *root_index)
{
	size_t n = xo_idg_nodes(w->g);
	for (xo_node i = 0; i < n; i++) {
		uint64_t x = stored_of(w, i);
		if (!x || !xo_idg_linkable(w->g, i))
			continue;
		xo_node root = xo_idg_root(w->g, i);
		struct root_xids *r = &rx[root_index[root]];
		uint64_t home;
		xo_u64map_get(&w->best_root, x, &home);
		if (home != root) {
			if (!r->lost)
				r->lost = x;
			continue;
		}
		int seen = 0;
		for (size_t j = 0; j < r->n_kept && !seen; j++)
			seen = r->kept[j] == x;
		if (!seen) {
			r->kept = xo_grow(r->kept, &r->cap_kept, r->n_kept + 1, sizeof *r->kept);
			r->kept[r->n_kept++] = x;
		}
	}
}

static void add_merge(struct xo_assign *a, uint64_t survivor, uint64_t absorbed)
{
	a->merges = xo_grow(a->merges, &a->cap_merges, a->n_merges + 1, sizeof *a->merges);
	a->merges[a->n_merges++] = (struct xo_merge_event){ survivor, absorbed, XO_NODE_NONE,
							    XO_NODE_NONE, NULL, 0 };
}

static void add_detach(struct xo_assign *a, uint64_t from, uint64_t to, xo_node root)
{
	a->detaches = xo_grow(a->detaches, &a->cap_detaches, a->n_detaches + 1,
			      sizeof *a->detaches);
	a->detaches[a->n_detaches++] = (struct xo_detach_event){ from, to, root };
}

/* Adjacency of the components where merges happened, for finding each
 * absorbed side and the link that joined it. */
struct adjacency {
	size_t *start;   /* per node, into next[]; n + 1 entries */
	xo_node *next;
	struct xo_idg *g;
	const struct xo_u64map *merged_roots;
	size_t *fill;
	int counting;
};

static int adj_edge(void *ctx, xo_node a, xo_node b, unsigned flags, uint32_t count)
{
	struct adjacency *adj = ctx;
	if ((flags & XO_EDGE_CUT) || !xo_idg_linkable(adj->g, a) || !xo_idg_linkable(adj->g, b))
		return 0;
	xo_node root = xo_idg_root(adj->g, a);
	if (!xo_u64map_get(adj->merged_roots, root, NULL))
		return 0;
	if (adj->counting) {
		adj->start[a + 1]++;
		adj->start[b + 1]++;
	} else {
		adj->next[adj->fill[a]++] = b;
		adj->next[adj->fill[b]++] = a;
	}
	return 0;
}

static void build_adjacency(struct adjacency *adj, struct xo_idg *g,
			    const struct xo_u64map *merged_roots)
{
	size_t n = xo_idg_nodes(g);
	adj->g = g;
	adj->merged_roots = merged_roots;
	adj->start = xo_calloc(n + 1, sizeof *adj->start);
	adj->counting = 1;
	xo_idg_each_edge(g, adj_edge, adj);
	for (size_t i = 0; i < n; i++)
		adj->start[i + 1] += adj->start[i];
	adj->next = xo_malloc((adj->start[n] ? adj->start[n] : 1) * sizeof *adj->next);
	adj->fill = xo_malloc((n ? n : 1) * sizeof *adj->fill);
	memcpy(adj->fill, adj->start, n * sizeof *adj->fill);
	adj->counting = 0;
	xo_idg_each_edge(g, adj_edge, adj);
	free(adj->fill);
}

/* Order links by the hashes of their ends, so the cause reported does
 * not depend on the order of the input. */
static int link_before(struct xo_idg *g, xo_node a1, xo_node b1, xo_node a2, xo_node b2)
{
	uint64_t x1 = xo_idg_hash(g, a1), y1 = xo_idg_hash(g, b1);
	uint64_t x2 = xo_idg_hash(g, a2), y2 = xo_idg_hash(g, b2);
	uint64_t lo1 = x1 < y1 ? x1 : y1, hi1 = x1 < y1 ? y1 : x1;
	uint64_t lo2 = x2 < y2 ? x2 : y2, hi2 = x2 < y2 ? y2 : x2;
	return lo1 < lo2 || (lo1 == lo2 && hi1 < hi2);
}

/* The absorbed side: nodes reachable from the absorbed customer's nodes
 * through nodes that had no xid or had the absorbed one. */
static void absorbed_side(struct work *w, struct adjacency *adj, struct xo_merge_event *m,
			  xo_node root, unsigned char *seen)
{
	size_t n = xo_idg_nodes(w->g), cap = 0, head = 0;
	xo_node *queue = NULL;
	size_t n_queue = 0;
	for (xo_node i = 0; i < n; i++) {
		if (stored_of(w, i) == m->absorbed && xo_idg_linkable(w->g, i) &&
		    xo_idg_root(w->g, i) == root) {
			queue = xo_grow(queue, &cap, n_queue + 1, sizeof *queue);
			queue[n_queue++] = i;
			seen[i] = 1;
		}
	}
	while (head < n_queue) {
		xo_node u = queue[head++];
		for (size_t k = adj->start[u]; k < adj->start[u + 1]; k++) {
			xo_node v = adj->next[k];
			uint64_t sv = stored_of(w, v);
			if (sv != 0 && sv != m->absorbed) {
				if (m->cause_a == XO_NODE_NONE ||
				    link_before(w->g, u, v, m->cause_a, m->cause_b)) {
					m->cause_a = u;
					m->cause_b = v;
				}
				continue;
			}
			if (seen[v])
				continue;
			seen[v] = 1;
			queue = xo_grow(queue, &cap, n_queue + 1, sizeof *queue);
			queue[n_queue++] = v;
		}
	}
	for (size_t i = 0; i < n_queue; i++)
		seen[queue[i]] = 0;
	m->members = queue;
	m->n_members = n_queue;
}

static void find_sides(struct work *w, const xo_node *merge_root)
{
	struct xo_u64map roots = XO_U64MAP_INIT;
	for (size_t i = 0; i < w->a->n_merges; i++)
		xo_u64map_put(&roots, merge_root[i], 0);
	struct adjacency adj = { 0 };
	build_adjacency(&adj, w->g, &roots);
	unsigned char *seen = xo_calloc(xo_idg_nodes(w->g) + 1, 1);
	for (size_t i = 0; i < w->a->n_merges; i++)
		absorbed_side(w, &adj, &w->a->merges[i], merge_root[i], seen);
	free(seen);
	free(adj.start);
	free(adj.next);
	xo_u64map_free(&roots);
}

void xo_assign_run(struct xo_assign *a, struct xo_idg *g, const struct xo_assign_rules *r)
{
	memset(a, 0, sizeof *a);
	struct work w = { .g = g, .r = r, .a = a };
	find_roots(&w);
	if (!r->stored && !r->taken && distinct_minhashes(&w)) {
		assign_fast(&w);
		free(w.minhash);
		free(w.roots);
		return;
	}
	sort_roots(&w);
	choose_homes(&w);
	size_t n = xo_idg_nodes(g);
	uint64_t *root_index = xo_malloc((n ? n : 1) * sizeof *root_index);
	for (size_t i = 0; i < w.n_roots; i++)
		root_index[w.roots[i]] = i;
	struct root_xids *rx = xo_calloc(w.n_roots + 1, sizeof *rx);
	collect(&w, rx, root_index);
	uint64_t *root_xid = xo_malloc((w.n_roots + 1) * sizeof *root_xid);
	xo_node *merge_root = NULL;
	size_t cap_merge_root = 0;
	for (size_t i = 0; i < w.n_roots; i++) {
		struct root_xids *x = &rx[i];
		if (x->n_kept == 0) {
			root_xid[i] = new_xid(&w, w.minhash[w.roots[i]]);
			xo_u64map_put(&w.used, root_xid[i], 0);
			if (x->lost)
				add_detach(a, x->lost, root_xid[i], w.roots[i]);
			continue;
		}
		uint64_t keep = x->kept[0];
		for (size_t j = 1; j < x->n_kept; j++)
			if (survives(&w, x->kept[j], keep))
				keep = x->kept[j];
		root_xid[i] = keep;
		for (size_t j = 0; j < x->n_kept; j++) {
			if (x->kept[j] == keep)
				continue;
			add_merge(a, keep, x->kept[j]);
			merge_root = xo_grow(merge_root, &cap_merge_root, a->n_merges,
					     sizeof *merge_root);
			merge_root[a->n_merges - 1] = w.roots[i];
		}
	}
	if (a->n_merges)
		find_sides(&w, merge_root);
	a->n_nodes = n;
	a->xid = xo_big_calloc((n ? n : 1) * sizeof *a->xid);
	for (xo_node i = 0; i < n; i++)
		if (xo_idg_linkable(g, i))
			a->xid[i] = root_xid[root_index[xo_idg_root(g, i)]];
	a->customers = w.n_roots;
	for (size_t i = 0; i < w.n_roots; i++)
		free(rx[i].kept);
	free(rx);
	free(root_xid);
	free(root_index);
	free(merge_root);
	free(w.minhash);
	free(w.roots);
	xo_u64map_free(&w.used);
	xo_u64map_free(&w.best_root);
}

void xo_assign_free(struct xo_assign *a)
{
	for (size_t i = 0; i < a->n_merges; i++)
		free(a->merges[i].members);
	free(a->merges);
	free(a->detaches);
	xo_big_free(a->xid, (a->n_nodes ? a->n_nodes : 1) * sizeof *a->xid);
	memset(a, 0, sizeof *a);
}
