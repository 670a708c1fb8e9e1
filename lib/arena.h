/* arena: many small allocations freed all at once.
 *
 * Memory comes from chunks that never move, so pointers into an arena
 * stay valid until xo_arena_reset() or xo_arena_free(). The arena owns
 * every chunk; nothing allocated from it is freed on its own. Used for
 * the compact per-event data of xo-journey, where millions of small
 * strings would otherwise cost a malloc header each.
 */
#ifndef XO_ARENA_H
#define XO_ARENA_H

#include <stddef.h>

struct xo_arena_chunk;

struct xo_arena {
	struct xo_arena_chunk *head; /* the chunk being filled */
	size_t used;                 /* bytes used in head */
	size_t chunk_size;           /* size of ordinary chunks */
	size_t total;                /* bytes in all chunks, for reports */
};

#define XO_ARENA_INIT { NULL, 0, 0, 0 }

/* size bytes aligned to align (a power of two, at most 16); never NULL. */
void *xo_arena_alloc(struct xo_arena *a, size_t size, size_t align);
/* A NUL-terminated copy of s[0..len). */
char *xo_arena_strndup(struct xo_arena *a, const char *s, size_t len);
/* Forget everything but keep the first chunk for reuse. */
void xo_arena_reset(struct xo_arena *a);
void xo_arena_free(struct xo_arena *a);

#endif
