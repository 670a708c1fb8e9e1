/* sha256: SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), for keyed
 * pseudonyms of personal data. Not for speed-critical paths.
 */
#ifndef XO_SHA256_H
#define XO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define XO_SHA256_SIZE 32

struct xo_sha256 {
	uint32_t state[8];
	uint64_t length;     /* bytes hashed */
	unsigned char block[64];
	size_t used;
};

void xo_sha256_init(struct xo_sha256 *s);
void xo_sha256_add(struct xo_sha256 *s, const void *data, size_t len);
void xo_sha256_end(struct xo_sha256 *s, unsigned char out[XO_SHA256_SIZE]);

void xo_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		    unsigned char out[XO_SHA256_SIZE]);

#endif
