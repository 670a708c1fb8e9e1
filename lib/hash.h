/* hash: stable 64-bit hashes for ids (event ids, xids, shards).
 *
 * SipHash-2-4: fast on short keys, and keyed, so the same code serves
 * pseudonymization with a secret key. The value for a given input and
 * key never changes between versions or machines; stored state and
 * outputs depend on that.
 */
#ifndef XO_HASH_H
#define XO_HASH_H

#include <stddef.h>
#include <stdint.h>

struct xo_hash_key {
	uint64_t k0, k1;
};

/* The key of unkeyed ids: all zero. */
extern const struct xo_hash_key XO_HASH_PUBLIC;

uint64_t xo_siphash(const struct xo_hash_key *key, const void *data, size_t len);

/* Incremental form, for hashing several pieces as one. */
struct xo_hasher {
	uint64_t v0, v1, v2, v3;
	uint64_t tail;
	size_t tail_len;
	uint64_t total;
};

void xo_hasher_init(struct xo_hasher *h, const struct xo_hash_key *key);
void xo_hasher_add(struct xo_hasher *h, const void *data, size_t len);
uint64_t xo_hasher_end(struct xo_hasher *h);

/* 16 lower-case hex digits and a NUL. */
void xo_hash_hex(uint64_t v, char out[17]);

#endif
