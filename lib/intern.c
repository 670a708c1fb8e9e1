#include "intern.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "diag.h"
#include "mem.h"

static uint32_t hash_of(const char *s, size_t len)
{
	uint64_t h = xo_siphash(&XO_HASH_PUBLIC, s, len);
	return (uint32_t)(h ^ h >> 32);
}

static void rehash(struct xo_intern *t, size_t n_slots)
{
	free(t->slots);
	t->slots = xo_calloc(n_slots, sizeof *t->slots);
	t->n_slots = n_slots;
	for (uint32_t n = 1; n <= t->count; n++) {
		size_t i = t->hashes[n] & (n_slots - 1);
		while (t->slots[i])
			i = (i + 1) & (n_slots - 1);
		t->slots[i] = n;
	}
}

static uint32_t lookup(const struct xo_intern *t, const char *s, size_t len,
		       uint32_t h, size_t *slot)
{
	size_t mask = t->n_slots - 1;
	size_t i = h & mask;
	for (uint32_t n; (n = t->slots[i]) != 0; i = (i + 1) & mask) {
		if (t->hashes[n] == h && t->lens[n] == len && memcmp(t->strs[n], s, len) == 0)
			return n;
	}
	*slot = i;
	return 0;
}

uint32_t xo_intern_find(const struct xo_intern *t, const char *s, size_t len)
{
	if (t->n_slots == 0)
		return 0;
	size_t slot;
	return lookup(t, s, len, hash_of(s, len), &slot);
}

uint32_t xo_intern(struct xo_intern *t, const char *s, size_t len)
{
	if (len > UINT32_MAX)
		len = UINT32_MAX; /* keys are field values: never this long */
	if (t->n_slots == 0)
		rehash(t, 64);
	uint32_t h = hash_of(s, len);
	size_t slot;
	uint32_t n = lookup(t, s, len, h, &slot);
	if (n)
		return n;
	if (t->count == UINT32_MAX - 1)
		xo_die(XO_EXIT_INTERNAL, "more than %u distinct strings", UINT32_MAX - 1);
	n = ++t->count;
	if ((size_t)n + 1 > t->cap) {
		size_t cap = t->cap;
		t->strs = xo_grow(t->strs, &cap, (size_t)n + 1, sizeof *t->strs);
		cap = t->cap;
		t->lens = xo_grow(t->lens, &cap, (size_t)n + 1, sizeof *t->lens);
		cap = t->cap;
		t->hashes = xo_grow(t->hashes, &cap, (size_t)n + 1, sizeof *t->hashes);
		t->cap = cap;
	}
	t->strs[n] = xo_arena_strndup(&t->arena, s, len);
	t->lens[n] = (uint32_t)len;
	t->hashes[n] = h;
	t->slots[slot] = n;
	/* Keep the load under a half: probes stay short. */
	if ((size_t)n * 2 > t->n_slots)
		rehash(t, t->n_slots * 2);
	return n;
}

void xo_intern_reset(struct xo_intern *t)
{
	if (t->count == 0)
		return;
	t->count = 0;
	if (t->n_slots > 1024) {
		free(t->slots);
		t->slots = NULL;
		t->n_slots = 0;
	} else {
		memset(t->slots, 0, t->n_slots * sizeof *t->slots);
	}
	xo_arena_reset(&t->arena);
}

void xo_intern_free(struct xo_intern *t)
{
	free(t->slots);
	free(t->strs);
	free(t->lens);
	free(t->hashes);
	xo_arena_free(&t->arena);
	memset(t, 0, sizeof *t);
}

size_t xo_intern_bytes(const struct xo_intern *t)
{
	return t->n_slots * sizeof *t->slots +
	       t->cap * (sizeof *t->strs + sizeof *t->lens + sizeof *t->hashes) + t->arena.total;
}
