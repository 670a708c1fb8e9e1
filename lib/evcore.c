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
	free(e->ids);
	free(e->offsets);
	xo_buf_free(&e->text);
	memset(e, 0, sizeof *e);
}

static void reset(struct xo_evcore *e)
{
	json_decref(e->obj);
	e->obj = NULL;
	e->n_members = 0;
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

static int read_scanned(struct xo_evcore *e, struct xo_buf *why)
{
	const struct xo_jspan *ts = xo_jscan_get(e->m, e->n_members, "ts");
	const struct xo_jspan *id = xo_jscan_get(e->m, e->n_members, "id");
	const struct xo_jspan *ids = xo_jscan_get(e->m, e->n_members, "ids");
	e->has_xid = xo_jscan_get(e->m, e->n_members, "xid") != NULL;
	if (!ts || ts->type != XO_J_STRING)
		return fail(why, "no \"ts\" string");
	if (!id || id->type != XO_J_STRING || id->len == 0)
		return fail(why, "no \"id\" string");
	size_t ts_off = e->text.len;
	xo_jscan_string(ts, &e->text);
	if (set_ts(e, e->text.data + ts_off, e->text.len - ts_off, why) != 0)
		return -1;
	xo_buf_reset(&e->text);
	size_t id_off = e->text.len;
	xo_jscan_string(id, &e->text);
	e->id_len = e->text.len - id_off;
	xo_buf_addc(&e->text, '\0');
	e->id = "";
	if (ids && ids->type == XO_J_OBJECT) {
		struct xo_jmember im[XO_EVCORE_MEMBERS];
		size_t n;
		if (xo_jscan_object(ids->p, ids->len, im, XO_EVCORE_MEMBERS, &n) != XO_JSCAN_OK)
			return 1; /* let jansson decide */
		for (size_t i = 0; i < n; i++) {
			const struct xo_jspan *v = &im[i].val;
			if (v->type == XO_J_NULL)
				continue;
			if (v->type != XO_J_STRING && v->type != XO_J_NUMBER)
				return fail_id(why, im[i].key.p, im[i].key.len);
			add_id(e, im[i].key.p, im[i].key.len);
			if (v->type == XO_J_STRING)
				xo_jscan_string(v, &e->text);
			else
				xo_buf_add(&e->text, v->p, v->len);
			end_id(e);
		}
	} else if (ids && ids->type != XO_J_NULL) {
		return fail(why, "\"ids\" is not an object");
	}
	fix_pointers(e, id_off);
	return 0;
}

static int read_parsed(struct xo_evcore *e, struct xo_buf *why)
{
	json_t *ts = json_object_get(e->obj, "ts");
	json_t *id = json_object_get(e->obj, "id");
	json_t *ids = json_object_get(e->obj, "ids");
	e->has_xid = json_object_get(e->obj, "xid") != NULL;
	if (!json_is_string(ts))
		return fail(why, "no \"ts\" string");
	if (!json_is_string(id) || json_string_length(id) == 0)
		return fail(why, "no \"id\" string");
	if (set_ts(e, json_string_value(ts), json_string_length(ts), why) != 0)
		return -1;
	/* jansson's strings may hold NUL bytes: keep the lengths. */
	size_t id_off = e->text.len;
	xo_buf_add(&e->text, json_string_value(id), json_string_length(id));
	e->id_len = json_string_length(id);
	xo_buf_addc(&e->text, '\0');
	e->id = "";
	if (json_is_object(ids)) {
		const char *kind;
		json_t *v;
		json_object_foreach(ids, kind, v) {
			if (json_is_null(v))
				continue;
			if (!json_is_string(v) && !json_is_number(v))
				return fail_id(why, kind, strlen(kind));
			if (e->n_ids == XO_EVCORE_MEMBERS)
				return fail(why, "more than 64 identifiers under \"ids\"");
			add_id(e, kind, strlen(kind));
			if (json_is_string(v))
				xo_buf_add(&e->text, json_string_value(v), json_string_length(v));
			else
				xo_json_text(&e->text, v);
			end_id(e);
		}
	} else if (ids && !json_is_null(ids)) {
		return fail(why, "\"ids\" is not an object");
	}
	fix_pointers(e, id_off);
	return 0;
}

int xo_evcore_read(struct xo_evcore *e, const char *line, size_t len, int need_json,
		   struct xo_buf *why)
{
	reset(e);
	if (!need_json && xo_jscan_object(line, len, e->m, XO_EVCORE_MEMBERS, &e->n_members) ==
				  XO_JSCAN_OK) {
		int rc = read_scanned(e, why);
		if (rc <= 0)
			return rc;
		reset(e);
	}
	e->n_members = 0;
	if (xo_ndjson_parse(line, len, &e->obj, why) != XO_NDJSON_OBJECT)
		return -1;
	return read_parsed(e, why);
}

json_t *xo_evcore_json(struct xo_evcore *e, const char *line, size_t len)
{
	if (!e->obj) {
		struct xo_buf why = XO_BUF_INIT;
		/* The scanner vouched for the line, so jansson accepts it. */
		if (xo_ndjson_parse(line, len, &e->obj, &why) != XO_NDJSON_OBJECT)
			e->obj = json_object();
		xo_buf_free(&why);
	}
	return e->obj;
}
