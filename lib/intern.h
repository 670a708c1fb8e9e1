/* intern: a table of distinct byte strings, each given a small number.
 *
 * Numbers start at 1 (0 means "none") and follow the order in which the
 * strings were first seen, so a table also records first appearance.
 * The table owns its copies of the strings (NUL-terminated, in an
 * arena); pointers from xo_intern_str() stay valid until the table is
 * reset or freed. Keys may hold NUL bytes.
 */
#ifndef XO_INTERN_H
#define XO_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct xo_intern {
	uint32_t *slots;     /* open addressing: string numbers, 0 = empty */
	size_t n_slots;      /* a power of two */
	const char **strs;   /* strs[n]: the string numbered n */
	uint32_t *lens;
	uint32_t *hashes;
	uint32_t count;      /* strings held; the last number given */
	size_t cap;
	struct xo_arena arena;
};

#define XO_INTERN_INIT { NULL, 0, NULL, NULL, NULL, 0, 0, XO_ARENA_INIT }

/* The number of s[0..len), adding it when new. */
uint32_t xo_intern(struct xo_intern *t, const char *s, size_t len);
/* The number of s[0..len), or 0 when absent. */
uint32_t xo_intern_find(const struct xo_intern *t, const char *s, size_t len);
static inline const char *xo_intern_str(const struct xo_intern *t, uint32_t n)
{
	return t->strs[n];
}
static inline size_t xo_intern_len(const struct xo_intern *t, uint32_t n)
{
	return t->lens[n];
}
/* Forget every string; numbers start again at 1. */
void xo_intern_reset(struct xo_intern *t);
void xo_intern_free(struct xo_intern *t);
/* Bytes held, for memory reports. */
size_t xo_intern_bytes(const struct xo_intern *t);

#endif
