#include "jrun.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"
#include "strmap.h"

#define REGROUPED_SHOWN 10
#define EXACT_GROUPS 4096

struct held {
	struct xo_event *ev;
	size_t n, cap;
	const struct xo_event **ptrs;
	size_t cap_ptrs;
	struct xo_journey journey;
};

static void build_and_emit(struct xo_jrun *r, struct held *h, const char *xid,
			   size_t xid_len, size_t n)
{
	xo_journey_build(r->builder, xid, xid_len, h->ptrs, n, &h->journey);
	r->emit(&h->journey, r->ctx);
	r->customers++;
}

static void run_any_order(struct xo_jrun *r, struct held *h)
{
	struct xo_intern xids = XO_INTERN_INIT;
	uint32_t *count = NULL;
	size_t cap_count = 0;
	const char *xid;
	size_t len;
	while (xo_evstore_next(r->store, &xid, &len)) {
		uint32_t known = xids.count;
		uint32_t cust = xo_intern(&xids, xid, len);
		if (cust > known) {
			count = xo_grow(count, &cap_count, (size_t)cust + 1, sizeof *count);
			count[cust] = 0;
		}
		if (h->n == UINT32_MAX)
			xo_die(XO_EXIT_INTERNAL, "more than %u events; use --sorted", UINT32_MAX);
		h->ev = xo_grow(h->ev, &h->cap, h->n + 1, sizeof *h->ev);
		xo_evstore_take(r->store, &h->ev[h->n]);
		h->ev[h->n].cust = cust;
		h->n++;
		count[cust]++;
	}
	/* Gather each customer's events, in input order, with a counting
	 * sort: start[c] is where customer c's events begin in order[]. */
	uint32_t n_cust = xids.count;
	size_t *start = xo_malloc(((size_t)n_cust + 2) * sizeof *start);
	start[1] = 0;
	for (uint32_t c = 1; c <= n_cust; c++)
		start[c + 1] = start[c] + count[c];
	uint32_t *order = xo_malloc((h->n ? h->n : 1) * sizeof *order);
	size_t *fill = start; /* advanced as events are placed, then rebuilt */
	for (size_t i = 0; i < h->n; i++)
		order[fill[h->ev[i].cust]++] = (uint32_t)i;
	/* fill[c] now equals the old start[c + 1]: shift back. */
	for (uint32_t c = n_cust; c >= 1; c--)
		start[c + 1] = start[c];
	start[1] = 0;
	for (uint32_t c = 1; c <= n_cust; c++) {
		size_t n = start[c + 1] - start[c];
		h->ptrs = xo_grow(h->ptrs, &h->cap_ptrs, n, sizeof *h->ptrs);
		for (size_t i = 0; i < n; i++)
			h->ptrs[i] = &h->ev[order[start[c] + i]];
		build_and_emit(r, h, xo_intern_str(&xids, c), xo_intern_len(&xids, c), n);
	}
	r->events = h->n;
	free(order);
	free(start);
	free(count);
	xo_intern_free(&xids);
}

/* What --sorted remembers about the groups seen. */
struct grouping {
	struct xo_buf prev;     /* the xid of the current group */
	/* Every xid so far: exactly for the first EXACT_GROUPS (most inputs
	 * stop there, and spare 16 MiB), then in the Bloom filter. */
	struct xo_strmap few;
	struct xo_bloom seen;   /* bits NULL until then */
	uint64_t customers;
	int ascending;          /* the xids so far came in byte order */
	int said_unchecked;
};

static void flush_customer(struct xo_jrun *r, struct held *h, const struct xo_buf *xid)
{
	h->ptrs = xo_grow(h->ptrs, &h->cap_ptrs, h->n, sizeof *h->ptrs);
	for (size_t i = 0; i < h->n; i++)
		h->ptrs[i] = &h->ev[i];
	build_and_emit(r, h, xid->data, xid->len, h->n);
	r->events += h->n;
	h->n = 0;
	xo_evstore_reset_customer(r->store);
}

/* Whether b comes after a in byte order. */
static int after(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c < 0 || (c == 0 && alen < blen);
}

/* Add xid to the groups seen: 1 when it was (probably) there. */
static int seen_before(struct grouping *g, const char *xid, size_t len)
{
	if (g->seen.bits)
		return xo_bloom_add(&g->seen, xid, len);
	int added;
	xo_strmap_slot(&g->few, xid, len, &added);
	if (g->few.n < EXACT_GROUPS)
		return !added;
	xo_bloom_init(&g->seen, 16u << 20, 8);
	for (size_t i = 0; i < g->few.n; i++)
		xo_bloom_add(&g->seen, g->few.entries[i].key, g->few.entries[i].len);
	xo_strmap_free(&g->few, NULL);
	return !added;
}

/* A new group begins with xid: was this customer seen before? While the
 * xids come in byte order (LC_ALL=C sort) a repeat is impossible and the
 * answer exact; otherwise the Bloom filter answers, as long as it is
 * reliable (up to XO_JRUN_CHECKED customers). */
static void check_group(struct xo_jrun *r, struct grouping *g, const char *xid, size_t len)
{
	if (g->customers && g->ascending && !after(g->prev.data, g->prev.len, xid, len))
		g->ascending = 0;
	xo_buf_reset(&g->prev);
	xo_buf_add(&g->prev, xid, len);
	g->customers++;
	if (g->customers > XO_JRUN_CHECKED) {
		if (!g->ascending && !g->said_unchecked++)
			xo_warn("more than %d customers in --sorted input not in byte order of xid: "
				"the grouping of later ones is not checked", XO_JRUN_CHECKED);
		return;
	}
	int seen = seen_before(g, xid, len);
	if (seen && !g->ascending && r->regrouped++ < REGROUPED_SHOWN)
		xo_error_at(xo_evstore_file(r->store), xo_evstore_line(r->store),
			    "xid \"%s\" seen again after other customers: input not grouped by "
			    "xid (its journey is split; sort it or drop --sorted)", g->prev.data);
	else if (seen && !g->ascending)
		r->regrouped++;
}

static void run_sorted(struct xo_jrun *r, struct held *h)
{
	struct grouping g;
	memset(&g, 0, sizeof g);
	g.ascending = 1;
	xo_strmap_init(&g.few);
	const char *xid;
	size_t len;
	while (xo_evstore_next(r->store, &xid, &len)) {
		if (h->n && (len != g.prev.len || memcmp(xid, g.prev.data, len) != 0))
			flush_customer(r, h, &g.prev);
		if (h->n == 0)
			check_group(r, &g, xid, len);
		h->ev = xo_grow(h->ev, &h->cap, h->n + 1, sizeof *h->ev);
		xo_evstore_take(r->store, &h->ev[h->n]);
		h->n++;
	}
	if (h->n)
		flush_customer(r, h, &g.prev);
	xo_strmap_free(&g.few, NULL);
	xo_bloom_free(&g.seen);
	xo_buf_free(&g.prev);
}

void xo_jrun(struct xo_jrun *r)
{
	struct held h;
	memset(&h, 0, sizeof h);
	if (r->sorted)
		run_sorted(r, &h);
	else
		run_any_order(r, &h);
	free(h.ev);
	free(h.ptrs);
	xo_journey_free(&h.journey);
}
