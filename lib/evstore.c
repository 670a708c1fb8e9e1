#include "evstore.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hash.h"
#include "mem.h"
#include "ndjson.h"
#include "out.h"

/* The members read from every event, in xo_evstore.at order. */
enum { K_TS, K_ID, K_XID, K_CHANNEL, K_TYPE, K_SOURCE, K_CX, K_TEXT, N_KEYS };
static const char *const key_names[N_KEYS] = {
	"ts", "id", "xid", "channel", "type", "source", "cx", "text",
};

void xo_evstore_init(struct xo_evstore *s, char *const *paths, int n,
		     struct xo_rejects *rejects)
{
	static char *const stdin_path[] = { "-" };
	memset(s, 0, sizeof *s);
	s->paths = n > 0 ? paths : stdin_path;
	s->n_paths = n > 0 ? n : 1;
	s->rejects = rejects;
	s->keep_text = 1;
	s->as_of = INT64_MAX;
	xo_progress_init(&s->progress);
}

const char *xo_evstore_file(const struct xo_evstore *s)
{
	return s->open ? s->in.name : "";
}

long xo_evstore_line(const struct xo_evstore *s)
{
	return s->open ? s->in.line : 0;
}

static void reject(struct xo_evstore *s)
{
	s->rejected++;
	if (s->rejects)
		xo_rejects_add(s->rejects, s->in.name, s->in.line, s->in.buf, s->in.len,
			       xo_buf_str(&s->why));
	else
		xo_warn_at(s->in.name, s->in.line, "rejected: %s", xo_buf_str(&s->why));
}

static int is_blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Say why a line is not JSON. jansson's words when it agrees, so that
 * every xo tool describes bad JSON alike. */
static void explain_bad_json(struct xo_evstore *s, const char *why, size_t column)
{
	json_t *obj;
	if (xo_ndjson_parse(s->in.buf, s->in.len, &obj, &s->why) == XO_NDJSON_OBJECT) {
		json_decref(obj);
		xo_buf_reset(&s->why);
		xo_buf_printf(&s->why, "invalid JSON at column %zu: %s", column, why);
	}
}

static const struct xo_jval *member(const struct xo_evstore *s, int k)
{
	return s->at[k] >= 0 ? &s->m.items[s->at[k]].val : NULL;
}

/* Find the known keys; a known key given twice is an error. */
static int index_members(struct xo_evstore *s)
{
	for (int k = 0; k < N_KEYS; k++)
		s->at[k] = -1;
	for (size_t i = 0; i < s->m.n; i++) {
		const struct xo_jval *key = &s->m.items[i].key;
		for (int k = 0; k < N_KEYS; k++) {
			if (!xo_jscan_key_is(key, key_names[k], strlen(key_names[k])))
				continue;
			if (s->at[k] >= 0) {
				xo_buf_printf(&s->why, "duplicate key \"%s\"", key_names[k]);
				return -1;
			}
			s->at[k] = (int)i;
			break;
		}
	}
	return 0;
}

/* A required or optional string member; -1 with the reason when it is
 * wrong. */
static int want_string(struct xo_evstore *s, int k, int required)
{
	const struct xo_jval *v = member(s, k);
	if (!v) {
		if (required)
			xo_buf_printf(&s->why, "missing \"%s\"", key_names[k]);
		return required ? -1 : 0;
	}
	if (v->type != XO_J_STRING) {
		xo_buf_printf(&s->why, "\"%s\" is not a string", key_names[k]);
		return -1;
	}
	if (required && v->len == 0) {
		xo_buf_printf(&s->why, "\"%s\" is empty", key_names[k]);
		return -1;
	}
	return 0;
}

static int check_cx(struct xo_evstore *s)
{
	const struct xo_jval *cx = member(s, K_CX);
	if (!cx || cx->type == XO_J_NULL)
		return 0;
	if (cx->type != XO_J_OBJECT) {
		xo_buf_adds(&s->why, "\"cx\" is not an object");
		return -1;
	}
	size_t pos = 0;
	struct xo_jval key, val;
	while (xo_jscan_next(cx, &pos, &key, &val)) {
		double d;
		if (val.type == XO_J_NULL || (val.type == XO_J_NUMBER && xo_jscan_number(&val, &d) == 0))
			continue;
		xo_buf_reset(&s->scratch);
		xo_jscan_string(&key, &s->scratch);
		xo_buf_printf(&s->why, "\"cx.%s\" is not a number", xo_buf_str(&s->scratch));
		return -1;
	}
	return 0;
}

/* Decode the line's xid into s->xid (empty when it has no readable one)
 * and say whether, with --shard, the line is another shard's: by its
 * xid, or without one shard 0's (lib/shard.h), so that a bad line is
 * rejected by one shard, not by all. */
static int other_shard(struct xo_evstore *s, int readable)
{
	const struct xo_jval *xid = readable ? member(s, K_XID) : NULL;
	int has_xid = xid && xid->type == XO_J_STRING;
	xo_buf_reset(&s->xid);
	if (has_xid)
		xo_jscan_string(xid, &s->xid);
	if (s->shard.count <= 1)
		return 0;
	return !xo_shard_has(&s->shard, has_xid ? s->xid.data : NULL, s->xid.len);
}

/* Check the line in s->in; 1 usable, 0 skipped (after as_of), 2
 * another shard's, -1 bad (reason in why). */
static int check_event(struct xo_evstore *s)
{
	const char *jwhy;
	size_t column;
	xo_buf_reset(&s->why);
	if (xo_jscan_object(s->in.buf, s->in.len, &s->m, &jwhy, &column) != 0) {
		if (other_shard(s, 0))
			return 2;
		explain_bad_json(s, jwhy, column);
		return -1;
	}
	if (index_members(s) != 0)
		return other_shard(s, 0) ? 2 : -1;
	if (other_shard(s, 1))
		return 2;
	if (want_string(s, K_TS, 1) != 0 ||
	    want_string(s, K_XID, 1) != 0 || want_string(s, K_CHANNEL, 1) != 0 ||
	    want_string(s, K_TYPE, 1) != 0 || want_string(s, K_ID, 0) != 0 ||
	    want_string(s, K_SOURCE, 0) != 0 || want_string(s, K_TEXT, 0) != 0 ||
	    check_cx(s) != 0)
		return -1;
	const struct xo_jval *ts = member(s, K_TS);
	xo_buf_reset(&s->scratch);
	xo_jscan_string(ts, &s->scratch);
	if (xo_time_parse_rfc3339(s->scratch.data, s->scratch.len, &s->ts) != 0) {
		xo_buf_adds(&s->why, "\"ts\" is not an RFC 3339 time: ");
		xo_buf_add_json_string(&s->why, s->scratch.data, s->scratch.len);
		return -1;
	}
	if (s->ts > s->as_of)
		return 0;
	return 1; /* s->xid decoded by other_shard() */
}

static int open_next(struct xo_evstore *s)
{
	while (s->next_path < s->n_paths) {
		const char *path = s->paths[s->next_path++];
		xo_input_open_or_die(&s->in, path);
		s->open = 1;
		return 1;
	}
	return 0;
}

int xo_evstore_next(struct xo_evstore *s, const char **xid, size_t *xid_len)
{
	for (;;) {
		if (!s->open && !open_next(s)) {
			xo_progress_done(&s->progress);
			return 0;
		}
		ssize_t len = xo_input_getline(&s->in);
		if (len < 0) {
			xo_input_close(&s->in);
			s->open = 0;
			continue;
		}
		if (is_blank(s->in.buf, (size_t)len))
			continue;
		s->read++;
		xo_progress_tick(&s->progress, s->in.offset, s->in.size);
		int ok = check_event(s);
		if (ok < 0) {
			reject(s);
			continue;
		}
		if (ok == 0) {
			s->after_as_of++;
			continue;
		}
		if (ok == 2) {
			s->other_shards++;
			continue;
		}
		*xid = s->xid.data;
		*xid_len = s->xid.len;
		return 1;
	}
}

/* The number of a string member's decoded text in t. */
static uint32_t intern_member(struct xo_evstore *s, struct xo_intern *t, int k)
{
	const struct xo_jval *v = member(s, k);
	if (!v)
		return 0;
	if (!v->escaped)
		return xo_intern(t, v->p, v->len);
	xo_buf_reset(&s->scratch);
	xo_jscan_string(v, &s->scratch);
	return xo_intern(t, s->scratch.data, s->scratch.len);
}

/* channel ":" type, with white space made "_" so that a token is one
 * word of the pattern subject (xo-journey(5)). */
static uint32_t token_of(struct xo_evstore *s, uint32_t channel, uint32_t type)
{
	/* A small cache: most events repeat a few channel and type pairs. */
	unsigned slot = (channel * 31u + type) & (XO_EV_TOKEN_CACHE - 1);
	struct xo_token_cache *c = &s->token_cache[slot];
	if (c->token && c->channel == channel && c->type == type)
		return c->token;
	xo_buf_reset(&s->scratch);
	xo_buf_add(&s->scratch, xo_intern_str(&s->names, channel), xo_intern_len(&s->names, channel));
	xo_buf_addc(&s->scratch, ':');
	xo_buf_add(&s->scratch, xo_intern_str(&s->names, type), xo_intern_len(&s->names, type));
	for (size_t i = 0; i < s->scratch.len; i++) {
		char ch = s->scratch.data[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v')
			s->scratch.data[i] = '_';
	}
	uint32_t tok = xo_intern(&s->names, s->scratch.data, s->scratch.len);
	c->channel = channel;
	c->type = type;
	c->token = tok;
	return tok;
}

static int is_hex16(const struct xo_jval *v)
{
	if (v->len != 16 || v->escaped)
		return 0;
	for (size_t i = 0; i < 16; i++) {
		char c = v->p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return 1;
}

static void take_id(struct xo_evstore *s, struct xo_event *ev, uintptr_t *flags)
{
	const struct xo_jval *v = member(s, K_ID);
	if (!v) {
		ev->id.hex = 0;
		*flags |= XO_EV_NO_ID;
	} else if (is_hex16(v)) {
		ev->id.hex = strtoull(v->p, NULL, 16);
	} else {
		xo_buf_reset(&s->scratch);
		xo_jscan_string(v, &s->scratch);
		ev->id.str = xo_arena_strndup(&s->arena, s->scratch.data, s->scratch.len);
		*flags |= XO_EV_ID_STR;
	}
}

static void take_issue(struct xo_evstore *s, struct xo_event *ev)
{
	struct xo_jval v;
	ev->issue = 0;
	for (size_t i = 0; i < s->n_issue; i++) {
		if (xo_jscan_path(&s->m, s->issue[i], &v) != 0)
			continue;
		xo_buf_reset(&s->scratch);
		xo_jscan_text(&v, &s->scratch);
		if (s->scratch.len) {
			ev->issue = xo_intern(&s->issues, s->scratch.data, s->scratch.len);
			return;
		}
	}
}

/* The --keep values as one JSON object, merged by path with jansson
 * (only when --keep is used). */
static const char *take_keep(struct xo_evstore *s, uint32_t *len)
{
	json_t *obj = NULL;
	for (size_t i = 0; i < s->n_keep; i++) {
		struct xo_jval v;
		if (xo_jscan_path(&s->m, s->keep[i], &v) != 0)
			continue;
		const char *text = v.type == XO_J_STRING ? v.p - 1 : v.p;
		size_t tlen = v.type == XO_J_STRING ? v.len + 2 : v.len;
		json_t *value = json_loadb(text, tlen, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		if (!value)
			continue; /* cannot happen: the line was checked */
		if (!obj)
			obj = json_object();
		if (xo_path_set(s->keep[i], obj, value) != 0)
			continue; /* a path through an array: documented as unkept */
	}
	if (!obj)
		return NULL;
	xo_pseudo_record(s->pseudo, obj);
	char *dump = NULL;
	size_t cap = 0;
	size_t n = xo_json_dump(obj, &dump, &cap);
	json_decref(obj);
	const char *copy = n && n < UINT32_MAX ? xo_arena_strndup(&s->arena, dump, n) : NULL;
	free(dump);
	*len = copy ? (uint32_t)n : 0;
	return copy;
}

static size_t count_cx(const struct xo_jval *cx)
{
	size_t n = 0, pos = 0;
	struct xo_jval key, val;
	while (cx && cx->type == XO_J_OBJECT && xo_jscan_next(cx, &pos, &key, &val))
		n += val.type == XO_J_NUMBER;
	return n;
}

static uintptr_t take_extra(struct xo_evstore *s)
{
	const struct xo_jval *cx = member(s, K_CX);
	const struct xo_jval *text = s->keep_text ? member(s, K_TEXT) : NULL;
	size_t n_cx = count_cx(cx);
	uint32_t keep_len = 0;
	const char *keep = s->n_keep ? take_keep(s, &keep_len) : NULL;
	if (n_cx == 0 && !text && !keep)
		return 0;
	struct xo_event_extra *x = xo_arena_alloc(&s->arena,
		sizeof *x + n_cx * sizeof x->cx[0], 8);
	x->n_cx = 0;
	size_t pos = 0;
	struct xo_jval key, val;
	while (n_cx && xo_jscan_next(cx, &pos, &key, &val)) {
		if (val.type != XO_J_NUMBER)
			continue;
		xo_buf_reset(&s->scratch);
		xo_jscan_string(&key, &s->scratch);
		x->cx[x->n_cx].name = xo_intern(&s->names, s->scratch.data, s->scratch.len);
		xo_jscan_number(&val, &x->cx[x->n_cx].value);
		x->n_cx++;
	}
	x->text = NULL;
	x->text_len = 0;
	if (text) {
		xo_buf_reset(&s->scratch);
		xo_jscan_string(text, &s->scratch);
		if (s->scratch.len < UINT32_MAX) {
			x->text = xo_arena_strndup(&s->arena, s->scratch.data, s->scratch.len);
			x->text_len = (uint32_t)s->scratch.len;
		}
	}
	x->keep = keep;
	x->keep_len = keep_len;
	return (uintptr_t)x;
}

void xo_evstore_take(struct xo_evstore *s, struct xo_event *ev)
{
	uintptr_t flags = 0;
	ev->ts = s->ts;
	take_id(s, ev, &flags);
	ev->channel = intern_member(s, &s->names, K_CHANNEL);
	ev->type = intern_member(s, &s->names, K_TYPE);
	ev->source = intern_member(s, &s->names, K_SOURCE);
	ev->token = token_of(s, ev->channel, ev->type);
	take_issue(s, ev);
	ev->extra = take_extra(s) | flags;
	ev->cust = 0;
}

const char *xo_event_id(const struct xo_event *e, char buf[17])
{
	if (e->extra & XO_EV_NO_ID)
		return "";
	if (e->extra & XO_EV_ID_STR)
		return e->id.str;
	xo_hash_hex(e->id.hex, buf);
	return buf;
}

int xo_event_cmp(const struct xo_event *a, const struct xo_event *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	uintptr_t fa = a->extra & XO_EV_FLAGS, fb = b->extra & XO_EV_FLAGS;
	if (fa == 0 && fb == 0) {
		/* Both 16 hex digits: numeric order is byte order. */
		if (a->id.hex != b->id.hex)
			return a->id.hex < b->id.hex ? -1 : 1;
	} else {
		char ba[17], bb[17];
		int c = strcmp(xo_event_id(a, ba), xo_event_id(b, bb));
		if (c)
			return c;
	}
	return a < b ? -1 : a > b;
}

void xo_evstore_reset_customer(struct xo_evstore *s)
{
	xo_arena_reset(&s->arena);
	xo_intern_reset(&s->issues);
}

void xo_evstore_free(struct xo_evstore *s)
{
	if (s->open)
		xo_input_close(&s->in);
	xo_intern_free(&s->names);
	xo_intern_free(&s->issues);
	xo_arena_free(&s->arena);
	free(s->m.items);
	xo_buf_free(&s->xid);
	xo_buf_free(&s->scratch);
	xo_buf_free(&s->why);
}
