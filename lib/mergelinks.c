#include "mergelinks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "evcore.h"
#include "evread.h"
#include "hash.h"
#include "idnorm.h"
#include "jsonw.h"
#include "mem.h"
#include "ndjson.h"
#include "out.h"
#include "progress.h"
#include "rejects.h"
#include "slice.h"

/* ------------------------------------------------------------------ */
/* The link step */

struct linkstep {
	const struct xo_links_opts *o;
	struct xo_evcore ev;
	struct xo_rejects *rejects;
	struct xo_profile_in parts;
	struct xo_buf line, norm, kind, why;
	uint64_t events;
};

/* A double as text that reads back as the same double. */
static void exact_number(struct xo_jw *w, double v)
{
	char text[32];
	int n = snprintf(text, sizeof text, "%.17g", v);
	xo_jw_raw(w, text, (size_t)n);
}

static void write_header(struct linkstep *s, char **inputs, int n)
{
	struct xo_buf b = XO_BUF_INIT, spec = XO_BUF_INIT;
	struct xo_jw w;
	xo_jw_init(&w, &b);
	xo_jw_obj(&w);
	xo_jw_key(&w, "xo-links");
	xo_jw_int(&w, XO_LINKS_VERSION);
	xo_jw_key(&w, "part");
	if (s->o->part.count) {
		xo_buf_printf(&spec, "%u/%u", s->o->part.index, s->o->part.count);
		xo_jw_str(&w, spec.data, spec.len);
	} else {
		xo_jw_null(&w);
	}
	xo_jw_key(&w, "inputs");
	xo_jw_arr(&w);
	for (int i = 0; i < n; i++)
		xo_jw_strz(&w, strcmp(inputs[i], "-") == 0 ? "(stdin)" : inputs[i]);
	if (n == 0)
		xo_jw_strz(&w, "(stdin)");
	xo_jw_end(&w);
	xo_jw_key(&w, "traits");
	xo_jw_arr(&w);
	for (size_t i = 0; i < s->o->traits->n; i++) {
		const struct xo_trait *t = &s->o->traits->list[i];
		xo_buf_reset(&spec);
		xo_buf_printf(&spec, "%s=%s", t->name, xo_path_text(t->path));
		xo_jw_str(&w, spec.data, spec.len);
	}
	xo_jw_end(&w);
	xo_jw_end(&w);
	xo_buf_addc(&b, '\n');
	xo_out_write(b.data, b.len);
	xo_out_record_end();
	xo_buf_free(&b);
	xo_buf_free(&spec);
}

static void write_ids(struct linkstep *s, struct xo_jw *w)
{
	xo_jw_key(w, "ids");
	xo_jw_arr(w);
	for (size_t i = 0; i < s->ev.n_ids; i++) {
		const struct xo_evid *id = &s->ev.ids[i];
		if (xo_idnorm_event(id->kind, id->kind_len, id->value, id->value_len, &s->kind,
				    &s->norm) != 0)
			continue;
		xo_jw_str(w, id->kind, id->kind_len);
		xo_jw_str(w, s->norm.data, s->norm.len);
	}
	xo_jw_end(w);
}

static void str_member(struct xo_jw *w, const char *key, const struct xo_profile_str *v)
{
	if (v->len == 0)
		return;
	xo_jw_key(w, key);
	xo_jw_str(w, v->s, v->len);
}

static void write_parts(struct linkstep *s, struct xo_jw *w, const struct xo_mlines *in)
{
	json_t *obj = xo_evcore_json(&s->ev), *own = NULL;
	if (!obj && xo_ndjson_parse(in->buf, in->len, &own, &s->why) == XO_NDJSON_OBJECT)
		obj = own;
	if (!obj) {
		/* Usable for linking, but not for a profile: the join says so
		 * if it needs one. */
		xo_jw_key(w, "json");
		xo_jw_bool(w, 0);
		return;
	}
	xo_profile_in_read(&s->parts, s->o->traits, obj);
	str_member(w, "ch", &s->parts.channel);
	str_member(w, "ty", &s->parts.type);
	str_member(w, "src", &s->parts.source);
	if (s->parts.n_cx) {
		xo_jw_key(w, "cx");
		xo_jw_arr(w);
		for (size_t i = 0; i < s->parts.n_cx; i++) {
			xo_jw_str(w, s->parts.cx[i].name.s, s->parts.cx[i].name.len);
			exact_number(w, s->parts.cx[i].value);
		}
		xo_jw_end(w);
	}
	if (s->parts.n_traits) {
		xo_jw_key(w, "tr");
		xo_jw_arr(w);
		for (size_t i = 0; i < s->parts.n_traits; i++) {
			if (s->parts.traits[i].s)
				xo_jw_str(w, s->parts.traits[i].s, s->parts.traits[i].len);
			else
				xo_jw_null(w);
		}
		xo_jw_end(w);
	}
	json_decref(own);
}

static void take_line(void *ctx, const struct xo_mlines *in)
{
	struct linkstep *s = ctx;
	s->events++;
	if (xo_evcore_read(&s->ev, in->buf, in->len, 0, &s->why) != 0) {
		xo_rejects_add(s->rejects, in->name, in->line, in->buf, in->len, xo_buf_str(&s->why));
		return;
	}
	char hex[17];
	xo_hash_hex(xo_event_key(s->ev.id, s->ev.id_len), hex);
	struct xo_jw w;
	xo_buf_reset(&s->line);
	xo_jw_init(&w, &s->line);
	xo_jw_obj(&w);
	xo_jw_key(&w, "k");
	xo_jw_str(&w, hex, 16);
	xo_jw_key(&w, "t");
	xo_jw_int(&w, s->ev.ts);
	write_ids(s, &w);
	write_parts(s, &w, in);
	xo_jw_end(&w);
	xo_buf_addc(&s->line, '\n');
	xo_out_write(s->line.data, s->line.len);
	xo_out_record_end();
}

int xo_links_run(const struct xo_links_opts *o, char **inputs, int n)
{
	struct linkstep s = { .o = o };
	xo_evcore_init(&s.ev);
	s.rejects = xo_rejects_open(o->rejects);
	write_header(&s, inputs, n);
	struct xo_progress progress;
	xo_progress_init(&progress);
	xo_slice_read(inputs, n, &o->part, &progress, take_line, &s);
	xo_progress_done(&progress);
	uint64_t rejected = xo_rejects_count(s.rejects);
	xo_out_printf("{\"xo-links-end\":%d,\"events\":%llu,\"rejected\":%llu}\n", XO_LINKS_VERSION,
		      (unsigned long long)s.events, (unsigned long long)rejected);
	xo_out_record_end();
	xo_rejects_close(s.rejects);
	xo_out_finish();
	xo_warn("%llu events, %llu rejected: link records written", (unsigned long long)s.events,
		(unsigned long long)rejected);
	xo_evcore_free(&s.ev);
	xo_profile_in_free(&s.parts);
	xo_buf_free(&s.line);
	xo_buf_free(&s.norm);
	xo_buf_free(&s.kind);
	xo_buf_free(&s.why);
	return rejected ? XO_EXIT_REJECTS : XO_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Reading link records */

void xo_links_reader_init(struct xo_links_reader *rd, const struct xo_traits *traits, int check)
{
	memset(rd, 0, sizeof *rd);
	rd->traits = traits;
	rd->check = check;
}

void xo_links_reader_free(struct xo_links_reader *rd)
{
	free(rd->ev.ids);
	xo_profile_in_free(&rd->ev.parts);
	free(rd->m.items);
	free(rd->offs);
	xo_buf_free(&rd->text);
	xo_buf_free(&rd->trait_text);
	xo_buf_free(&rd->why);
	memset(rd, 0, sizeof *rd);
}

static noreturn void bad(const struct xo_mlines *in, const char *why)
{
	xo_die_at(XO_EXIT_INPUT, in->name, in->line, "not a link record of xo-merge --links: %s", why);
}

/* A string value decoded into rd->text; its offset (rd->offs keeps it). */
static size_t decode(struct xo_links_reader *rd, const struct xo_jval *v, const struct xo_mlines *in)
{
	if (v->type != XO_J_STRING)
		bad(in, "a string expected");
	size_t off = rd->text.len;
	xo_jscan_string(v, &rd->text);
	return off;
}

static uint64_t parse_key(const struct xo_jval *v, const struct xo_mlines *in)
{
	if (v->type != XO_J_STRING || v->len != 16 || v->escaped)
		bad(in, "\"k\" is not 16 hexadecimal digits");
	uint64_t k = 0;
	for (size_t i = 0; i < 16; i++) {
		char c = v->p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;
		if (d == 16)
			bad(in, "\"k\" is not 16 hexadecimal digits");
		k = k << 4 | d;
	}
	return k;
}

static xo_time_t parse_time(const struct xo_jval *v, const struct xo_mlines *in)
{
	char text[32];
	if (v->type != XO_J_NUMBER || v->len == 0 || v->len >= sizeof text)
		bad(in, "\"t\" is not a time in microseconds");
	memcpy(text, v->p, v->len);
	text[v->len] = '\0';
	char *end;
	errno = 0;
	long long t = strtoll(text, &end, 10);
	if (*end || errno)
		bad(in, "\"t\" is not a time in microseconds");
	return (xo_time_t)t;
}

static void grow_offs(struct xo_links_reader *rd, size_t n)
{
	rd->offs = xo_grow(rd->offs, &rd->cap_offs, n, sizeof *rd->offs);
}

/* Identifiers: kind and value strings, one after the other; where each
 * string's text starts and ends goes to rd->offs. */
static void read_ids(struct xo_links_reader *rd, const struct xo_jval *v, const struct xo_mlines *in)
{
	struct xo_link_event *ev = &rd->ev;
	if (v->type != XO_J_ARRAY)
		bad(in, "\"ids\" is not an array");
	struct xo_jval item;
	size_t n = 0;
	for (long i = 0; xo_jscan_at(v, i, &item) == 0; i++) {
		grow_offs(rd, 2 * n + 2);
		rd->offs[2 * n] = decode(rd, &item, in);
		rd->offs[2 * n + 1] = rd->text.len;
		n++;
	}
	if (n % 2)
		bad(in, "\"ids\" holds a kind without a value");
	if (n / 2 > XO_EVCORE_MEMBERS)
		bad(in, "more identifiers than an event has");
	ev->ids = xo_grow(ev->ids, &ev->cap_ids, n / 2 + 1, sizeof *ev->ids);
	ev->n_ids = n / 2;
}

static void read_cx(struct xo_links_reader *rd, const struct xo_jval *v, const struct xo_mlines *in,
		    size_t *first_off)
{
	struct xo_profile_in *p = &rd->ev.parts;
	if (v->type != XO_J_ARRAY)
		bad(in, "\"cx\" is not an array");
	struct xo_jval name, num;
	for (long i = 0; xo_jscan_at(v, i, &name) == 0; i += 2) {
		if (xo_jscan_at(v, i + 1, &num) != 0)
			bad(in, "\"cx\" holds a name without a number");
		double d;
		if (xo_jscan_number(&num, &d) != 0)
			bad(in, "\"cx\" holds a figure that is not a number");
		p->cx = xo_grow(p->cx, &p->cap_cx, p->n_cx + 1, sizeof *p->cx);
		size_t off = decode(rd, &name, in);
		if (p->n_cx == 0)
			*first_off = off;
		/* The name's pointer is set once the text no longer moves. */
		p->cx[p->n_cx++] = (struct xo_profile_cx){ { NULL, rd->text.len - off }, d };
	}
}

static void read_traits(struct xo_links_reader *rd, const struct xo_jval *v,
			const struct xo_mlines *in)
{
	struct xo_profile_in *p = &rd->ev.parts;
	if (v->type != XO_J_ARRAY)
		bad(in, "\"tr\" is not an array");
	struct xo_jval item;
	size_t n = 0;
	xo_buf_reset(&rd->trait_text);
	for (long i = 0; xo_jscan_at(v, i, &item) == 0; i++) {
		p->traits = xo_grow(p->traits, &p->cap_traits, n + 1, sizeof *p->traits);
		if (item.type == XO_J_NULL) {
			p->traits[n++] = (struct xo_profile_str){ NULL, 0 };
			continue;
		}
		if (item.type != XO_J_STRING)
			bad(in, "\"tr\" holds a value that is not a string or null");
		size_t before = rd->trait_text.len;
		xo_jscan_string(&item, &rd->trait_text);
		/* The length now, the pointer below (before marks it present). */
		p->traits[n++] = (struct xo_profile_str){ (const char *)(uintptr_t)1,
							  rd->trait_text.len - before };
	}
	if (n != rd->traits->n)
		bad(in, "\"tr\" does not have a value for each trait");
	p->n_traits = n;
	for (size_t i = 0, off = 0; i < n; i++) {
		if (!p->traits[i].s)
			continue;
		p->traits[i].s = rd->trait_text.data + off;
		off += p->traits[i].len;
	}
}

static const struct xo_profile_str empty = { "", 0 };

/* The string member's text, once rd->text no longer moves. */
static struct xo_profile_str text_at(struct xo_links_reader *rd, long off, size_t len)
{
	if (off < 0)
		return empty;
	return (struct xo_profile_str){ rd->text.data + off, len };
}

static void read_event(struct xo_links_reader *rd, const struct xo_mlines *in, int parts)
{
	struct xo_link_event *ev = &rd->ev;
	struct xo_profile_in *p = &ev->parts;
	int have_key = 0, have_time = 0;
	long str_off[3] = { -1, -1, -1 };
	size_t str_len[3] = { 0, 0, 0 }, cx_off = 0;
	static const char *const str_keys[3] = { "ch", "ty", "src" };
	xo_buf_reset(&rd->text);
	ev->n_ids = 0;
	ev->has_parts = 1;
	p->n_cx = 0;
	p->n_traits = 0;
	for (size_t i = 0; i < rd->m.n; i++) {
		const struct xo_jval *k = &rd->m.items[i].key, *v = &rd->m.items[i].val;
		if (xo_jscan_key_is(k, "k", 1)) {
			ev->key = parse_key(v, in);
			have_key = 1;
		} else if (xo_jscan_key_is(k, "t", 1)) {
			ev->ts = parse_time(v, in);
			have_time = 1;
		} else if (xo_jscan_key_is(k, "ids", 3)) {
			read_ids(rd, v, in);
		} else if (xo_jscan_key_is(k, "json", 4)) {
			ev->has_parts = v->type != XO_J_FALSE;
		} else if (!parts) {
			continue;
		} else if (xo_jscan_key_is(k, "cx", 2)) {
			read_cx(rd, v, in, &cx_off);
		} else if (xo_jscan_key_is(k, "tr", 2)) {
			read_traits(rd, v, in);
		} else {
			for (int s = 0; s < 3; s++) {
				if (!xo_jscan_key_is(k, str_keys[s], strlen(str_keys[s])))
					continue;
				str_off[s] = (long)decode(rd, v, in);
				str_len[s] = rd->text.len - (size_t)str_off[s];
			}
		}
	}
	if (!have_key || !have_time)
		bad(in, "no \"k\" or \"t\"");
	/* The decoded strings no longer move: point at them. */
	for (size_t i = 0; i < ev->n_ids; i++) {
		const size_t *o = rd->offs + 4 * i;
		ev->ids[i] = (struct xo_link_id){ rd->text.data + o[0], rd->text.data + o[2],
						  o[1] - o[0], o[3] - o[2] };
	}
	if (!parts)
		return;
	if (rd->traits->n && !p->n_traits && ev->has_parts)
		bad(in, "no \"tr\", though the join has traits");
	p->channel = text_at(rd, str_off[0], str_len[0]);
	p->type = text_at(rd, str_off[1], str_len[1]);
	p->source = text_at(rd, str_off[2], str_len[2]);
	for (size_t i = 0, off = cx_off; i < p->n_cx; i++) {
		p->cx[i].name.s = rd->text.data + off;
		off += p->cx[i].name.len;
	}
}

/* A header: the part's traits must be the join's, in the same order. */
static void read_header(struct xo_links_reader *rd, const struct xo_mlines *in)
{
	struct xo_jval traits, item;
	double version;
	if (rd->m.items[0].val.type != XO_J_NUMBER ||
	    xo_jscan_number(&rd->m.items[0].val, &version) != 0 || version != XO_LINKS_VERSION)
		xo_die_at(XO_EXIT_INPUT, in->name, in->line,
			  "link records of a version this xo-merge does not read");
	int have_traits = 0;
	for (size_t i = 0; i < rd->m.n; i++)
		if (xo_jscan_key_is(&rd->m.items[i].key, "traits", 6)) {
			traits = rd->m.items[i].val;
			have_traits = traits.type == XO_J_ARRAY;
		}
	if (!have_traits)
		bad(in, "a header without \"traits\"");
	struct xo_buf spec = XO_BUF_INIT, got = XO_BUF_INIT;
	size_t n = 0;
	for (long i = 0; xo_jscan_at(&traits, i, &item) == 0; i++, n++) {
		xo_buf_reset(&got);
		xo_jscan_text(&item, &got);
		xo_buf_reset(&spec);
		if (n < rd->traits->n)
			xo_buf_printf(&spec, "%s=%s", rd->traits->list[n].name,
				      xo_path_text(rd->traits->list[n].path));
		if (n >= rd->traits->n || got.len != spec.len || memcmp(got.data, spec.data, got.len))
			break;
	}
	int same = n == rd->traits->n && xo_jscan_at(&traits, (long)n, &item) != 0;
	xo_buf_free(&spec);
	xo_buf_free(&got);
	if (!same)
		xo_die_at(XO_EXIT_USAGE, in->name, in->line,
			  "the link step had other traits than this join: give both the same -t options");
}

static uint64_t count_member(struct xo_links_reader *rd, const char *name,
			     const struct xo_mlines *in)
{
	for (size_t i = 0; i < rd->m.n; i++) {
		const struct xo_jval *v = &rd->m.items[i].val;
		double d;
		if (!xo_jscan_key_is(&rd->m.items[i].key, name, strlen(name)))
			continue;
		if (xo_jscan_number(v, &d) != 0 || d < 0 || d != (double)(uint64_t)d)
			break;
		return (uint64_t)d;
	}
	bad(in, "a trailer without its counts");
}

static void read_trailer(struct xo_links_reader *rd, const struct xo_mlines *in)
{
	uint64_t events = count_member(rd, "events", in), rejected = count_member(rd, "rejected", in);
	if (!rd->check)
		return;
	if (!rd->in_part)
		xo_die_at(XO_EXIT_INPUT, in->name, in->line, "the end of a part that did not begin");
	if (rejected > events || rd->part_events != events - rejected)
		xo_die_at(XO_EXIT_INPUT, in->name, in->line,
			  "the part has %llu event records, its end says %llu (%llu events, %llu rejected)",
			  (unsigned long long)rd->part_events, (unsigned long long)(events - rejected),
			  (unsigned long long)events, (unsigned long long)rejected);
	rd->events += events;
	rd->rejected += rejected;
	rd->in_part = 0;
}

int xo_links_read(struct xo_links_reader *rd, const struct xo_mlines *in, int parts)
{
	const char *reason;
	size_t column;
	if (xo_jscan_object(in->buf, in->len, &rd->m, &reason, &column) != 0) {
		xo_buf_reset(&rd->why);
		xo_buf_printf(&rd->why, "invalid JSON at column %zu: %s", column, reason);
		bad(in, xo_buf_str(&rd->why));
	}
	if (rd->m.n == 0)
		bad(in, "an empty object");
	const struct xo_jval *first = &rd->m.items[0].key;
	if (xo_jscan_key_is(first, "k", 1)) {
		if (rd->check && !rd->in_part)
			xo_die_at(XO_EXIT_INPUT, in->name, in->line,
				  "an event record outside a part (no header before it)");
		read_event(rd, in, parts);
		rd->part_events++;
		return 1;
	}
	if (xo_jscan_key_is(first, "xo-links", 8)) {
		if (rd->check && rd->in_part)
			xo_die_at(XO_EXIT_INPUT, in->name, in->line,
				  "a part begins before the one before it ended: was a link step cut short?");
		if (rd->check)
			read_header(rd, in);
		rd->in_part = 1;
		rd->part_events = 0;
		return 0;
	}
	if (xo_jscan_key_is(first, "xo-links-end", 12)) {
		read_trailer(rd, in);
		rd->in_part = 0;
		return 0;
	}
	bad(in, "an object that is not a header, an event's record or a trailer");
}

void xo_links_reader_rewind(struct xo_links_reader *rd)
{
	rd->check = 0;
	rd->in_part = 0;
	rd->part_events = 0;
}

void xo_links_reader_end(struct xo_links_reader *rd, const char *name)
{
	if (rd->check && rd->in_part)
		xo_die(XO_EXIT_INPUT, "%s: a part without its end: was a link step cut short?", name);
}
