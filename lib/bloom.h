/* bloom: a fixed-size Bloom filter, "have I probably seen this key?".
 *
 * Used where remembering every key would break a memory bound: with
 * xo-journey --sorted, to notice a customer whose events come back after
 * another customer's. A yes may be wrong (with 2 million keys in 16 MiB
 * and 8 probes, for 1 key in 40 million; the rate climbs steeply with
 * more keys); a no is always right. The filter owns its bits.
 */
#ifndef XO_BLOOM_H
#define XO_BLOOM_H

#include <stddef.h>
#include <stdint.h>

struct xo_bloom {
	uint64_t *bits;
	uint64_t n_bits;   /* a power of two */
	unsigned probes;
};

/* bytes: the filter's size, rounded down to a power of two. */
void xo_bloom_init(struct xo_bloom *f, size_t bytes, unsigned probes);
/* Add key; returns 1 when it was (probably) there already. */
int xo_bloom_add(struct xo_bloom *f, const void *key, size_t len);
void xo_bloom_free(struct xo_bloom *f);

#endif
