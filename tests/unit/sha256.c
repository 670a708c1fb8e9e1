/* Unit tests for lib/sha256 (FIPS 180-4 and RFC 4231 vectors) and
 * lib/pseudo. */
#include <stdlib.h>

#include "pseudo.h"
#include "sha256.h"
#include "unit.h"

static const char *hex(const unsigned char *d, size_t n)
{
	static char out[129];
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
	return out;
}

static const char *sha(const char *s, size_t repeat)
{
	struct xo_sha256 c;
	unsigned char d[32];
	xo_sha256_init(&c);
	for (size_t i = 0; i < repeat; i++)
		xo_sha256_add(&c, s, strlen(s));
	xo_sha256_end(&c, d);
	return hex(d, 32);
}

int main(void)
{
	CHECK_STR(sha("", 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256 empty");
	CHECK_STR(sha("abc", 1), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256 abc");
	CHECK_STR(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1),
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "sha256 two blocks");
	CHECK_STR(sha("a", 1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "sha256 a million a");
	unsigned char mac[32], key[20];
	memset(key, 0x0b, sizeof key);
	xo_hmac_sha256(key, 20, "Hi There", 8, mac);
	CHECK_STR(hex(mac, 32), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "RFC 4231 case 1");
	xo_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	CHECK_STR(hex(mac, 32), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "RFC 4231 case 2");
	unsigned char big[131];
	memset(big, 0xaa, sizeof big);
	const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
	xo_hmac_sha256(big, 131, msg, strlen(msg), mac);
	CHECK_STR(hex(mac, 32), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "RFC 4231 case 6 (long key)");

	struct xo_buf err = XO_BUF_INIT, out = XO_BUF_INIT;
	unsetenv("XO_HASH_KEY_FILE");
	setenv("XO_HASH_KEY", "short", 1);
	CHECK(xo_pseudo_open(NULL, &err) == NULL, "a short key is refused");
	CHECK_STR(err.data, "the hash key must be 16 to 4096 bytes, not 5", "with why");
	setenv("XO_HASH_KEY", "0123456789abcdef-secret", 1);
	struct xo_pseudo *p = xo_pseudo_open(NULL, &err);
	CHECK(p != NULL, "a key from XO_HASH_KEY");
	xo_pseudo_of(p, "email", "anna@example.it", 15, &out);
	/* HMAC-SHA-256("0123456789abcdef-secret", "email:anna@example.it"), first 10 bytes */
	xo_hmac_sha256("0123456789abcdef-secret", 23, "email:anna@example.it", 21, mac);
	char want[40] = "h:";
	strcat(want, hex(mac, 10));
	CHECK_STR(out.data, want, "pseudonym is h: + 20 hex digits of the HMAC of kind:value");
	CHECK_INT(out.len, 22, "22 characters");
	xo_pseudo_free(p);
	xo_buf_free(&err);
	xo_buf_free(&out);
	return unit_done();
}
