#include "jpath.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "out.h"

struct segment {
	char *key;   /* NULL for an index */
	long index;
};

struct xo_path {
	char *text;
	struct segment *segs;
	size_t n;
};

static void add_segment(struct xo_path *p, size_t *cap, char *key, long index)
{
	p->segs = xo_grow(p->segs, cap, p->n + 1, sizeof *p->segs);
	p->segs[p->n].key = key;
	p->segs[p->n].index = index;
	p->n++;
}

/* ["quoted key"] or [N]; *s points after '['. */
static int bracket(struct xo_path *p, size_t *cap, const char **s, struct xo_buf *err)
{
	const char *q = *s;
	if (*q == '"') {
		struct xo_buf key = XO_BUF_INIT;
		for (q++; *q && *q != '"'; q++) {
			if (*q == '\\' && q[1])
				q++;
			xo_buf_addc(&key, *q);
		}
		if (*q != '"' || q[1] != ']') {
			xo_buf_free(&key);
			xo_buf_adds(err, "unclosed [\"...\"]");
			return -1;
		}
		add_segment(p, cap, xo_buf_steal(&key), 0);
		*s = q + 2;
		return 0;
	}
	char *end;
	long index = strtol(q, &end, 10);
	if (end == q || *end != ']') {
		xo_buf_adds(err, "expected a number or a quoted key inside [ ]");
		return -1;
	}
	add_segment(p, cap, NULL, index);
	*s = end + 1;
	return 0;
}

struct xo_path *xo_path_compile(const char *text, struct xo_buf *err)
{
	struct xo_path *p = xo_calloc(1, sizeof *p);
	size_t cap = 0;
	p->text = xo_strdup(text);
	const char *s = text;
	if (*s == '.')
		s++; /* jq style ".cx.nps" */
	if (*s == '\0') {
		xo_buf_adds(err, "empty path");
		goto fail;
	}
	while (*s) {
		if (*s == '[') {
			s++;
			if (bracket(p, &cap, &s, err) != 0)
				goto fail;
		} else {
			size_t len = strcspn(s, ".[");
			if (len == 0) {
				xo_buf_printf(err, "empty name in path '%s'", text);
				goto fail;
			}
			add_segment(p, &cap, xo_strndup(s, len), 0);
			s += len;
		}
		if (*s == '.') {
			s++;
			if (*s == '\0') {
				xo_buf_printf(err, "path '%s' ends with '.'", text);
				goto fail;
			}
		}
	}
	return p;
fail:
	xo_path_free(p);
	return NULL;
}

json_t *xo_path_get(const struct xo_path *p, const json_t *root)
{
	json_t *v = (json_t *)root;
	for (size_t i = 0; i < p->n && v; i++) {
		const struct segment *seg = &p->segs[i];
		if (seg->key) {
			v = json_is_object(v) ? json_object_get(v, seg->key) : NULL;
		} else if (json_is_array(v)) {
			long n = (long)json_array_size(v);
			long at = seg->index < 0 ? n + seg->index : seg->index;
			v = at >= 0 && at < n ? json_array_get(v, (size_t)at) : NULL;
		} else {
			v = NULL;
		}
	}
	return v;
}

int xo_path_set(const struct xo_path *p, json_t *root, json_t *value)
{
	json_t *v = root;
	for (size_t i = 0; i + 1 < p->n; i++) {
		if (!p->segs[i].key || !json_is_object(v))
			goto fail;
		json_t *next = json_object_get(v, p->segs[i].key);
		if (!next) {
			next = json_object();
			json_object_set_new(v, p->segs[i].key, next);
		}
		v = next;
	}
	if (!p->segs[p->n - 1].key || !json_is_object(v))
		goto fail;
	json_object_set_new(v, p->segs[p->n - 1].key, value);
	return 0;
fail:
	json_decref(value);
	return -1;
}

int xo_path_del(const struct xo_path *p, json_t *root)
{
	json_t *v = root;
	for (size_t i = 0; i + 1 < p->n && v; i++)
		v = p->segs[i].key && json_is_object(v) ? json_object_get(v, p->segs[i].key) : NULL;
	if (!v || !json_is_object(v) || !p->segs[p->n - 1].key)
		return -1;
	return json_object_del(v, p->segs[p->n - 1].key);
}

const char *xo_path_text(const struct xo_path *p)
{
	return p->text;
}

size_t xo_path_length(const struct xo_path *p)
{
	return p->n;
}

const char *xo_path_key(const struct xo_path *p, size_t i, long *index)
{
	*index = p->segs[i].index;
	return p->segs[i].key;
}

void xo_path_free(struct xo_path *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->segs[i].key);
	free(p->segs);
	free(p->text);
	free(p);
}

json_t *xo_path_lookup(const json_t *root, const char *dotted)
{
	json_t *v = (json_t *)root;
	const char *s = dotted;
	char key[256];
	while (v && *s) {
		size_t len = strcspn(s, ".");
		if (len >= sizeof key)
			return NULL;
		memcpy(key, s, len);
		key[len] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
		s += len;
		if (*s == '.')
			s++;
	}
	return v;
}

void xo_json_text(struct xo_buf *out, const json_t *value)
{
	if (!value || json_is_null(value))
		return;
	if (json_is_string(value)) {
		xo_buf_add(out, json_string_value(value), json_string_length(value));
		return;
	}
	char *text = json_dumps(value, XO_JSON_FLAGS | JSON_ENCODE_ANY);
	if (text) {
		xo_buf_adds(out, text);
		free(text);
	}
}
