#include "evcore.h"

#include <stdlib.h>
#include <string.h>

#include "jpath.h"
#include "mem.h"
#include "ndjson.h"

void xo_evcore_init(struct xo_evcore *e)
{
	memset(e, 0, sizeof *e);
}

void xo_evcore_free(struct xo_evcore *e)
{
	json_decref(e->obj);
	free(e->m.items);
	free(e->ids);
	free(e->offsets);
	xo_buf_free(&e->text);
	memset(e, 0, sizeof *e);
}

static void reset(struct xo_evcore *e)
{
	json_decref(e->obj);
	e->obj = NULL;
	e->n_ids = 0;
	e->id = NULL;
	e->id_len = 0;
	e->has_xid = 0;
	xo_buf_reset(&e->text);
}

/* Room for one more id; its value goes into text at the returned offset. */
static void add_id(struct xo_evcore *e, const char *kind, size_t kind_len)
{
	e->ids = xo_grow(e->ids, &e->cap_ids, e->n_ids + 1, sizeof *e->ids);
	e->offsets = xo_grow(e->offsets, &e->cap_offsets, e->n_ids + 1, sizeof *e->offsets);
	e->ids[e->n_ids].kind = kind;
	e->ids[e->n_ids].kind_len = kind_len;
	e->offsets[e->n_ids] = e->text.len;
	e->n_ids++;
}

/* Close the value just appended; drop the id when it came out empty. */
static void end_id(struct xo_evcore *e)
{
	size_t start = e->offsets[e->n_ids - 1];
	if (e->text.len == start) {
		e->n_ids--;
		return;
	}
	e->ids[e->n_ids - 1].value_len = e->text.len - start;
	xo_buf_addc(&e->text, '\0');
}

/* Pointers into text, once it no longer moves. */
static void fix_pointers(struct xo_evcore *e, size_t id_off)
{
	for (size_t i = 0; i < e->n_ids; i++)
		e->ids[i].value = e->text.data + e->offsets[i];
	if (e->id)
		e->id = e->text.data + id_off;
}

static int fail(struct xo_buf *why, const char *reason)
{
	xo_buf_reset(why);
	xo_buf_adds(why, reason);
	return -1;
}

static int fail_id(struct xo_buf *why, const char *kind, size_t len)
{
	xo_buf_reset(why);
	xo_buf_printf(why, "ids.%.*s is not a string", (int)len, kind);
	return -1;
}

static int set_ts(struct xo_evcore *e, const char *s, size_t len, struct xo_buf *why)
{
	if (xo_time_parse_rfc3339(s, len, &e->ts) != 0) {
		xo_buf_reset(why);
		xo_buf_printf(why, "invalid \"ts\" \"%.*s\"", (int)(len > 40 ? 40 : len), s);
		return -1;
	}
	return 0;
}

/* The members read, found in one pass (the last of repeated keys counts,
 * as jscan and jansson without JSON_REJECT_DUPLICATES read them). */
struct wanted {
	const struct xo_jval *ts, *id, *ids, *xid;
};

static void find_members(const struct xo_evcore *e, struct wanted *w)
{
	memset(w, 0, sizeof *w);
	for (size_t i = 0; i < e->m.n; i++) {
		const struct xo_jval *k = &e->m.items[i].key, *v = &e->m.items[i].val;
		if (k->escaped) {
			if (xo_jscan_key_is(k, "ts", 2))
				w->ts = v;
			else if (xo_jscan_key_is(k, "id", 2))
				w->id = v;
			else if (xo_jscan_key_is(k, "ids", 3))
				w->ids = v;
			else if (xo_jscan_key_is(k, "xid", 3))
				w->xid = v;
		} else if (k->len == 2 && k->p[0] == 't' && k->p[1] == 's') {
			w->ts = v;
		} else if (k->len == 2 && k->p[0] == 'i' && k->p[1] == 'd') {
			w->id = v;
		} else if (k->len == 3 && memcmp(k->p, "ids", 3) == 0) {
			w->ids = v;
		} else if (k->len == 3 && memcmp(k->p, "xid", 3) == 0) {
			w->xid = v;
		}
	}
}

static int read_scanned(struct xo_evcore *e, struct xo_buf *why)
{
	struct wanted w;
	find_members(e, &w);
	const struct xo_jval *ts = w.ts, *id = w.id, *ids = w.ids;
	e->has_xid = w.xid != NULL;
	if (!ts || ts->type != XO_J_STRING)
		return fail(why, "no \"ts\" string");
	if (!id || id->type != XO_J_STRING || id->len == 0)
		return fail(why, "no \"id\" string");
	xo_jscan_string(ts, &e->text);
	if (set_ts(e, e->text.data, e->text.len, why) != 0)
		return -1;
	xo_buf_reset(&e->text);
	xo_jscan_string(id, &e->text);
	e->id_len = e->text.len;
	xo_buf_addc(&e->text, '\0');
	e->id = "";
	if (ids && ids->type == XO_J_OBJECT) {
		size_t pos = 0;
		struct xo_jval key, v;
		while (xo_jscan_next(ids, &pos, &key, &v)) {
			if (v.type == XO_J_NULL)
				continue;
			if (key.escaped)
				return fail(why, "an escaped key under \"ids\"");
			if (v.type != XO_J_STRING && v.type != XO_J_NUMBER)
				return fail_id(why, key.p, key.len);
			if (e->n_ids == XO_EVCORE_MEMBERS)
				return fail(why, "more than 64 identifiers under \"ids\"");
			add_id(e, key.p, key.len);
			xo_jscan_text(&v, &e->text);
			end_id(e);
		}
	} else if (ids && ids->type != XO_J_NULL) {
		return fail(why, "\"ids\" is not an object");
	}
	fix_pointers(e, 0);
	return 0;
}

int xo_evcore_read(struct xo_evcore *e, const char *line, size_t len, int need_json,
		   struct xo_buf *why)
{
	reset(e);
	const char *reason;
	size_t column;
	if (xo_jscan_object(line, len, &e->m, &reason, &column) != 0) {
		xo_buf_reset(why);
		xo_buf_printf(why, "invalid JSON at column %zu: %s", column, reason);
		return -1;
	}
	if (read_scanned(e, why) != 0)
		return -1;
	if ((need_json || e->has_xid) && xo_ndjson_parse(line, len, &e->obj, why) != XO_NDJSON_OBJECT)
		return -1;
	return 0;
}
