#include "u64map.h"

#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "mem.h"

#define EMPTY UINT64_MAX

uint64_t xo_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static size_t find(const struct xo_u64map *m, uint64_t key)
{
	size_t mask = m->slots - 1, j = xo_mix64(key) & mask;
	while (m->keys[j] != EMPTY && m->keys[j] != key)
		j = (j + 1) & mask;
	return j;
}

static void resize(struct xo_u64map *m, size_t slots)
{
	uint64_t *keys = m->keys, *vals = m->vals;
	size_t old = m->slots;
	m->keys = xo_big_calloc(slots * sizeof *m->keys);
	memset(m->keys, 0xff, slots * sizeof *m->keys);
	m->vals = xo_big_calloc(slots * sizeof *m->vals);
	m->slots = slots;
	for (size_t i = 0; i < old; i++) {
		if (keys[i] == EMPTY)
			continue;
		size_t j = find(m, keys[i]);
		m->keys[j] = keys[i];
		m->vals[j] = vals[i];
	}
	xo_big_free(keys, old * sizeof *keys);
	xo_big_free(vals, old * sizeof *vals);
}

uint64_t *xo_u64map_ref(struct xo_u64map *m, uint64_t key)
{
	if (key == EMPTY) {
		if (!m->has_max) {
			m->has_max = 1;
			m->max_val = 0;
			m->n++;
		}
		return &m->max_val;
	}
	if ((m->n + 1) * 10 > m->slots * 7)
		resize(m, m->slots ? m->slots * 2 : 64);
	size_t j = find(m, key);
	if (m->keys[j] == EMPTY) {
		m->keys[j] = key;
		m->vals[j] = 0;
		m->n++;
	}
	return &m->vals[j];
}

int xo_u64map_put(struct xo_u64map *m, uint64_t key, uint64_t val)
{
	size_t before = m->n;
	*xo_u64map_ref(m, key) = val;
	return m->n > before;
}

int xo_u64map_get(const struct xo_u64map *m, uint64_t key, uint64_t *val)
{
	if (key == EMPTY) {
		if (m->has_max && val)
			*val = m->max_val;
		return m->has_max;
	}
	if (m->slots == 0)
		return 0;
	size_t j = find(m, key);
	if (m->keys[j] == EMPTY)
		return 0;
	if (val)
		*val = m->vals[j];
	return 1;
}

void xo_u64map_each(const struct xo_u64map *m, void (*fn)(void *ctx, uint64_t key, uint64_t val),
		    void *ctx)
{
	for (size_t i = 0; i < m->slots; i++)
		if (m->keys[i] != EMPTY)
			fn(ctx, m->keys[i], m->vals[i]);
	if (m->has_max)
		fn(ctx, EMPTY, m->max_val);
}

void xo_u64map_free(struct xo_u64map *m)
{
	xo_big_free(m->keys, m->slots * sizeof *m->keys);
	xo_big_free(m->vals, m->slots * sizeof *m->vals);
	memset(m, 0, sizeof *m);
}

void xo_u64_sort(uint64_t *a, size_t n)
{
	if (n < 2)
		return;
	uint64_t *tmp = xo_big_calloc(n * sizeof *tmp), *src = a, *dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(src[i] >> shift & 0xff) + 1]++;
		if (count[(src[0] >> shift & 0xff) + 1] == n)
			continue; /* every key has this byte alike */
		for (size_t b = 1; b < 257; b++)
			count[b] += count[b - 1];
		for (size_t i = 0; i < n; i++)
			dst[count[src[i] >> shift & 0xff]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
	xo_big_free(tmp, n * sizeof *tmp);
}
