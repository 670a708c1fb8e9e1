/* bigmem: large arrays (hash tables, per-event columns) that are read
 * at random, in memory the kernel may back with huge pages, so that
 * tens of millions of random reads do not each miss the TLB.
 *
 * xo_big_calloc() returns zeroed memory, xo_big_realloc() keeps the
 * contents; both die on OOM like xo_malloc(). Release with
 * xo_big_free(p, size), size being what was asked for. Small sizes
 * fall back to the ordinary allocator, so callers need not care.
 */
#ifndef XO_BIGMEM_H
#define XO_BIGMEM_H

#include <stddef.h>

void *xo_big_calloc(size_t size);
void *xo_big_realloc(void *p, size_t old_size, size_t new_size);
void xo_big_free(void *p, size_t size);

#endif
