#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "mem.h"

void xo_strmap_init(struct xo_strmap *m)
{
	memset(m, 0, sizeof *m);
}

static size_t home(const struct xo_strmap *m, const char *key, size_t len)
{
	return (size_t)xo_siphash(&XO_HASH_PUBLIC, key, len) & (m->n_slots - 1);
}

static void rehash(struct xo_strmap *m)
{
	free(m->slots);
	m->n_slots = m->n_slots ? m->n_slots * 2 : 64;
	m->slots = xo_calloc(m->n_slots, sizeof *m->slots);
	for (size_t i = 0; i < m->n; i++) {
		size_t s = home(m, m->entries[i].key, m->entries[i].len);
		while (m->slots[s])
			s = (s + 1) & (m->n_slots - 1);
		m->slots[s] = i + 1;
	}
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find(const struct xo_strmap *m, const char *key, size_t len)
{
	size_t s = home(m, key, len);
	for (;;) {
		size_t at = m->slots[s];
		if (!at)
			return s;
		const struct xo_strmap_entry *e = &m->entries[at - 1];
		if (e->len == len && memcmp(e->key, key, len) == 0)
			return s;
		s = (s + 1) & (m->n_slots - 1);
	}
}

void **xo_strmap_slot(struct xo_strmap *m, const char *key, size_t len, int *added)
{
	if ((m->n + 1) * 2 > m->n_slots)
		rehash(m);
	size_t s = find(m, key, len);
	if (added)
		*added = !m->slots[s];
	if (m->slots[s])
		return &m->entries[m->slots[s] - 1].value;
	m->entries = xo_grow(m->entries, &m->cap, m->n + 1, sizeof *m->entries);
	struct xo_strmap_entry *e = &m->entries[m->n];
	e->key = xo_malloc(len + 1);
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	e->len = len;
	e->value = NULL;
	m->slots[s] = ++m->n;
	return &e->value;
}

void *xo_strmap_get(const struct xo_strmap *m, const char *key, size_t len)
{
	if (!m->n_slots)
		return NULL;
	size_t s = find(m, key, len);
	return m->slots[s] ? m->entries[m->slots[s] - 1].value : NULL;
}

static int by_key(const void *a, const void *b)
{
	const struct xo_strmap_entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

void xo_strmap_sort(struct xo_strmap *m)
{
	if (m->n < 2)
		return;
	qsort(m->entries, m->n, sizeof *m->entries, by_key);
	/* Slots point at entry positions, which have moved. */
	m->n_slots /= 2;
	rehash(m);
}

void xo_strmap_free(struct xo_strmap *m, void (*free_value)(void *))
{
	for (size_t i = 0; i < m->n; i++) {
		if (free_value)
			free_value(m->entries[i].value);
		free(m->entries[i].key);
	}
	free(m->entries);
	free(m->slots);
	memset(m, 0, sizeof *m);
}
