#include "event.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "hash.h"
#include "ident.h"
#include "jpath.h"
#include "mem.h"
#include "out.h"
#include "pseudo.h"
#include "utf8.h"

/* A map field resolved for one input: a column or a JSON path; neither
 * when an optional field is missing. */
struct bref {
	long col;
	struct xo_path *path;
};

struct brefs {
	struct bref *refs;
	size_t n;
};

struct xo_binding {
	int json;
	size_t width;
	char **names;            /* tabular: column names, owned */
	unsigned char *consumed; /* tabular: used by ts/ids/cx/text or dropped */
	signed char *col_type;   /* tabular: enum xo_attr_type per column */
	struct brefs time, text, drop;
	struct bref channel, type;
	struct brefs *ids;       /* one per map->ids */
	size_t n_ids;
	struct bref cx[XO_CX_COUNT];
};

struct xo_eventer {
	const struct xo_map *map;
	char *source;
	const struct xo_tz *tz;
	char *country;
	const struct xo_pseudo *pseudo;
	struct xo_buf body, tmp, tmp2, norm, conv;
	size_t *conv_off;
	size_t conv_cap;
	unsigned char *keep;     /* tabular: columns going to attrs this record */
	size_t keep_cap;
	/* values after encoding repair, for tabular records */
	const char **vals;
	size_t *lens;
	size_t vals_cap;
	/* JSON: paths not to remove from attrs this record */
	const struct xo_path **kept_paths;
	size_t n_kept, kept_cap;
};

/* --- setup -------------------------------------------------------------- */

struct xo_eventer *xo_eventer_new(const struct xo_map *map, const struct xo_eventer_opts *opts,
				  struct xo_buf *err)
{
	const char *tz_name = opts->tz_name ? opts->tz_name : map->tz_name;
	const char *country = opts->country ? opts->country : map->default_country;
	const struct xo_tz *tz = xo_tz_utc();
	if (tz_name) {
		const char *why;
		tz = xo_tz_get(tz_name, &why);
		if (!tz) {
			xo_buf_printf(err, "time zone '%s': %s", tz_name, why);
			return NULL;
		}
	}
	if (country && !xo_phone_country_known(country)) {
		xo_buf_printf(err, "default country '%s' is not one xo knows", country);
		return NULL;
	}
	struct xo_eventer *e = xo_calloc(1, sizeof *e);
	e->map = map;
	e->tz = tz;
	e->country = country ? xo_strdup(country) : NULL;
	e->pseudo = opts->pseudo;
	const char *source = opts->source ? opts->source : map->source ? map->source : opts->default_source;
	e->source = xo_strdup(source ? source : "unknown");
	return e;
}

const char *xo_eventer_source(const struct xo_eventer *e)
{
	return e->source;
}

void xo_eventer_free(struct xo_eventer *e)
{
	if (!e)
		return;
	free(e->source);
	free(e->country);
	xo_buf_free(&e->body);
	xo_buf_free(&e->tmp);
	xo_buf_free(&e->tmp2);
	xo_buf_free(&e->norm);
	xo_buf_free(&e->conv);
	free(e->conv_off);
	free(e->keep);
	free(e->vals);
	free(e->lens);
	free(e->kept_paths);
	free(e);
}

static long find_column(const struct xo_binding *b, const char *name)
{
	for (size_t i = 0; i < b->width; i++)
		if (strcmp(b->names[i], name) == 0)
			return (long)i;
	return -1;
}

static void missing_column(const struct xo_binding *b, const char *name, struct xo_buf *err)
{
	xo_buf_printf(err, "no column '%s' (columns:", name);
	for (size_t i = 0; i < b->width && i < 30; i++)
		xo_buf_printf(err, "%s %s", i ? "," : "", b->names[i]);
	xo_buf_adds(err, b->width > 30 ? ", ...)" : ")");
}

/* Resolve one map field; marks the column consumed. -1 with err when a
 * required field is missing. */
static int bind_ref(struct xo_binding *b, const struct xo_fieldref *ref, struct bref *out,
		    int consume, struct xo_buf *err)
{
	out->col = -1;
	out->path = NULL;
	if (b->json) {
		out->path = xo_path_compile(ref->name, err);
		return out->path ? 0 : -1;
	}
	out->col = find_column(b, ref->name);
	if (out->col < 0) {
		if (ref->optional)
			return 0;
		missing_column(b, ref->name, err);
		return -1;
	}
	if (consume)
		b->consumed[out->col] = 1;
	return 0;
}

static int bind_refs(struct xo_binding *b, const struct xo_fieldrefs *refs, struct brefs *out,
		     int consume, struct xo_buf *err)
{
	out->n = refs->n;
	out->refs = xo_calloc(refs->n, sizeof *out->refs);
	for (size_t i = 0; i < refs->n; i++)
		if (bind_ref(b, &refs->refs[i], &out->refs[i], consume, err) != 0)
			return -1;
	return 0;
}

static int bind_all(struct xo_eventer *e, struct xo_binding *b, struct xo_buf *err)
{
	const struct xo_map *m = e->map;
	if (bind_refs(b, &m->time_fields, &b->time, 1, err) || bind_refs(b, &m->text, &b->text, 1, err) ||
	    bind_refs(b, &m->drop, &b->drop, 1, err))
		return -1;
	/* channel and type fields stay in attrs: their raw value says more
	 * than the looked-up word. */
	if (m->channel.field.name && bind_ref(b, &m->channel.field, &b->channel, 0, err))
		return -1;
	if (m->type.field.name && bind_ref(b, &m->type.field, &b->type, 0, err))
		return -1;
	b->ids = xo_calloc(m->n_ids, sizeof *b->ids);
	b->n_ids = m->n_ids;
	for (size_t i = 0; i < m->n_ids; i++)
		if (bind_refs(b, &m->ids[i].fields, &b->ids[i], 1, err))
			return -1;
	for (int k = 0; k < XO_CX_COUNT; k++)
		if (m->cx[k].field.name && bind_ref(b, &m->cx[k].field, &b->cx[k], 1, err))
			return -1;
	return 0;
}

static struct xo_binding *new_binding(int json)
{
	struct xo_binding *b = xo_calloc(1, sizeof *b);
	b->json = json;
	b->channel.col = b->type.col = -1;
	for (int k = 0; k < XO_CX_COUNT; k++)
		b->cx[k].col = -1;
	return b;
}

struct xo_binding *xo_binding_tabular(struct xo_eventer *e, const char *const *names, size_t n,
				      struct xo_buf *err)
{
	struct xo_binding *b = new_binding(0);
	b->width = n;
	b->names = xo_calloc(n, sizeof *b->names);
	for (size_t i = 0; i < n; i++)
		b->names[i] = xo_strdup(names[i]);
	b->consumed = xo_calloc(n, 1);
	b->col_type = xo_calloc(n, 1);
	if (bind_all(e, b, err) != 0) {
		xo_binding_free(b);
		return NULL;
	}
	for (size_t t = 0; t < e->map->n_types; t++) {
		long col = find_column(b, e->map->types[t].field);
		if (col >= 0)
			b->col_type[col] = (signed char)e->map->types[t].type;
	}
	e->keep = xo_grow(e->keep, &e->keep_cap, n, 1);
	return b;
}

struct xo_binding *xo_binding_json(struct xo_eventer *e, struct xo_buf *err)
{
	struct xo_binding *b = new_binding(1);
	if (bind_all(e, b, err) != 0) {
		xo_binding_free(b);
		return NULL;
	}
	return b;
}

size_t xo_binding_width(const struct xo_binding *b)
{
	return b->width;
}

static void free_brefs(struct brefs *r)
{
	for (size_t i = 0; i < r->n; i++)
		xo_path_free(r->refs[i].path);
	free(r->refs);
}

void xo_binding_free(struct xo_binding *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->width; i++)
		free(b->names[i]);
	free(b->names);
	free(b->consumed);
	free(b->col_type);
	free_brefs(&b->time);
	free_brefs(&b->text);
	free_brefs(&b->drop);
	xo_path_free(b->channel.path);
	xo_path_free(b->type.path);
	for (size_t i = 0; i < b->n_ids; i++)
		free_brefs(&b->ids[i]);
	free(b->ids);
	for (int k = 0; k < XO_CX_COUNT; k++)
		xo_path_free(b->cx[k].path);
	free(b);
}

/* --- reading fields ------------------------------------------------------ */

struct view {
	const struct xo_binding *b;
	const char *const *vals; /* tabular */
	const size_t *lens;
	json_t *obj;             /* JSON */
};

/* The text of a field: 1 and s/len set, or 0 when it is absent (a
 * missing optional column, a JSON null or absent key). Non-string JSON
 * values are written as JSON text into tmp. */
static int field_text(const struct view *v, const struct bref *r, const char **s, size_t *len,
		      struct xo_buf *tmp)
{
	if (!v->b->json) {
		if (r->col < 0)
			return 0;
		*s = v->vals[r->col];
		*len = v->lens[r->col];
		return 1;
	}
	json_t *j = r->path ? xo_path_get(r->path, v->obj) : NULL;
	if (!j || json_is_null(j))
		return 0;
	if (json_is_string(j)) {
		*s = json_string_value(j);
		*len = json_string_length(j);
		return 1;
	}
	xo_buf_reset(tmp);
	xo_json_text(tmp, j);
	*s = tmp->data;
	*len = tmp->len;
	return 1;
}

static void keep_in_attrs(struct xo_eventer *e, const struct view *v, const struct bref *r)
{
	if (e->pseudo)
		return; /* pseudonymized output holds no raw identifier */
	if (!v->b->json) {
		if (r->col >= 0)
			e->keep[r->col] = 1;
		return;
	}
	e->kept_paths = xo_grow(e->kept_paths, &e->kept_cap, e->n_kept + 1, sizeof *e->kept_paths);
	e->kept_paths[e->n_kept++] = r->path;
}

static void reason(struct xo_buf *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void reason(struct xo_buf *why, const char *fmt, ...)
{
	va_list ap;
	xo_buf_reset(why);
	va_start(ap, fmt);
	xo_buf_vprintf(why, fmt, ap);
	va_end(ap);
}

/* A value quoted for a message: at most 60 bytes, cut on a character. */
static const char *quoted(struct xo_buf *out, const char *s, size_t len)
{
	xo_buf_reset(out);
	size_t n = len;
	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	xo_buf_add_json_string(out, s, n);
	if (n < len) {
		out->len--; /* reopen the string for the ellipsis */
		xo_buf_addlit(out, "...\"");
	}
	return out->data;
}

/* --- numbers ------------------------------------------------------------- */

int xo_parse_number(const char *s, size_t len, char decimal, double *out)
{
	if (len > 0 && len <= 15) {
		/* The common case, a plain whole number, without strtod. */
		size_t i = 0;
		long long v = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (s[i++] - '0');
		if (i == len) {
			*out = (double)v;
			return 0;
		}
	}
	char clean[64];
	size_t n = 0, i = 0;
	char group = decimal == ',' ? '.' : ',';
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		clean[n++] = s[i++];
	size_t digits = 0, since_group = 0;
	int grouped = 0;
	for (; i < len && n < sizeof clean - 8; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			clean[n++] = s[i];
			digits++;
			since_group++;
		} else if (s[i] == group && digits > 0 && (grouped ? since_group == 3 : since_group <= 3)) {
			grouped = 1;
			since_group = 0;
		} else {
			break;
		}
	}
	if (grouped && since_group != 3)
		return -1;
	if (i < len && s[i] == decimal) {
		clean[n++] = '.';
		for (i++; i < len && s[i] >= '0' && s[i] <= '9' && n < sizeof clean - 8; i++, digits++)
			clean[n++] = s[i];
	}
	if (digits == 0)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		clean[n++] = 'e';
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			clean[n++] = s[i++];
		size_t exp_digits = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9' && n < sizeof clean - 1; i++, exp_digits++)
			clean[n++] = s[i];
		if (exp_digits == 0)
			return -1;
	}
	if (i != len)
		return -1;
	clean[n] = '\0';
	double v = strtod(clean, NULL); /* '.' is the decimal point: no setlocale */
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static void add_number(struct xo_buf *out, double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		xo_buf_add_int(out, (long long)v);
	else
		xo_buf_printf(out, "%.15g", v);
}

/* --- the event's fields -------------------------------------------------- */

static int build_time(struct xo_eventer *e, const struct view *v, char ts[XO_TIME_BUFSIZE],
		      struct xo_buf *why)
{
	const struct xo_map *m = e->map;
	struct xo_buf *text = &e->tmp2;
	xo_buf_reset(text);
	int present = 0;
	for (size_t i = 0; i < v->b->time.n; i++) {
		const char *s;
		size_t len;
		if (!field_text(v, &v->b->time.refs[i], &s, &len, &e->tmp) || xo_is_null_token(s, len))
			continue;
		if (present++)
			xo_buf_addc(text, ' ');
		xo_buf_add(text, s, len);
	}
	xo_time_t t;
	if (!present) {
		if (!m->has_time_default) {
			reason(why, "no time (");
			for (size_t i = 0; i < m->time_fields.n; i++)
				xo_buf_printf(why, "%s'%s'", i ? " and " : "field ", m->time_fields.refs[i].name);
			xo_buf_adds(why, m->time_fields.n > 1 ? " are empty)" : " is empty)");
			return -1;
		}
		t = m->time_default;
	} else {
		const char *fail = NULL;
		size_t k;
		for (k = 0; k < m->n_time_formats; k++)
			if (xo_time_parse(&m->time_formats[k], text->data, text->len, e->tz, &t, &fail) == 0)
				break;
		if (k == m->n_time_formats) {
			reason(why, "time %s", quoted(&e->tmp, text->data, text->len));
			if (strcmp(fail, "time does not match the declared format") != 0) {
				xo_buf_printf(why, ": %s", fail);
				return -1;
			}
			xo_buf_addlit(why, " does not match format ");
			for (k = 0; k < m->n_time_formats; k++)
				xo_buf_printf(why, "%s%s", k ? " or " : "",
					      m->time_format_text ? m->time_format_text[k] : "iso8601");
			return -1;
		}
	}
	xo_time_format(t, ts);
	return 0;
}

/* Lower-case ASCII word from a raw value: blanks, '-' and '/' become
 * '_', other characters are dropped. */
static void slug(struct xo_buf *out, const char *s, size_t len, int dotted)
{
	int last_us = 1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (dotted && c == '.')) {
			xo_buf_addc(out, c);
			last_us = 0;
		} else if ((c == ' ' || c == '-' || c == '_' || c == '/' || c == '\t') && !last_us) {
			xo_buf_addc(out, '_');
			last_us = 1;
		}
	}
	while (out->len > 0 && out->data[out->len - 1] == '_')
		out->data[--out->len] = '\0';
}

static int build_choice(struct xo_eventer *e, const struct view *v, const struct xo_choice *c,
			const struct bref *r, const char *what, struct xo_buf *out, struct xo_buf *why)
{
	if (c->constant) {
		xo_buf_add_json_string(out, c->constant, strlen(c->constant));
		return 0;
	}
	const char *s = NULL;
	size_t len = 0;
	int present = field_text(v, r, &s, &len, &e->tmp) && !xo_is_null_token(s, len);
	int limit = 0;
	const char *found = present ? xo_lookup_find(&c->lookup, s, len, &limit) : c->lookup.fallback;
	if (limit) {
		reason(why, "%s %s: regex match limit hit", what, quoted(&e->tmp2, s, len));
		return -1;
	}
	if (found) {
		xo_buf_add_json_string(out, found, strlen(found));
		return 0;
	}
	if (!present) {
		reason(why, "no %s (field '%s' is empty)", what, e->map->channel.field.name && !strcmp(what, "channel")
		       ? e->map->channel.field.name : e->map->type.field.name);
		return -1;
	}
	if (c->lookup.n > 0) {
		reason(why, "%s %s not in the map's [%s] table, which has no default '*'", what,
		       quoted(&e->tmp2, s, len), what);
		return -1;
	}
	struct xo_buf *word = &e->tmp2;
	xo_buf_reset(word);
	if (c->prefix)
		xo_buf_adds(word, c->prefix);
	size_t before = word->len;
	slug(word, s, len, !strcmp(what, "type"));
	if (word->len == before) {
		reason(why, "%s %s has no letters or digits to make a %s of", what, quoted(&e->norm, s, len), what);
		return -1;
	}
	xo_buf_add_json_string(out, word->data, word->len);
	return 0;
}

static int build_ids(struct xo_eventer *e, const struct view *v, struct xo_buf *out, struct xo_buf *why)
{
	const struct xo_map *m = e->map;
	int any = 0;
	for (size_t i = 0; i < m->n_ids; i++) {
		const char *kind = m->ids[i].kind;
		int have = 0;
		for (size_t f = 0; f < v->b->ids[i].n; f++) {
			const struct bref *r = &v->b->ids[i].refs[f];
			const char *s, *fail;
			size_t len;
			if (!field_text(v, r, &s, &len, &e->tmp) || xo_is_null_token(s, len))
				continue;
			size_t mark = e->norm.len;
			if (xo_ident_normalize(kind, s, len, e->country, &e->norm, &fail) != 0) {
				if (m->keep_invalid_ids) {
					keep_in_attrs(e, v, r);
					continue;
				}
				reason(why, "invalid %s %s: %s", kind, quoted(&e->tmp2, s, len), fail);
				return -1;
			}
			if (have) {
				/* One value per kind: a second, different one stays in attrs. */
				keep_in_attrs(e, v, r);
				e->norm.len = mark;
				continue;
			}
			have = 1;
			xo_buf_adds(out, any++ ? "," : ",\"ids\":{");
			xo_buf_add_json_string(out, kind, strlen(kind));
			xo_buf_addc(out, ':');
			if (e->pseudo) {
				xo_buf_reset(&e->tmp2);
				xo_pseudo_of(e->pseudo, kind, e->norm.data + mark, e->norm.len - mark, &e->tmp2);
				xo_buf_add_json_string(out, e->tmp2.data, e->tmp2.len);
			} else {
				xo_buf_add_json_string(out, e->norm.data + mark, e->norm.len - mark);
			}
		}
		xo_buf_reset(&e->norm);
	}
	if (any)
		xo_buf_addc(out, '}');
	return 0;
}

static int cx_value(struct xo_eventer *e, const struct view *v, int k, int *value, struct xo_buf *why)
{
	const struct xo_cx_map *cx = &e->map->cx[k];
	const char *name = xo_cx_names[k];
	const char *s;
	size_t len;
	if (!field_text(v, &v->b->cx[k], &s, &len, &e->tmp) || xo_is_null_token(s, len))
		return 0;
	double d;
	int limit;
	const char *label = cx->labels.n || cx->labels.fallback ? xo_lookup_find(&cx->labels, s, len, &limit) : NULL;
	if (label)
		d = strtod(label, NULL);
	else if (xo_parse_number(s, len, e->map->decimal, &d) != 0) {
		reason(why, "%s %s is not a number%s", name, quoted(&e->tmp2, s, len),
		       cx->labels.n ? " or a label of [cx." : "");
		if (cx->labels.n) {
			xo_buf_adds(why, name);
			xo_buf_addc(why, ']');
		}
		return -1;
	}
	if (cx->has_scale && !label) {
		if (d < cx->from_lo || d > cx->from_hi) {
			reason(why, "%s %s outside the source scale %g-%g", name, quoted(&e->tmp2, s, len),
			       cx->from_lo, cx->from_hi);
			return -1;
		}
		double span = xo_cx_max[k] - xo_cx_min[k];
		d = xo_cx_min[k] + (d - cx->from_lo) * span / (cx->from_hi - cx->from_lo);
		d = floor(d + 0.5);
	}
	if (d != floor(d) || d < xo_cx_min[k] || d > xo_cx_max[k]) {
		reason(why, "%s %s out of range %d-%d%s", name, quoted(&e->tmp2, s, len), xo_cx_min[k],
		       xo_cx_max[k], d != floor(d) ? " (not a whole number)" : "");
		return -1;
	}
	*value = (int)d;
	return 1;
}

static int build_cx(struct xo_eventer *e, const struct view *v, struct xo_buf *out, struct xo_buf *why)
{
	int any = 0;
	for (int k = 0; k < XO_CX_COUNT; k++) {
		int value, rc = cx_value(e, v, k, &value, why);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		xo_buf_adds(out, any++ ? ",\"" : ",\"cx\":{\"");
		xo_buf_adds(out, xo_cx_names[k]);
		xo_buf_addlit(out, "\":");
		xo_buf_add_int(out, value);
	}
	if (any)
		xo_buf_addc(out, '}');
	return 0;
}

static void build_text(struct xo_eventer *e, const struct view *v, struct xo_buf *out)
{
	struct xo_buf *text = &e->tmp2;
	xo_buf_reset(text);
	for (size_t i = 0; i < v->b->text.n; i++) {
		const char *s;
		size_t len;
		if (!field_text(v, &v->b->text.refs[i], &s, &len, &e->tmp))
			continue;
		size_t a = 0, z = len;
		while (a < z && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r'))
			a++;
		while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t' || s[z - 1] == '\n' || s[z - 1] == '\r'))
			z--;
		if (a == z)
			continue;
		if (text->len)
			xo_buf_addc(text, '\n');
		xo_buf_add(text, s + a, z - a);
	}
	if (text->len) {
		xo_buf_addlit(out, ",\"text\":");
		xo_buf_add_json_string(out, text->data, text->len);
	}
}

static int typed_value(struct xo_eventer *e, enum xo_attr_type type, const char *name, const char *s,
		       size_t len, struct xo_buf *out, struct xo_buf *why)
{
	double d;
	switch (type) {
	case XO_ATTR_NUMBER:
	case XO_ATTR_INTEGER:
		if (xo_parse_number(s, len, e->map->decimal, &d) != 0 ||
		    (type == XO_ATTR_INTEGER && (d != floor(d) || fabs(d) >= 9007199254740992.0))) {
			reason(why, "%s %s is not %s", name, quoted(&e->tmp2, s, len),
			       type == XO_ATTR_NUMBER ? "a number" : "a whole number");
			return -1;
		}
		add_number(out, d);
		return 0;
	case XO_ATTR_BOOLEAN: {
		static const char *const yes[] = { "true", "yes", "y", "1", "si", "s\xc3\xac", "s\xc3\xad", "t" };
		static const char *const no[] = { "false", "no", "n", "0", "f" };
		while (len > 0 && s[len - 1] == ' ')
			len--;
		for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
			if (strlen(yes[i]) == len && !strncasecmp(s, yes[i], len)) {
				xo_buf_addlit(out, "true");
				return 0;
			}
		for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
			if (strlen(no[i]) == len && !strncasecmp(s, no[i], len)) {
				xo_buf_addlit(out, "false");
				return 0;
			}
		reason(why, "%s %s is not a yes/no value", name, quoted(&e->tmp2, s, len));
		return -1;
	}
	default:
		xo_buf_add_json_string(out, s, len);
		return 0;
	}
}

static int attrs_tabular(struct xo_eventer *e, const struct view *v, struct xo_buf *out, struct xo_buf *why)
{
	const struct xo_binding *b = v->b;
	int any = 0;
	for (size_t i = 0; i < b->width; i++) {
		if (b->consumed[i] && !e->keep[i])
			continue;
		int empty = v->lens[i] == 0 ||
			    (b->col_type[i] != XO_ATTR_STRING && xo_is_null_token(v->vals[i], v->lens[i]));
		if (empty && !e->map->keep_empty)
			continue;
		xo_buf_adds(out, any++ ? "," : ",\"attrs\":{");
		xo_buf_add_json_string(out, b->names[i], strlen(b->names[i]));
		xo_buf_addc(out, ':');
		if (empty) {
			xo_buf_adds(out, b->col_type[i] == XO_ATTR_STRING ? "\"\"" : "null");
			continue;
		}
		enum xo_attr_type t = (enum xo_attr_type)b->col_type[i];
		if (typed_value(e, t, b->names[i], v->vals[i], v->lens[i], out, why) != 0)
			return -1;
	}
	if (any)
		xo_buf_addc(out, '}');
	return 0;
}

static int path_kept(const struct xo_eventer *e, const struct xo_path *p)
{
	for (size_t i = 0; i < e->n_kept; i++)
		if (e->kept_paths[i] == p)
			return 1;
	return 0;
}

static void delete_refs(struct xo_eventer *e, const struct brefs *r, json_t *copy)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->refs[i].path && !path_kept(e, r->refs[i].path))
			xo_path_del(r->refs[i].path, copy);
}

static int attrs_json(struct xo_eventer *e, const struct view *v, struct xo_buf *out, struct xo_buf *why)
{
	const struct xo_binding *b = v->b;
	json_t *copy = json_deep_copy(v->obj);
	if (!copy)
		xo_die(XO_EXIT_INTERNAL, "out of memory");
	delete_refs(e, &b->time, copy);
	delete_refs(e, &b->text, copy);
	delete_refs(e, &b->drop, copy);
	for (size_t i = 0; i < b->n_ids; i++)
		delete_refs(e, &b->ids[i], copy);
	for (int k = 0; k < XO_CX_COUNT; k++)
		if (b->cx[k].path)
			xo_path_del(b->cx[k].path, copy);
	int any = 0, rc = 0;
	const char *key;
	json_t *value;
	json_object_foreach(copy, key, value) {
		if (json_is_object(value) && json_object_size(value) == 0)
			continue; /* emptied by taking its fields out */
		if (!e->map->keep_empty && json_is_string(value) && json_string_length(value) == 0)
			continue;
		xo_buf_adds(out, any++ ? "," : ",\"attrs\":{");
		xo_buf_add_json_string(out, key, strlen(key));
		xo_buf_addc(out, ':');
		enum xo_attr_type t = XO_ATTR_STRING;
		for (size_t i = 0; i < e->map->n_types; i++)
			if (!strcmp(e->map->types[i].field, key))
				t = e->map->types[i].type;
		if (json_is_string(value) && t != XO_ATTR_STRING) {
			rc = typed_value(e, t, key, json_string_value(value), json_string_length(value), out, why);
			if (rc != 0)
				break;
		} else {
			char *dump = json_dumps(value, XO_JSON_FLAGS | JSON_ENCODE_ANY);
			if (!dump)
				xo_die(XO_EXIT_INTERNAL, "out of memory");
			xo_buf_adds(out, dump);
			free(dump);
		}
	}
	json_decref(copy);
	if (rc == 0 && any)
		xo_buf_addc(out, '}');
	return rc;
}

/* --- the whole event ----------------------------------------------------- */

static int build(struct xo_eventer *e, const struct view *v, struct xo_buf *out, struct xo_buf *why)
{
	const struct xo_map *m = e->map;
	char ts[XO_TIME_BUFSIZE];
	e->n_kept = 0;
	if (!v->b->json)
		memset(e->keep, 0, v->b->width);
	if (build_time(e, v, ts, why) != 0)
		return -1;
	struct xo_buf *body = &e->body;
	xo_buf_reset(body);
	xo_buf_addlit(body, ",\"source\":");
	xo_buf_add_json_string(body, e->source, strlen(e->source));
	xo_buf_addlit(body, ",\"channel\":");
	if (build_choice(e, v, &m->channel, &v->b->channel, "channel", body, why) != 0)
		return -1;
	xo_buf_addlit(body, ",\"type\":");
	if (build_choice(e, v, &m->type, &v->b->type, "type", body, why) != 0)
		return -1;
	if (build_ids(e, v, body, why) != 0 || build_cx(e, v, body, why) != 0)
		return -1;
	build_text(e, v, body);
	if ((v->b->json ? attrs_json(e, v, body, why) : attrs_tabular(e, v, body, why)) != 0)
		return -1;
	xo_buf_addc(body, '}');
	/* The id: the source and the event without its id. */
	struct xo_hasher h;
	xo_hasher_init(&h, &XO_HASH_PUBLIC);
	xo_hasher_add(&h, e->source, strlen(e->source) + 1);
	xo_hasher_add(&h, ts, strlen(ts) + 1);
	xo_hasher_add(&h, body->data, body->len);
	char id[17];
	xo_hash_hex(xo_hasher_end(&h), id);
	xo_buf_reset(out);
	xo_buf_addlit(out, "{\"ts\":\"");
	xo_buf_adds(out, ts);
	xo_buf_addlit(out, "\",\"id\":\"");
	xo_buf_add(out, id, 16);
	xo_buf_addc(out, '"');
	xo_buf_add(out, body->data, body->len);
	return 0;
}

/* Values in the map's encoding, made UTF-8: checked, transcoded from
 * Latin-1, or repaired. */
static int fix_encoding(struct xo_eventer *e, const struct xo_binding *b, const char *const **vals,
			const size_t **lens, size_t n, struct xo_buf *why)
{
	enum xo_encoding enc = e->map->encoding;
	for (size_t i = 0; i < n; i++) {
		if (memchr((*vals)[i], '\0', (*lens)[i])) {
			reason(why, "NUL byte in field '%s' (a UTF-16 file? convert it to UTF-8)", b->names[i]);
			return -1;
		}
	}
	if (enc == XO_ENC_UTF8) {
		for (size_t i = 0; i < n; i++) {
			size_t bad = xo_utf8_check((*vals)[i], (*lens)[i]);
			if (bad < (*lens)[i]) {
				reason(why, "invalid UTF-8 in field '%s' at byte %zu (set encoding in the map)",
				       b->names[i], bad + 1);
				return -1;
			}
		}
		return 0;
	}
	xo_buf_reset(&e->conv);
	e->conv_off = xo_grow(e->conv_off, &e->conv_cap, n + 1, sizeof *e->conv_off);
	for (size_t i = 0; i < n; i++) {
		e->conv_off[i] = e->conv.len;
		if (enc == XO_ENC_LATIN1)
			xo_latin1_to_utf8(&e->conv, (*vals)[i], (*lens)[i]);
		else
			xo_utf8_repair(&e->conv, (*vals)[i], (*lens)[i]);
	}
	e->conv_off[n] = e->conv.len;
	size_t lens_cap = e->vals_cap;
	e->vals = xo_grow(e->vals, &e->vals_cap, n, sizeof *e->vals);
	e->lens = xo_grow(e->lens, &lens_cap, n, sizeof *e->lens);
	for (size_t i = 0; i < n; i++) {
		e->vals[i] = e->conv.data ? e->conv.data + e->conv_off[i] : "";
		e->lens[i] = e->conv_off[i + 1] - e->conv_off[i];
	}
	*vals = e->vals;
	*lens = e->lens;
	return 0;
}

int xo_event_from_values(struct xo_eventer *e, const struct xo_binding *b,
			 const char *const *values, const size_t *lens, size_t n,
			 struct xo_buf *out, struct xo_buf *why)
{
	if (n != b->width) {
		reason(why, "%zu fields where the header has %zu", n, b->width);
		return -1;
	}
	if (fix_encoding(e, b, &values, &lens, n, why) != 0)
		return -1;
	struct view v = { .b = b, .vals = values, .lens = lens };
	return build(e, &v, out, why);
}

int xo_event_from_json(struct xo_eventer *e, const struct xo_binding *b, json_t *obj,
		       struct xo_buf *out, struct xo_buf *why)
{
	struct view v = { .b = b, .obj = obj };
	return build(e, &v, out, why);
}
