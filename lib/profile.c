#include "profile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "intern.h"
#include "mem.h"
#include "out.h"
#include "u64map.h"
#include "xidassign.h"

/* ------------------------------------------------------------------ */
/* Traits */

static int parse_rule(struct xo_trait *t, const char *rule, struct xo_buf *why)
{
	if (strcmp(rule, "recent") == 0) {
		t->rule = XO_TRAIT_RECENT;
	} else if (strcmp(rule, "frequent") == 0) {
		t->rule = XO_TRAIT_FREQUENT;
	} else if (strcmp(rule, "first") == 0) {
		t->rule = XO_TRAIT_FIRST;
	} else if (strncmp(rule, "priority=", 9) == 0 && rule[9]) {
		t->rule = XO_TRAIT_PRIORITY;
		const char *p = rule + 9;
		size_t cap = 0;
		while (*p) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			if (len == 0) {
				xo_buf_printf(why, "an empty source in \"%s\"", rule);
				return -1;
			}
			t->sources = xo_grow(t->sources, &cap, t->n_sources + 1, sizeof *t->sources);
			t->sources[t->n_sources++] = xo_strndup(p, len);
			p += len + (comma ? 1 : 0);
		}
	} else {
		xo_buf_printf(why, "unknown survivorship rule \"%s\" (recent, frequent, first, "
				   "priority=SOURCE,...)", rule);
		return -1;
	}
	return 0;
}

static void trait_free(struct xo_trait *t)
{
	free(t->name);
	xo_path_free(t->path);
	for (size_t i = 0; i < t->n_sources; i++)
		free(t->sources[i]);
	free(t->sources);
}

int xo_traits_add(struct xo_traits *ts, const char *spec, struct xo_buf *why)
{
	xo_buf_reset(why);
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec) {
		xo_buf_printf(why, "\"%s\": expected NAME=PATH[:RULE]", spec);
		return -1;
	}
	struct xo_trait t = { 0 };
	t.name = xo_strndup(spec, (size_t)(eq - spec));
	/* The rule follows the last ':' outside quotes and brackets. */
	const char *path = eq + 1, *colon = NULL;
	int quoted = 0, depth = 0;
	for (const char *c = path; *c; c++) {
		if (*c == '"')
			quoted = !quoted;
		else if (!quoted && *c == '[')
			depth++;
		else if (!quoted && *c == ']')
			depth--;
		else if (!quoted && depth == 0 && *c == ':')
			colon = c;
	}
	char *path_text = xo_strndup(path, colon ? (size_t)(colon - path) : strlen(path));
	struct xo_buf err = XO_BUF_INIT;
	t.path = xo_path_compile(path_text, &err);
	int rc = 0;
	if (!t.path) {
		xo_buf_printf(why, "trait %s: bad path \"%s\": %s", t.name, path_text, xo_buf_str(&err));
		rc = -1;
	} else if (parse_rule(&t, colon ? colon + 1 : "recent", why) != 0) {
		rc = -1;
	}
	free(path_text);
	xo_buf_free(&err);
	for (size_t i = 0; rc == 0 && i < ts->n; i++) {
		if (strcmp(ts->list[i].name, t.name) == 0) {
			xo_buf_printf(why, "trait %s given twice", t.name);
			rc = -1;
		}
	}
	if (rc != 0) {
		trait_free(&t);
		return -1;
	}
	ts->list = xo_grow(ts->list, &ts->cap, ts->n + 1, sizeof *ts->list);
	ts->list[ts->n++] = t;
	return 0;
}

void xo_traits_free(struct xo_traits *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		trait_free(&ts->list[i]);
	free(ts->list);
	memset(ts, 0, sizeof *ts);
}

/* ------------------------------------------------------------------ */
/* Accumulators */

/* Strings (channels, types, sources, cx names, trait values as JSON
 * text) are numbers into a table of distinct strings (intern.h). */
typedef uint32_t str_t;

struct count {
	str_t name;
	uint64_t n;
};

struct cx {
	str_t name;
	uint64_t n;
	double sum, latest;
	xo_time_t latest_ts;
};

struct idstat {
	xo_node node;
	uint64_t n;
	xo_time_t first, last;
};

/* A trait's candidate: one value from one source. */
struct cand {
	uint32_t trait;
	str_t value, source;
	uint64_t n;
	xo_time_t first, last;
};

#define ARRAY(type, name) \
	type *name;       \
	size_t n_##name, cap_##name

struct acc {
	uint64_t events;
	xo_time_t first, last;
	ARRAY(struct count, channels);
	ARRAY(struct count, types);
	ARRAY(struct count, sources);
	ARRAY(struct cx, cx);
	ARRAY(struct idstat, ids);
	ARRAY(struct cand, cands);
};

struct xo_profiles {
	const struct xo_traits *traits;
	const struct xo_idg *g;
	const uint64_t *node_xid;
	size_t n_node_xid;
	struct xo_intern pool;
	struct xo_u64map index;  /* owner -> index into accs */
	struct acc *accs;
	size_t n_accs, cap_accs;
	struct xo_buf text;
	struct xo_profile_in scratch;  /* xo_profiles_add's */
};

struct xo_profiles *xo_profiles_new(const struct xo_traits *traits, const struct xo_idg *g)
{
	struct xo_profiles *p = xo_calloc(1, sizeof *p);
	static const struct xo_traits none;
	p->traits = traits ? traits : &none;
	p->g = g;
	p->pool = (struct xo_intern)XO_INTERN_INIT;
	return p;
}

static void acc_free(struct acc *a)
{
	free(a->channels);
	free(a->types);
	free(a->sources);
	free(a->cx);
	free(a->ids);
	free(a->cands);
}

void xo_profiles_free(struct xo_profiles *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_accs; i++)
		acc_free(&p->accs[i]);
	free(p->accs);
	xo_u64map_free(&p->index);
	xo_intern_free(&p->pool);
	xo_buf_free(&p->text);
	xo_profile_in_free(&p->scratch);
	free(p);
}

static str_t intern(struct xo_profiles *p, const char *s, size_t len)
{
	return xo_intern(&p->pool, s, len);
}

static const char *str(const struct xo_profiles *p, str_t s, size_t *len)
{
	*len = xo_intern_len(&p->pool, s);
	return xo_intern_str(&p->pool, s);
}

static void acc_init(struct acc *a)
{
	memset(a, 0, sizeof *a);
	a->first = INT64_MAX;
	a->last = INT64_MIN;
}

static struct acc *acc_of(struct xo_profiles *p, uint64_t owner)
{
	uint64_t *slot = xo_u64map_ref(&p->index, owner);
	if (*slot == 0) {
		p->accs = xo_grow(p->accs, &p->cap_accs, p->n_accs + 1, sizeof *p->accs);
		acc_init(&p->accs[p->n_accs]);
		*slot = ++p->n_accs;
	}
	return &p->accs[*slot - 1];
}

void xo_profiles_set_owners(struct xo_profiles *p, const uint64_t *node_xid, size_t n)
{
	p->node_xid = node_xid;
	p->n_node_xid = n;
}

int xo_profiles_has(const struct xo_profiles *p, uint64_t owner)
{
	return xo_u64map_get(&p->index, owner, NULL);
}

struct owners {
	uint64_t *list;
	size_t n;
};

static void add_owner(void *ctx, uint64_t owner, uint64_t unused)
{
	struct owners *o = ctx;
	o->list[o->n++] = owner;
}

uint64_t *xo_profiles_owners(const struct xo_profiles *p, size_t *n)
{
	struct owners o = { xo_malloc((p->n_accs + 1) * sizeof *o.list), 0 };
	xo_u64map_each(&p->index, add_owner, &o);
	*n = o.n;
	return o.list;
}

static void count_add(struct count **list, size_t *n, size_t *cap, str_t name, uint64_t k)
{
	for (size_t i = 0; i < *n; i++) {
		if ((*list)[i].name == name) {
			(*list)[i].n += k;
			return;
		}
	}
	*list = xo_grow(*list, cap, *n + 1, sizeof **list);
	(*list)[(*n)++] = (struct count){ name, k };
}

#define COUNT_ADD(a, field, name, k) count_add(&(a)->field, &(a)->n_##field, &(a)->cap_##field, name, k)

static void cx_add(struct acc *a, const struct cx *v)
{
	for (size_t i = 0; i < a->n_cx; i++) {
		struct cx *c = &a->cx[i];
		if (c->name != v->name)
			continue;
		c->n += v->n;
		c->sum += v->sum;
		/* The latest wins; on the same instant the larger value, so
		 * that the order of the input does not matter. */
		if (v->latest_ts > c->latest_ts ||
		    (v->latest_ts == c->latest_ts && v->latest > c->latest)) {
			c->latest = v->latest;
			c->latest_ts = v->latest_ts;
		}
		return;
	}
	a->cx = xo_grow(a->cx, &a->cap_cx, a->n_cx + 1, sizeof *a->cx);
	a->cx[a->n_cx++] = *v;
}

static void id_add(struct acc *a, const struct idstat *v)
{
	for (size_t i = 0; i < a->n_ids; i++) {
		struct idstat *s = &a->ids[i];
		if (s->node != v->node)
			continue;
		s->n += v->n;
		if (v->first < s->first)
			s->first = v->first;
		if (v->last > s->last)
			s->last = v->last;
		return;
	}
	a->ids = xo_grow(a->ids, &a->cap_ids, a->n_ids + 1, sizeof *a->ids);
	a->ids[a->n_ids++] = *v;
}

static void cand_add(struct acc *a, const struct cand *v)
{
	for (size_t i = 0; i < a->n_cands; i++) {
		struct cand *c = &a->cands[i];
		if (c->trait != v->trait || c->value != v->value || c->source != v->source)
			continue;
		c->n += v->n;
		if (v->first < c->first)
			c->first = v->first;
		if (v->last > c->last)
			c->last = v->last;
		return;
	}
	a->cands = xo_grow(a->cands, &a->cap_cands, a->n_cands + 1, sizeof *a->cands);
	a->cands[a->n_cands++] = *v;
}

static void span_add(struct acc *a, uint64_t events, xo_time_t first, xo_time_t last)
{
	a->events += events;
	if (first < a->first)
		a->first = first;
	if (last > a->last)
		a->last = last;
}

static void acc_fold(struct acc *to, const struct acc *from)
{
	span_add(to, from->events, from->first, from->last);
	for (size_t i = 0; i < from->n_channels; i++)
		COUNT_ADD(to, channels, from->channels[i].name, from->channels[i].n);
	for (size_t i = 0; i < from->n_types; i++)
		COUNT_ADD(to, types, from->types[i].name, from->types[i].n);
	for (size_t i = 0; i < from->n_sources; i++)
		COUNT_ADD(to, sources, from->sources[i].name, from->sources[i].n);
	for (size_t i = 0; i < from->n_cx; i++)
		cx_add(to, &from->cx[i]);
	for (size_t i = 0; i < from->n_ids; i++)
		id_add(to, &from->ids[i]);
	for (size_t i = 0; i < from->n_cands; i++)
		cand_add(to, &from->cands[i]);
}

static struct xo_profile_str string_member(const json_t *event, const char *key)
{
	json_t *v = json_object_get(event, key);
	if (!json_is_string(v))
		return (struct xo_profile_str){ "", 0 };
	return (struct xo_profile_str){ json_string_value(v), json_string_length(v) };
}

/* A trait's value as JSON text (so that numbers stay numbers) and a NUL
 * appended to text: its length, or -1 when empty. */
static long trait_value(const struct xo_trait *t, const json_t *event, struct xo_buf *text)
{
	json_t *v = xo_path_get(t->path, event);
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
		return -1;
	char *dump = json_dumps(v, XO_JSON_FLAGS | JSON_ENCODE_ANY);
	if (!dump)
		return -1;
	size_t len = strlen(dump);
	xo_buf_add(text, dump, len + 1);
	free(dump);
	return (long)len;
}

void xo_profile_in_read(struct xo_profile_in *in, const struct xo_traits *t, const json_t *event)
{
	in->channel = string_member(event, "channel");
	in->type = string_member(event, "type");
	in->source = string_member(event, "source");
	in->n_cx = 0;
	json_t *cx = json_object_get(event, "cx");
	const char *key;
	json_t *v;
	json_object_foreach(cx, key, v) {
		if (!json_is_number(v))
			continue;
		in->cx = xo_grow(in->cx, &in->cap_cx, in->n_cx + 1, sizeof *in->cx);
		in->cx[in->n_cx++] = (struct xo_profile_cx){ { key, strlen(key) }, json_number_value(v) };
	}
	xo_buf_reset(&in->text);
	in->traits = xo_grow(in->traits, &in->cap_traits, t->n + 1, sizeof *in->traits);
	in->n_traits = t->n;
	for (size_t i = 0; i < t->n; i++) {
		long len = trait_value(&t->list[i], event, &in->text);
		in->traits[i] = (struct xo_profile_str){ NULL, len < 0 ? SIZE_MAX : (size_t)len };
	}
	/* The texts, NUL-separated, no longer move. */
	for (size_t i = 0, off = 0; i < t->n; i++) {
		if (in->traits[i].len == SIZE_MAX) {
			in->traits[i].len = 0;
			continue;
		}
		in->traits[i].s = in->text.data + off;
		off += in->traits[i].len + 1;
	}
}

void xo_profile_in_free(struct xo_profile_in *in)
{
	free(in->cx);
	free(in->traits);
	xo_buf_free(&in->text);
	memset(in, 0, sizeof *in);
}

void xo_profiles_add_in(struct xo_profiles *p, uint64_t owner, const struct xo_profile_in *in,
			xo_time_t ts, const xo_node *nodes, size_t n)
{
	struct acc *a = acc_of(p, owner);
	span_add(a, 1, ts, ts);
	COUNT_ADD(a, channels, intern(p, in->channel.s, in->channel.len), 1);
	COUNT_ADD(a, types, intern(p, in->type.s, in->type.len), 1);
	str_t source = intern(p, in->source.s, in->source.len);
	COUNT_ADD(a, sources, source, 1);
	for (size_t i = 0; i < in->n_cx; i++) {
		double d = in->cx[i].value;
		struct cx c = { intern(p, in->cx[i].name.s, in->cx[i].name.len), 1, d, d, ts };
		cx_add(a, &c);
	}
	for (size_t i = 0; i < n; i++) {
		struct idstat s = { nodes[i], 1, ts, ts };
		id_add(a, &s);
	}
	for (size_t i = 0; i < p->traits->n && i < in->n_traits; i++) {
		if (!in->traits[i].s)
			continue;
		str_t value = intern(p, in->traits[i].s, in->traits[i].len);
		struct cand c = { (uint32_t)i, value, source, 1, ts, ts };
		cand_add(a, &c);
	}
}

void xo_profiles_add(struct xo_profiles *p, uint64_t owner, const json_t *event, xo_time_t ts,
		     const xo_node *nodes, size_t n)
{
	xo_profile_in_read(&p->scratch, p->traits, event);
	xo_profiles_add_in(p, owner, &p->scratch, ts, nodes, n);
}

/* ------------------------------------------------------------------ */
/* Survivorship */

/* One value's standing under a rule, over all its sources. */
struct standing {
	str_t value;
	uint64_t n;
	xo_time_t first, last;
	size_t rank;          /* priority: the best source's place */
	xo_time_t rank_last;  /* the latest sighting from that source */
};

static size_t source_rank(const struct xo_profiles *p, const struct xo_trait *t, str_t source)
{
	size_t len;
	const char *s = str(p, source, &len);
	for (size_t i = 0; i < t->n_sources; i++)
		if (strlen(t->sources[i]) == len && memcmp(t->sources[i], s, len) == 0)
			return i;
	return t->n_sources;
}

static int value_cmp(const struct xo_profiles *p, str_t a, str_t b)
{
	size_t la, lb;
	const char *sa = str(p, a, &la), *sb = str(p, b, &lb);
	int c = memcmp(sa, sb, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

/* 1 when a beats b under the trait's rule. Every tie is broken, last by
 * the value itself, so that the choice never depends on input order. */
static int beats(const struct xo_profiles *p, const struct xo_trait *t, const struct standing *a,
		 const struct standing *b)
{
	switch (t->rule) {
	case XO_TRAIT_PRIORITY:
		if (a->rank != b->rank)
			return a->rank < b->rank;
		if (a->rank_last != b->rank_last)
			return a->rank_last > b->rank_last;
		break;
	case XO_TRAIT_FREQUENT:
		if (a->n != b->n)
			return a->n > b->n;
		if (a->last != b->last)
			return a->last > b->last;
		break;
	case XO_TRAIT_FIRST:
		if (a->first != b->first)
			return a->first < b->first;
		if (a->n != b->n)
			return a->n > b->n;
		break;
	case XO_TRAIT_RECENT:
		if (a->last != b->last)
			return a->last > b->last;
		if (a->n != b->n)
			return a->n > b->n;
		break;
	}
	return value_cmp(p, a->value, b->value) < 0;
}

static int choose(const struct xo_profiles *p, const struct acc *a, uint32_t trait, str_t *out)
{
	const struct xo_trait *t = &p->traits->list[trait];
	struct standing *s = xo_malloc((a->n_cands + 1) * sizeof *s);
	size_t n = 0;
	for (size_t i = 0; i < a->n_cands; i++) {
		const struct cand *c = &a->cands[i];
		if (c->trait != trait)
			continue;
		size_t rank = source_rank(p, t, c->source), j = 0;
		while (j < n && s[j].value != c->value)
			j++;
		if (j == n)
			s[n++] = (struct standing){ c->value, 0, INT64_MAX, INT64_MIN, SIZE_MAX, INT64_MIN };
		s[j].n += c->n;
		if (c->first < s[j].first)
			s[j].first = c->first;
		if (c->last > s[j].last)
			s[j].last = c->last;
		if (rank < s[j].rank || (rank == s[j].rank && c->last > s[j].rank_last)) {
			s[j].rank = rank;
			s[j].rank_last = c->last;
		}
	}
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		if (beats(p, t, &s[i], &s[best]))
			best = i;
	int found = n > 0;
	if (found)
		*out = s[best].value;
	free(s);
	return found;
}

/* ------------------------------------------------------------------ */
/* Output */

static json_t *time_json(xo_time_t t)
{
	char buf[XO_TIME_BUFSIZE];
	size_t len = xo_time_format(t, buf);
	return json_stringn(buf, len);
}

static const struct xo_profiles *sort_p;

static int cmp_count(const void *x, const void *y)
{
	const struct count *a = x, *b = y;
	return value_cmp(sort_p, a->name, b->name);
}

static json_t *counts_json(const struct xo_profiles *p, struct count *list, size_t n)
{
	sort_p = p;
	if (n > 1)
		qsort(list, n, sizeof *list, cmp_count);
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *name = str(p, list[i].name, &len);
		json_object_setn_new(o, name, len, json_integer((json_int_t)list[i].n));
	}
	return o;
}

static int cmp_cx(const void *x, const void *y)
{
	const struct cx *a = x, *b = y;
	return value_cmp(sort_p, a->name, b->name);
}

static json_t *number_json(double d)
{
	if (d == floor(d) && fabs(d) < 1e15)
		return json_integer((json_int_t)d);
	return json_real(d);
}

static json_t *cx_json(const struct xo_profiles *p, struct cx *list, size_t n)
{
	sort_p = p;
	if (n > 1)
		qsort(list, n, sizeof *list, cmp_cx);
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *name = str(p, list[i].name, &len);
		double mean = round(list[i].sum / (double)list[i].n * 10000.0) / 10000.0;
		json_object_setn_new(o, name, len,
				     json_pack("{s:o,s:o,s:o,s:I}", "latest", number_json(list[i].latest),
					       "latest_ts", time_json(list[i].latest_ts), "mean",
					       number_json(mean), "n", (json_int_t)list[i].n));
	}
	return o;
}

static const struct xo_idg *sort_g;

/* Identifiers by kind name, then most events first, then value. */
static int cmp_id(const void *x, const void *y)
{
	const struct idstat *a = x, *b = y;
	int c = strcmp(xo_idg_kind_name(sort_g, xo_idg_node_kind(sort_g, a->node)),
		       xo_idg_kind_name(sort_g, xo_idg_node_kind(sort_g, b->node)));
	if (c)
		return c;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	size_t la, lb;
	const char *va = xo_idg_value(sort_g, a->node, &la), *vb = xo_idg_value(sort_g, b->node, &lb);
	c = memcmp(va, vb, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

/* Placeholders identify nobody, an event's own node is no identifier,
 * and a linking identifier of another customer is not this one's. */
static int listed(const struct xo_profiles *p, xo_node n, uint64_t xid)
{
	unsigned flags = xo_idg_flags(p->g, n);
	if (flags & (XO_NODE_PLACEHOLDER | XO_NODE_RECORD))
		return 0;
	if (p->node_xid && n < p->n_node_xid && p->node_xid[n] && p->node_xid[n] != xid)
		return 0;
	return 1;
}

static json_t *ids_json(const struct xo_profiles *p, struct idstat *list, size_t n, uint64_t xid)
{
	sort_g = p->g;
	if (n > 1)
		qsort(list, n, sizeof *list, cmp_id);
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		const char *kind = xo_idg_kind_name(p->g, xo_idg_node_kind(p->g, list[i].node));
		if (!listed(p, list[i].node, xid))
			continue;
		json_t *arr = json_object_get(o, kind);
		if (!arr) {
			arr = json_array();
			json_object_set_new(o, kind, arr);
		}
		size_t len;
		const char *v = xo_idg_value(p->g, list[i].node, &len);
		json_array_append_new(arr, json_pack("{s:s%,s:I,s:o,s:o}", "value", v, len, "events",
						     (json_int_t)list[i].n, "first_seen",
						     time_json(list[i].first), "last_seen",
						     time_json(list[i].last)));
	}
	return o;
}

static json_t *traits_json(const struct xo_profiles *p, const struct acc *a)
{
	json_t *o = json_object();
	for (size_t i = 0; i < p->traits->n; i++) {
		str_t v;
		if (!choose(p, a, (uint32_t)i, &v))
			continue;
		size_t len;
		const char *text = str(p, v, &len);
		json_t *value = json_loadb(text, len, JSON_DECODE_ANY, NULL);
		json_object_set_new(o, p->traits->list[i].name, value ? value : json_null());
	}
	return o;
}

json_t *xo_profiles_json(const struct xo_profiles *p, const uint64_t *owners, size_t n,
			 const char *xid)
{
	struct acc all;
	acc_init(&all);
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t idx;
		if (!xo_u64map_get(&p->index, owners[i], &idx))
			continue;
		acc_fold(&all, &p->accs[idx - 1]);
		any = 1;
	}
	json_t *o = NULL;
	uint64_t x = 0;
	xo_xid_parse(xid, strlen(xid), &x);
	if (any && all.events > 0) {
		o = json_pack("{s:s,s:o,s:o,s:I}", "xid", xid, "first_seen", time_json(all.first),
			      "last_seen", time_json(all.last), "events", (json_int_t)all.events);
		json_object_set_new(o, "ids", ids_json(p, all.ids, all.n_ids, x));
		json_object_set_new(o, "traits", traits_json(p, &all));
		json_object_set_new(o, "channels", counts_json(p, all.channels, all.n_channels));
		json_object_set_new(o, "types", counts_json(p, all.types, all.n_types));
		json_object_set_new(o, "sources", counts_json(p, all.sources, all.n_sources));
		json_object_set_new(o, "cx", cx_json(p, all.cx, all.n_cx));
	}
	acc_free(&all);
	return o;
}

/* ------------------------------------------------------------------ */
/* Saving and loading (state files) */

static json_t *str_json(const struct xo_profiles *p, str_t s)
{
	size_t len;
	const char *v = str(p, s, &len);
	return json_stringn(v, len);
}

static json_t *counts_save(const struct xo_profiles *p, const struct count *list, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("[o,I]", str_json(p, list[i].name),
						     (json_int_t)list[i].n));
	return arr;
}

void xo_profiles_save(const struct xo_profiles *p, uint64_t owner, struct xo_buf *out)
{
	uint64_t idx;
	if (!xo_u64map_get(&p->index, owner, &idx))
		return;
	const struct acc *a = &p->accs[idx - 1];
	json_t *cx = json_array(), *ids = json_array(), *cands = json_array();
	for (size_t i = 0; i < a->n_cx; i++)
		json_array_append_new(cx, json_pack("[o,I,f,f,I]", str_json(p, a->cx[i].name),
						    (json_int_t)a->cx[i].n, a->cx[i].sum, a->cx[i].latest,
						    (json_int_t)a->cx[i].latest_ts));
	for (size_t i = 0; i < a->n_ids; i++) {
		const struct idstat *s = &a->ids[i];
		size_t len;
		const char *v = xo_idg_value(p->g, s->node, &len);
		json_array_append_new(ids, json_pack("[s,s%,I,I,I]",
						     xo_idg_kind_name(p->g, xo_idg_node_kind(p->g, s->node)),
						     v, len, (json_int_t)s->n, (json_int_t)s->first,
						     (json_int_t)s->last));
	}
	for (size_t i = 0; i < a->n_cands; i++) {
		const struct cand *c = &a->cands[i];
		json_array_append_new(cands, json_pack("[s,o,o,I,I,I]", p->traits->list[c->trait].name,
						       str_json(p, c->value), str_json(p, c->source),
						       (json_int_t)c->n, (json_int_t)c->first,
						       (json_int_t)c->last));
	}
	json_t *o = json_pack("{s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "events",
			      (json_int_t)a->events, "first", (json_int_t)a->first, "last",
			      (json_int_t)a->last, "channels",
			      counts_save(p, a->channels, a->n_channels), "types",
			      counts_save(p, a->types, a->n_types), "sources",
			      counts_save(p, a->sources, a->n_sources), "cx", cx, "ids", ids,
			      "traits", cands);
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return;
	xo_buf_adds(out, text);
	free(text);
}

static int counts_load(struct xo_profiles *p, json_t *arr, struct count **list, size_t *n,
		       size_t *cap)
{
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item) {
		json_t *name = json_array_get(item, 0), *k = json_array_get(item, 1);
		if (!json_is_string(name) || !json_is_integer(k))
			return -1;
		count_add(list, n, cap, intern(p, json_string_value(name), json_string_length(name)),
			  (uint64_t)json_integer_value(k));
	}
	return 0;
}

static int trait_index(const struct xo_profiles *p, const char *name, uint32_t *out)
{
	for (size_t i = 0; i < p->traits->n; i++) {
		if (strcmp(p->traits->list[i].name, name) == 0) {
			*out = (uint32_t)i;
			return 0;
		}
	}
	return -1;
}

static int load_details(struct xo_profiles *p, struct xo_idg *g, struct acc *a, json_t *o)
{
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(o, "cx"), i, item) {
		json_t *name = json_array_get(item, 0);
		if (!json_is_string(name))
			return -1;
		struct cx c = { intern(p, json_string_value(name), json_string_length(name)),
				(uint64_t)json_integer_value(json_array_get(item, 1)),
				json_number_value(json_array_get(item, 2)),
				json_number_value(json_array_get(item, 3)),
				json_integer_value(json_array_get(item, 4)) };
		cx_add(a, &c);
	}
	json_array_foreach(json_object_get(o, "ids"), i, item) {
		json_t *kind = json_array_get(item, 0), *value = json_array_get(item, 1);
		if (!json_is_string(kind) || !json_is_string(value))
			return -1;
		unsigned k = xo_idg_kind(g, json_string_value(kind), json_string_length(kind));
		struct idstat s = { xo_idg_intern(g, k, json_string_value(value),
						    json_string_length(value), NULL),
				    (uint64_t)json_integer_value(json_array_get(item, 2)),
				    json_integer_value(json_array_get(item, 3)),
				    json_integer_value(json_array_get(item, 4)) };
		id_add(a, &s);
	}
	json_array_foreach(json_object_get(o, "traits"), i, item) {
		json_t *name = json_array_get(item, 0), *v = json_array_get(item, 1);
		json_t *src = json_array_get(item, 2);
		uint32_t t;
		if (!json_is_string(name) || !json_is_string(v) || !json_is_string(src))
			return -1;
		if (trait_index(p, json_string_value(name), &t) != 0)
			continue; /* a trait no longer asked for */
		struct cand c = { t, intern(p, json_string_value(v), json_string_length(v)),
				  intern(p, json_string_value(src), json_string_length(src)),
				  (uint64_t)json_integer_value(json_array_get(item, 3)),
				  json_integer_value(json_array_get(item, 4)),
				  json_integer_value(json_array_get(item, 5)) };
		cand_add(a, &c);
	}
	return 0;
}

int xo_profiles_load(struct xo_profiles *p, struct xo_idg *g, uint64_t owner,
		     const char *text, size_t len)
{
	json_t *o = json_loadb(text, len, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	struct acc a;
	acc_init(&a);
	span_add(&a, (uint64_t)json_integer_value(json_object_get(o, "events")),
		 json_integer_value(json_object_get(o, "first")),
		 json_integer_value(json_object_get(o, "last")));
	int rc = counts_load(p, json_object_get(o, "channels"), &a.channels, &a.n_channels,
			     &a.cap_channels);
	rc |= counts_load(p, json_object_get(o, "types"), &a.types, &a.n_types, &a.cap_types);
	rc |= counts_load(p, json_object_get(o, "sources"), &a.sources, &a.n_sources,
			  &a.cap_sources);
	rc |= load_details(p, g, &a, o);
	json_decref(o);
	if (rc == 0)
		acc_fold(acc_of(p, owner), &a);
	acc_free(&a);
	return rc ? -1 : 0;
}
