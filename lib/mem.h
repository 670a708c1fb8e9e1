/* mem: allocation that cannot fail silently.
 *
 * Every xo allocation goes through these. On failure they print
 * "PROG: out of memory" and exit with XO_EXIT_INTERNAL, so callers never
 * see NULL. The caller owns what they return and releases it with free().
 */
#ifndef XO_MEM_H
#define XO_MEM_H

#include <stddef.h>

void *xo_malloc(size_t size);
void *xo_calloc(size_t count, size_t size);
void *xo_realloc(void *ptr, size_t size);
/* Grow an array of *cap elements of size elem so that it holds at least need. */
void *xo_grow(void *array, size_t *cap, size_t need, size_t elem);
char *xo_strdup(const char *s);
char *xo_strndup(const char *s, size_t n);

#endif
