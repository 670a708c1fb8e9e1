#include "join.h"

#include <string.h>

#include "buf.h"
#include "records.h"

void xo_join_load(json_t **table, const char *path, struct xo_rejects *rejects)
{
	if (!*table)
		*table = json_object();
	struct xo_records r;
	char *paths[1] = { (char *)path };
	xo_records_open(&r, paths, 1, rejects);
	json_t *rec;
	while ((rec = xo_records_next(&r)) != NULL) {
		const json_t *xid = json_object_get(rec, "xid");
		if (json_is_string(xid) && json_string_length(xid) > 0) {
			json_object_set_new(*table, json_string_value(xid), rec);
			continue;
		}
		char *raw = json_dumps(rec, JSON_COMPACT);
		if (rejects)
			xo_rejects_add(rejects, xo_records_file(&r), xo_records_line(&r), raw ? raw : "",
				       raw ? strlen(raw) : 0, "no \"xid\" string");
		free(raw);
		json_decref(rec);
	}
	xo_records_close(&r);
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
		const json_t *stored = json_object_get(j->context, id);
		doc = stored ? json_copy((json_t *)stored) : json_object();
		json_object_set(doc, "xid", (json_t *)xid);
		const json_t *steps = json_object_get(doc, "steps");
		json_t *copy = json_is_array(steps) ? json_copy((json_t *)steps) : json_array();
		json_array_append_new(copy, event_step(rec));
		json_object_set_new(doc, "steps", copy);
		json_object_set_new(doc, "event", rec);
	}
	if (j->profiles && id) {
		json_t *p = json_object_get(j->profiles, id);
		if (p)
			json_object_set(doc, "profile", p);
	}
	return doc;
}

json_t *xo_join_lookup(const struct xo_join *j, const char *xid)
{
	json_t *stored = j->context ? json_object_get(j->context, xid) : NULL;
	json_t *doc;
	if (stored) {
		doc = json_deep_copy(stored);
	} else if (j->profiles && json_object_get(j->profiles, xid)) {
		doc = json_object();
		json_object_set_new(doc, "xid", json_string(xid));
	} else {
		return NULL;
	}
	json_t *p = j->profiles ? json_object_get(j->profiles, xid) : NULL;
	if (p)
		json_object_set_new(doc, "profile", json_deep_copy(p));
	return doc;
}

void xo_join_free(struct xo_join *j)
{
	json_decref(j->context);
	json_decref(j->profiles);
	j->context = j->profiles = NULL;
}
