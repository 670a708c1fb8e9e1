#include "arena.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define ARENA_FIRST_CHUNK (16 * 1024)
#define ARENA_MAX_CHUNK (4 * 1024 * 1024)

struct xo_arena_chunk {
	struct xo_arena_chunk *next; /* older chunks */
	size_t size;                 /* bytes in data */
	_Alignas(16) unsigned char data[];
};

static void new_chunk(struct xo_arena *a, size_t need)
{
	/* Chunks double up to a limit so that small arenas (one customer)
	 * stay small and big ones do not call malloc often. */
	size_t size = a->chunk_size ? a->chunk_size : ARENA_FIRST_CHUNK;
	if (a->chunk_size && size < ARENA_MAX_CHUNK)
		size *= 2;
	a->chunk_size = size;
	if (need > size)
		size = need;
	/* Zeroed: PCRE2's JIT reads a little past the end of a subject, and
	 * valgrind must not see it read garbage. */
	struct xo_arena_chunk *c = xo_calloc(1, sizeof *c + size);
	c->size = size;
	c->next = a->head;
	a->head = c;
	a->used = 0;
	a->total += size;
}

void *xo_arena_alloc(struct xo_arena *a, size_t size, size_t align)
{
	size_t at = a->head ? (a->used + align - 1) & ~(align - 1) : 0;
	if (!a->head || at + size > a->head->size) {
		new_chunk(a, size);
		at = 0;
	}
	a->used = at + size;
	return a->head->data + at;
}

char *xo_arena_strndup(struct xo_arena *a, const char *s, size_t len)
{
	char *p = xo_arena_alloc(a, len + 1, 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void xo_arena_reset(struct xo_arena *a)
{
	if (!a->head)
		return;
	/* Keep the oldest chunk: it is the smallest, right for the next
	 * small use. */
	struct xo_arena_chunk *c = a->head, *keep = NULL;
	while (c) {
		struct xo_arena_chunk *next = c->next;
		if (next == NULL)
			keep = c;
		else
			free(c);
		c = next;
	}
	keep->next = NULL;
	a->head = keep;
	a->used = 0;
	a->total = keep->size;
	a->chunk_size = keep->size;
}

void xo_arena_free(struct xo_arena *a)
{
	struct xo_arena_chunk *c = a->head;
	while (c) {
		struct xo_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	memset(a, 0, sizeof *a);
}
