#include "hash.h"

const struct xo_hash_key XO_HASH_PUBLIC = { 0, 0 };

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sipround(struct xo_hasher *h)
{
	h->v0 += h->v1;
	h->v1 = ROTL(h->v1, 13);
	h->v1 ^= h->v0;
	h->v0 = ROTL(h->v0, 32);
	h->v2 += h->v3;
	h->v3 = ROTL(h->v3, 16);
	h->v3 ^= h->v2;
	h->v0 += h->v3;
	h->v3 = ROTL(h->v3, 21);
	h->v3 ^= h->v0;
	h->v2 += h->v1;
	h->v1 = ROTL(h->v1, 17);
	h->v1 ^= h->v2;
	h->v2 = ROTL(h->v2, 32);
}

static void compress(struct xo_hasher *h, uint64_t m)
{
	h->v3 ^= m;
	sipround(h);
	sipround(h);
	h->v0 ^= m;
}

void xo_hasher_init(struct xo_hasher *h, const struct xo_hash_key *key)
{
	h->v0 = key->k0 ^ UINT64_C(0x736f6d6570736575);
	h->v1 = key->k1 ^ UINT64_C(0x646f72616e646f6d);
	h->v2 = key->k0 ^ UINT64_C(0x6c7967656e657261);
	h->v3 = key->k1 ^ UINT64_C(0x7465646279746573);
	h->tail = 0;
	h->tail_len = 0;
	h->total = 0;
}

static uint64_t load_le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

void xo_hasher_add(struct xo_hasher *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	h->total += len;
	/* Finish a partial word, then whole words, then keep the tail.
	 * Bytes are taken little-endian whatever the host's order. */
	while (len > 0 && h->tail_len > 0) {
		h->tail |= (uint64_t)*p++ << (8 * h->tail_len);
		len--;
		if (++h->tail_len == 8) {
			compress(h, h->tail);
			h->tail = 0;
			h->tail_len = 0;
		}
	}
	for (; len >= 8; p += 8, len -= 8)
		compress(h, load_le64(p));
	for (; len > 0; len--)
		h->tail |= (uint64_t)*p++ << (8 * h->tail_len++);
}

uint64_t xo_hasher_end(struct xo_hasher *h)
{
	uint64_t b = (h->total & 0xff) << 56 | h->tail;
	compress(h, b);
	h->v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		sipround(h);
	return h->v0 ^ h->v1 ^ h->v2 ^ h->v3;
}

uint64_t xo_siphash(const struct xo_hash_key *key, const void *data, size_t len)
{
	struct xo_hasher h;
	xo_hasher_init(&h, key);
	xo_hasher_add(&h, data, len);
	return xo_hasher_end(&h);
}

void xo_hash_hex(uint64_t v, char out[17])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 15; i >= 0; i--) {
		out[i] = hex[v & 15];
		v >>= 4;
	}
	out[16] = '\0';
}
