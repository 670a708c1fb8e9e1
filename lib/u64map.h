/* u64map: a hash map from 64-bit keys to 64-bit values (a set when the
 * values are not used), for event ids, xids and other numbers by the
 * million: open addressing in two flat arrays, no allocation per entry.
 * The struct owns its arrays; initialise with XO_U64MAP_INIT, release
 * with xo_u64map_free(). Any key may be stored, UINT64_MAX included.
 */
#ifndef XO_U64MAP_H
#define XO_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct xo_u64map {
	uint64_t *keys, *vals;
	size_t n, slots;
	int has_max;        /* UINT64_MAX marks empty slots, so it lives here */
	uint64_t max_val;
};

#define XO_U64MAP_INIT { NULL, NULL, 0, 0, 0, 0 }

/* Set key to val; returns 1 when key was new, 0 when replaced. */
int xo_u64map_put(struct xo_u64map *m, uint64_t key, uint64_t val);
/* 1 and *val (when val is not NULL) if present, else 0. */
int xo_u64map_get(const struct xo_u64map *m, uint64_t key, uint64_t *val);
/* Add key to a set: 1 when it was new. */
static inline int xo_u64set_add(struct xo_u64map *m, uint64_t key)
{
	return xo_u64map_get(m, key, NULL) ? 0 : xo_u64map_put(m, key, 0);
}
/* The value slot of key, created with 0 when absent. */
uint64_t *xo_u64map_ref(struct xo_u64map *m, uint64_t key);
static inline size_t xo_u64map_count(const struct xo_u64map *m)
{
	return m->n;
}
/* Visit every entry (no particular order). */
void xo_u64map_each(const struct xo_u64map *m, void (*fn)(void *ctx, uint64_t key, uint64_t val),
		    void *ctx);
void xo_u64map_free(struct xo_u64map *m);

/* The splitmix64 finaliser: spreads keys that are not random. */
uint64_t xo_mix64(uint64_t x);

/* Sort a[0..n) in ascending order (a radix sort: linear time, for the
 * millions of ids a run may hold). */
void xo_u64_sort(uint64_t *a, size_t n);

#endif
