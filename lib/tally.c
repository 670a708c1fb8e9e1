#include "tally.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "mem.h"

struct xo_tally {
	struct xo_tally_entry *entries; /* in order of first add, then sorted */
	size_t n, cap;
	size_t *slots;                  /* open addressing: index + 1, 0 empty */
	size_t n_slots;
	double total;
	int sorted;
};

struct xo_tally *xo_tally_new(void)
{
	return xo_calloc(1, sizeof(struct xo_tally));
}

void xo_tally_free(struct xo_tally *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free((char *)t->entries[i].key);
	free(t->entries);
	free(t->slots);
	free(t);
}

static size_t slot_of(const struct xo_tally *t, const char *key, size_t len)
{
	size_t mask = t->n_slots - 1;
	size_t i = (size_t)xo_siphash(&XO_HASH_PUBLIC, key, len) & mask;
	for (;; i = (i + 1) & mask) {
		size_t e = t->slots[i];
		if (e == 0)
			return i;
		const struct xo_tally_entry *x = &t->entries[e - 1];
		if (x->len == len && memcmp(x->key, key, len) == 0)
			return i;
	}
}

/* The index, rebuilt from the entries (to grow, and after sorting). */
static void rehash(struct xo_tally *t, size_t n_slots)
{
	free(t->slots);
	t->n_slots = n_slots;
	t->slots = xo_calloc(n_slots, sizeof *t->slots);
	for (size_t i = 0; i < t->n; i++)
		t->slots[slot_of(t, t->entries[i].key, t->entries[i].len)] = i + 1;
}

void xo_tally_add(struct xo_tally *t, const char *key, size_t len, double n)
{
	if (t->n_slots == 0 || (t->n + 1) * 2 > t->n_slots)
		rehash(t, t->n_slots ? t->n_slots * 2 : 16);
	t->sorted = 0;
	t->total += n;
	size_t s = slot_of(t, key, len);
	if (t->slots[s]) {
		t->entries[t->slots[s] - 1].count += n;
		return;
	}
	t->entries = xo_grow(t->entries, &t->cap, t->n + 1, sizeof *t->entries);
	char *copy = xo_malloc(len + 1); /* keys may hold NUL bytes */
	memcpy(copy, key, len);
	copy[len] = '\0';
	t->entries[t->n] = (struct xo_tally_entry){ copy, len, n };
	t->slots[s] = ++t->n;
}

double xo_tally_get(const struct xo_tally *t, const char *key, size_t len)
{
	if (t->n_slots == 0)
		return 0;
	size_t s = slot_of(t, key, len);
	return t->slots[s] ? t->entries[t->slots[s] - 1].count : 0;
}

size_t xo_tally_size(const struct xo_tally *t)
{
	return t->n;
}

double xo_tally_total(const struct xo_tally *t)
{
	return t->total;
}

static int by_count(const void *a, const void *b)
{
	const struct xo_tally_entry *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

const struct xo_tally_entry *xo_tally_sorted(struct xo_tally *t, size_t *n)
{
	if (!t->sorted && t->n > 1) {
		qsort(t->entries, t->n, sizeof *t->entries, by_count);
		rehash(t, t->n_slots); /* entries moved */
	}
	t->sorted = 1;
	*n = t->n;
	return t->entries;
}
