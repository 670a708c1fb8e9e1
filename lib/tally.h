/* tally: counts by text key (actions, channels, sources, reasons), for
 * reports.
 *
 * Keys are copied; the tally owns them. Memory grows with the number of
 * distinct keys, not with the counts.
 */
#ifndef XO_TALLY_H
#define XO_TALLY_H

#include <stddef.h>

struct xo_tally_entry {
	const char *key;  /* owned by the tally */
	size_t len;
	double count;
};

struct xo_tally;

struct xo_tally *xo_tally_new(void);
void xo_tally_free(struct xo_tally *t);
/* Add n to the count of key[0..len). */
void xo_tally_add(struct xo_tally *t, const char *key, size_t len, double n);
/* The count of key, 0 when never added. */
double xo_tally_get(const struct xo_tally *t, const char *key, size_t len);
/* Distinct keys, and the sum of all counts. */
size_t xo_tally_size(const struct xo_tally *t);
double xo_tally_total(const struct xo_tally *t);
/* The entries, largest count first, equal counts by key (bytes); valid
 * until the tally changes. *n is set to their number. */
const struct xo_tally_entry *xo_tally_sorted(struct xo_tally *t, size_t *n);

#endif
