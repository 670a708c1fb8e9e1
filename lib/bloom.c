#include "bloom.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "mem.h"

void xo_bloom_init(struct xo_bloom *f, size_t bytes, unsigned probes)
{
	size_t words = 1;
	while (words * 2 * sizeof(uint64_t) <= bytes)
		words *= 2;
	f->bits = xo_calloc(words, sizeof *f->bits);
	f->n_bits = (uint64_t)words * 64;
	f->probes = probes ? probes : 1;
}

int xo_bloom_add(struct xo_bloom *f, const void *key, size_t len)
{
	/* Two hashes make all the probes (Kirsch and Mitzenmacher). */
	static const struct xo_hash_key second = { 0x626c6f6f6d786f31ULL, 0x9e3779b97f4a7c15ULL };
	uint64_t h1 = xo_siphash(&XO_HASH_PUBLIC, key, len);
	uint64_t h2 = xo_siphash(&second, key, len) | 1;
	int seen = 1;
	for (unsigned i = 0; i < f->probes; i++) {
		uint64_t bit = (h1 + i * h2) & (f->n_bits - 1);
		uint64_t mask = UINT64_C(1) << (bit & 63);
		if (!(f->bits[bit >> 6] & mask)) {
			seen = 0;
			f->bits[bit >> 6] |= mask;
		}
	}
	return seen;
}

void xo_bloom_free(struct xo_bloom *f)
{
	free(f->bits);
	memset(f, 0, sizeof *f);
}
