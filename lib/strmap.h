/* strmap: a hash table from byte-string keys to pointers, for grouping
 * records by key (metrics groups, driver factors, customers).
 *
 * The map owns copies of its keys; values are the caller's, released
 * by the function given to xo_strmap_free(). Entries keep the order in
 * which they were first added.
 */
#ifndef XO_STRMAP_H
#define XO_STRMAP_H

#include <stddef.h>

struct xo_strmap_entry {
	char *key;   /* NUL-terminated copy; may hold NULs before len */
	size_t len;
	void *value;
};

struct xo_strmap {
	struct xo_strmap_entry *entries; /* in insertion order */
	size_t n, cap;
	size_t *slots;                   /* index + 1 into entries; 0 empty */
	size_t n_slots;                  /* a power of two */
};

void xo_strmap_init(struct xo_strmap *m);
/* The value slot of key, added with value NULL (and *added set) when new. */
void **xo_strmap_slot(struct xo_strmap *m, const char *key, size_t len, int *added);
/* The value of key, or NULL. */
void *xo_strmap_get(const struct xo_strmap *m, const char *key, size_t len);
/* Sort the entries by key bytes (shorter first on a common prefix).
 * Lookups keep working. */
void xo_strmap_sort(struct xo_strmap *m);
/* Free keys and table; free_value (may be NULL) on each value. */
void xo_strmap_free(struct xo_strmap *m, void (*free_value)(void *));

#endif
