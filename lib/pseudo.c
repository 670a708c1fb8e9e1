#include "pseudo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mem.h"
#include "sha256.h"

#define MIN_KEY 16
#define MAX_KEY 4096

struct xo_pseudo {
	unsigned char *key;
	size_t len;
};

static int read_key_file(const char *path, struct xo_buf *key, struct xo_buf *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		xo_buf_printf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(fp), &st) == 0 && (st.st_mode & 077)) {
		fclose(fp);
		xo_buf_printf(err, "%s: key file readable by others (chmod 600 it)", path);
		return -1;
	}
	char chunk[512];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && key->len <= MAX_KEY)
		xo_buf_add(key, chunk, n);
	int bad = ferror(fp);
	fclose(fp);
	if (bad) {
		xo_buf_printf(err, "%s: read error", path);
		return -1;
	}
	/* A trailing newline from an editor is not part of the key. */
	while (key->len && (key->data[key->len - 1] == '\n' || key->data[key->len - 1] == '\r'))
		key->len--;
	return 0;
}

struct xo_pseudo *xo_pseudo_open(const char *key_file, struct xo_buf *err)
{
	struct xo_buf key = XO_BUF_INIT;
	const char *file = key_file ? key_file : getenv("XO_HASH_KEY_FILE");
	const char *inline_key = getenv("XO_HASH_KEY");
	if (file && *file) {
		if (read_key_file(file, &key, err) != 0) {
			xo_buf_free(&key);
			return NULL;
		}
	} else if (inline_key && *inline_key) {
		xo_buf_adds(&key, inline_key);
	} else {
		xo_buf_adds(err, "--hash-ids needs a key: --hash-key-file FILE, or XO_HASH_KEY_FILE "
				 "or XO_HASH_KEY in the environment");
		return NULL;
	}
	if (key.len < MIN_KEY || key.len > MAX_KEY) {
		xo_buf_printf(err, "the hash key must be %d to %d bytes, not %zu", MIN_KEY, MAX_KEY, key.len);
		xo_buf_free(&key);
		return NULL;
	}
	struct xo_pseudo *p = xo_calloc(1, sizeof *p);
	p->len = key.len;
	p->key = (unsigned char *)xo_buf_steal(&key);
	return p;
}

void xo_pseudo_of(const struct xo_pseudo *p, const char *kind, const char *value, size_t len,
		  struct xo_buf *out)
{
	static const char hex[] = "0123456789abcdef";
	struct xo_buf msg = XO_BUF_INIT;
	xo_buf_adds(&msg, kind);
	xo_buf_addc(&msg, ':');
	xo_buf_add(&msg, value, len);
	unsigned char mac[XO_SHA256_SIZE];
	xo_hmac_sha256(p->key, p->len, msg.data, msg.len, mac);
	xo_buf_free(&msg);
	xo_buf_adds(out, XO_PSEUDO_PREFIX);
	for (int i = 0; i < XO_PSEUDO_HEX / 2; i++) {
		xo_buf_addc(out, hex[mac[i] >> 4]);
		xo_buf_addc(out, hex[mac[i] & 15]);
	}
}

void xo_pseudo_free(struct xo_pseudo *p)
{
	if (!p)
		return;
	memset(p->key, 0, p->len);
	free(p->key);
	free(p);
}
