#include "u64map.h"

#include <stdlib.h>
#include <string.h>

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
	m->keys = xo_malloc(slots * sizeof *m->keys);
	memset(m->keys, 0xff, slots * sizeof *m->keys);
	m->vals = xo_malloc(slots * sizeof *m->vals);
	m->slots = slots;
	for (size_t i = 0; i < old; i++) {
		if (keys[i] == EMPTY)
			continue;
		size_t j = find(m, keys[i]);
		m->keys[j] = keys[i];
		m->vals[j] = vals[i];
	}
	free(keys);
	free(vals);
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
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}
