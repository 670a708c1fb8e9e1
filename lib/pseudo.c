#include "pseudo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "diag.h"
#include "idnorm.h"
#include "mem.h"
#include "sha256.h"

#define MIN_KEY 16
#define MAX_KEY 4096

struct xo_pseudo {
	unsigned char *key;
	size_t len;
	struct xo_placeholders *builtin;
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
	p->builtin = xo_placeholders_new(1);
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
	xo_placeholders_free(p->builtin);
	free(p);
}

void xo_pseudo_value(const struct xo_pseudo *p, const char *kind, const char *value, size_t len,
		     struct xo_buf *out)
{
	if (xo_placeholder(p->builtin, kind, value, len))
		xo_buf_adds(out, XO_PSEUDO_PLACEHOLDER);
	else
		xo_pseudo_of(p, kind, value, len, out);
}

int xo_pseudo_is(const char *s, size_t len)
{
	size_t prefix = sizeof XO_PSEUDO_PREFIX - 1;
	if (len != prefix + XO_PSEUDO_HEX || memcmp(s, XO_PSEUDO_PREFIX, prefix) != 0)
		return 0;
	for (size_t i = prefix; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

void xo_pseudo_id(const struct xo_pseudo *p, const char *kind, const char *value, size_t len,
		  struct xo_buf *out)
{
	if (xo_pseudo_is(value, len)) {
		xo_buf_add(out, value, len);
		return;
	}
	struct xo_buf norm = XO_BUF_INIT;
	xo_idnorm(kind, value, len, &norm);
	xo_pseudo_value(p, kind, norm.data ? norm.data : "", norm.len, out);
	xo_buf_free(&norm);
}

/* The pseudonym of a string or number value, or NULL to leave it. */
static json_t *pseudo_value(const struct xo_pseudo *p, const char *kind, const json_t *v,
			    struct xo_buf *tmp)
{
	xo_buf_reset(tmp);
	if (json_is_string(v)) {
		xo_pseudo_id(p, kind, json_string_value(v), json_string_length(v), tmp);
	} else if (json_is_number(v)) {
		char num[64];
		int n = json_is_integer(v) ?
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) :
			snprintf(num, sizeof num, "%.17g", json_real_value(v));
		xo_pseudo_id(p, kind, num, (size_t)n, tmp);
	} else {
		return NULL;
	}
	return json_stringn(tmp->data, tmp->len);
}

static void pseudo_ids(const struct xo_pseudo *p, json_t *ids, struct xo_buf *tmp)
{
	const char *kind;
	json_t *v;
	json_object_foreach(ids, kind, v) {
		json_t *h = pseudo_value(p, kind, v, tmp);
		if (h) {
			json_object_set_new(ids, kind, h);
			continue;
		}
		/* A golden profile lists each kind's values with counts. */
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			json_t *target = json_is_object(item) ? item : v;
			const char *key = json_is_object(item) ? "value" : NULL;
			json_t *old = key ? json_object_get(item, key) : item;
			if (!(h = pseudo_value(p, kind, old, tmp)))
				continue;
			if (key)
				json_object_set_new(target, key, h);
			else
				json_array_set_new(target, i, h);
		}
	}
}

void xo_pseudo_record(const struct xo_pseudo *p, json_t *rec)
{
	if (!p || !json_is_object(rec))
		return;
	struct xo_buf tmp = XO_BUF_INIT;
	json_t *ids = json_object_get(rec, "ids");
	if (json_is_object(ids))
		pseudo_ids(p, ids, &tmp);
	ids = json_object_get(json_object_get(rec, "profile"), "ids");
	if (json_is_object(ids))
		pseudo_ids(p, ids, &tmp);
	xo_buf_free(&tmp);
}

struct xo_pseudo *xo_pseudo_for_cli(const struct xo_cli *cli, int hash_ids, const char *key_file)
{
	if (key_file && !hash_ids)
		xo_cli_usage_error(cli, "--hash-key-file goes with --hash-ids");
	if (!hash_ids)
		return NULL;
	struct xo_buf err = XO_BUF_INIT;
	struct xo_pseudo *p = xo_pseudo_open(key_file, &err);
	if (!p)
		xo_die(XO_EXIT_USAGE, "%s", xo_buf_str(&err));
	return p;
}
