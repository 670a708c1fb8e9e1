#include "join.h"

#include <string.h>

#include "buf.h"
#include "diag.h"
#include "evxid.h"
#include "mem.h"
#include "ndjson.h"
#include "records.h"
#include "strmap.h"

/* Where a record's text is in the table's text. */
struct span {
	size_t off, len;
};

struct xo_jtable {
	struct xo_strmap by_xid;   /* xid -> struct span (owned) */
	struct xo_buf text;        /* every record kept, one after the other */
};

static struct xo_jtable *table_new(void)
{
	struct xo_jtable *t = xo_calloc(1, sizeof *t);
	xo_strmap_init(&t->by_xid);
	return t;
}

static void table_put(struct xo_jtable *t, const char *xid, size_t xid_len, const char *rec,
		      size_t len)
{
	int added;
	void **slot = xo_strmap_slot(&t->by_xid, xid, xid_len, &added);
	if (added)
		*slot = xo_malloc(sizeof(struct span));
	struct span *s = *slot;
	s->off = t->text.len;
	s->len = len;
	xo_buf_add(&t->text, rec, len);
}

/* The stored record of xid as a new tree, or NULL. */
static json_t *table_get(const struct xo_jtable *t, const char *xid)
{
	if (!t)
		return NULL;
	const struct span *s = xo_strmap_get(&t->by_xid, xid, strlen(xid));
	if (!s)
		return NULL;
	json_t *rec;
	struct xo_buf why = XO_BUF_INIT;
	/* The text was read as a record when loaded: it parses again. */
	if (xo_ndjson_parse(t->text.data + s->off, s->len, &rec, &why) != XO_NDJSON_OBJECT)
		xo_die(XO_EXIT_INTERNAL, "join: a stored record no longer parses: %s",
		       xo_buf_str(&why));
	xo_buf_free(&why);
	return rec;
}

void xo_join_load(struct xo_jtable **table, const char *path, struct xo_rejects *rejects,
		  const struct xo_shard *shard)
{
	if (!*table)
		*table = table_new();
	struct xo_records r;
	char *paths[1] = { (char *)path };
	xo_records_open(&r, paths, 1, rejects);
	if (shard)
		r.shard = *shard;
	struct xo_buf xid = XO_BUF_INIT;
	const char *text;
	size_t len;
	const struct xo_jindex *ix;
	while (xo_records_next_scanned(&r, &text, &len, &ix)) {
		if (xo_jindex_string(text, ix, 0, "xid", 3, &xid) && xid.len > 0) {
			table_put(*table, xid.data, xid.len, text, len);
			continue;
		}
		if (rejects)
			xo_rejects_add(rejects, xo_records_file(&r), xo_records_line(&r), text, len,
				       "no \"xid\" string");
	}
	xo_buf_free(&xid);
	xo_records_close(&r);
}

int xo_join_text(const struct xo_join *j, const char *text, size_t len,
		 const struct xo_jindex *ix, struct xo_buf *out)
{
	if (j->context || xo_jindex_get(text, ix, 0, "profile", 7) != 0)
		return -1;
	if (!j->profiles || !xo_jindex_string(text, ix, 0, "xid", 3, out))
		return 0;
	/* As the tree's key: the xid up to a NUL it may hold. */
	const struct span *s = xo_strmap_get(&j->profiles->by_xid, out->data, strlen(xo_buf_str(out)));
	if (!s)
		return 0;
	int empty;
	size_t close = xo_evxid_close(text, len, &empty);
	xo_buf_reset(out);
	xo_buf_add(out, text, close);
	xo_buf_adds(out, empty ? "\"profile\":" : ",\"profile\":");
	xo_buf_add(out, j->profiles->text.data + s->off, s->len);
	xo_buf_addc(out, '}');
	return 1;
}

/* The event as a journey step. */
static json_t *event_step(const json_t *ev)
{
	json_t *step = json_object();
	const char *keys[] = { "ts", "channel", "type" };
	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(ev, keys[i]);
		if (v)
			json_object_set(step, keys[i], v);
	}
	const json_t *ch = json_object_get(ev, "channel"), *ty = json_object_get(ev, "type");
	if (json_is_string(ch) && json_is_string(ty)) {
		struct xo_buf tok = XO_BUF_INIT;
		xo_buf_printf(&tok, "%s:%s", json_string_value(ch), json_string_value(ty));
		json_object_set_new(step, "token", json_stringn(tok.data, tok.len));
		xo_buf_free(&tok);
	}
	return step;
}

json_t *xo_join_document(const struct xo_join *j, json_t *rec)
{
	const json_t *xid = json_object_get(rec, "xid");
	const char *id = json_is_string(xid) ? json_string_value(xid) : NULL;
	json_t *doc = rec;
	if (j->context && id) {
		json_t *stored = table_get(j->context, id);
		doc = stored ? stored : json_object();
		json_object_set(doc, "xid", (json_t *)xid);
		json_t *steps = json_object_get(doc, "steps");
		if (!json_is_array(steps)) {
			steps = json_array();
			json_object_set_new(doc, "steps", steps);
		}
		json_array_append_new(steps, event_step(rec));
		json_object_set_new(doc, "event", rec);
	}
	json_t *profile = id ? table_get(j->profiles, id) : NULL;
	if (profile)
		json_object_set_new(doc, "profile", profile);
	return doc;
}

json_t *xo_join_lookup(const struct xo_join *j, const char *xid)
{
	json_t *doc = table_get(j->context, xid);
	json_t *profile = table_get(j->profiles, xid);
	if (!doc && !profile)
		return NULL;
	if (!doc) {
		doc = json_object();
		json_object_set_new(doc, "xid", json_string(xid));
	}
	if (profile)
		json_object_set_new(doc, "profile", profile);
	return doc;
}

void xo_join_each_xid(const struct xo_jtable *t, void (*fn)(const char *xid, void *arg),
		      void *arg)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->by_xid.n; i++)
		fn(t->by_xid.entries[i].key, arg);
}

static void table_free(struct xo_jtable *t)
{
	if (!t)
		return;
	xo_strmap_free(&t->by_xid, free);
	xo_buf_free(&t->text);
	free(t);
}

void xo_join_free(struct xo_join *j)
{
	table_free(j->context);
	table_free(j->profiles);
	j->context = j->profiles = NULL;
}
