#include "featspec.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input.h"
#include "mem.h"
#include "stats.h"

static const char *const type_names[] = { "num", "log", "bool", "cat", "set", "count" };

const char *xo_ftype_name(enum xo_ftype t)
{
	return type_names[t];
}

int xo_ftype_parse(const char *name, enum xo_ftype *t)
{
	for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++) {
		if (strcmp(name, type_names[i]) == 0) {
			*t = (enum xo_ftype)i;
			return 0;
		}
	}
	return -1;
}

static int is_number_type(enum xo_ftype t)
{
	return t == XO_FT_NUM || t == XO_FT_LOG || t == XO_FT_BOOL;
}

double xo_ftransform(enum xo_ftype t, double x)
{
	return t == XO_FT_LOG ? copysign(log1p(fabs(x)), x) : x;
}

static void trim(char **s)
{
	char *p = *s;
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		p[--n] = '\0';
	*s = p;
}

static int add_item(struct xo_features *fs, char *item, struct xo_buf *err)
{
	trim(&item);
	if (!*item)
		return 0;
	enum xo_ftype type = XO_FT_NUM;
	char *colon = strrchr(item, ':');
	if (colon && xo_ftype_parse(colon + 1, &type) == 0)
		*colon = '\0';
	else if (colon && !strchr(colon, ']') && !strchr(colon, '"')) {
		xo_buf_printf(err, "'%s': unknown type (num, log, bool, cat, set, count)", colon + 1);
		return -1;
	}
	trim(&item);
	for (size_t i = 0; i < fs->n; i++) {
		if (strcmp(fs->f[i].text, item) == 0) {
			xo_buf_printf(err, "'%s' is named twice", item);
			return -1;
		}
	}
	fs->f = xo_realloc(fs->f, (fs->n + 1) * sizeof *fs->f);
	struct xo_feature *f = &fs->f[fs->n];
	memset(f, 0, sizeof *f);
	f->text = xo_strdup(item);
	f->type = type;
	f->missing_col = f->other_col = f->value_col = -1;
	xo_strmap_init(&f->levels);
	fs->n++;
	char *star = strstr(item, "[*]");
	if (star) {
		if (type != XO_FT_SET && type != XO_FT_COUNT) {
			xo_buf_printf(err, "'%s': [*] needs type set or count", item);
			return -1;
		}
		if (strstr(star + 3, "[*]")) {
			xo_buf_printf(err, "'%s': only one [*]", item);
			return -1;
		}
		f->each = 1;
		*star = '\0';
		char *rest = star + 3;
		if (*rest == '.')
			rest++;
		if (!(f->path = xo_path_compile(item, err)))
			return -1;
		if (*rest && !(f->sub = xo_path_compile(rest, err)))
			return -1;
		return 0;
	}
	return (f->path = xo_path_compile(item, err)) ? 0 : -1;
}

/* Split at commas and newlines outside brackets and quotes. */
static int parse_text(struct xo_features *fs, char *text, struct xo_buf *err)
{
	int depth = 0, quoted = 0, comment = 0;
	char *start = text;
	for (char *p = text;; p++) {
		char c = *p;
		if (comment && c != '\n' && c)
			continue;
		if (c == '#' && !quoted && !depth) {
			comment = 1;
			*p = '\0';
			continue;
		}
		if (c == '"' && depth)
			quoted = !quoted;
		else if (c == '[' && !quoted)
			depth++;
		else if (c == ']' && !quoted && depth)
			depth--;
		if (c == '\0' || c == '\n' || (c == ',' && !depth && !quoted)) {
			*p = '\0';
			if (add_item(fs, start, err) != 0)
				return -1;
			if (c == '\0')
				break;
			start = p + 1;
			comment = 0;
			depth = quoted = 0;
		}
	}
	return 0;
}

int xo_features_parse(struct xo_features *fs, const char *spec, struct xo_buf *err)
{
	memset(fs, 0, sizeof *fs);
	struct xo_buf text = XO_BUF_INIT;
	if (spec[0] == '@') {
		struct xo_input in;
		if (xo_input_open(&in, spec + 1) != 0) {
			xo_buf_printf(err, "%s: %s", spec + 1, strerror(errno));
			return -1;
		}
		while (xo_input_getline(&in) >= 0) {
			xo_buf_add(&text, in.buf, strlen(in.buf));
			xo_buf_addc(&text, '\n');
		}
		xo_input_close(&in);
	} else {
		xo_buf_adds(&text, spec);
	}
	int rc = parse_text(fs, text.data ? text.data : (char *)"", err);
	xo_buf_free(&text);
	if (rc == 0 && fs->n == 0) {
		xo_buf_adds(err, "no features");
		rc = -1;
	}
	return rc;
}

static void free_nothing(void *v)
{
	(void)v;
}

void xo_features_free(struct xo_features *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->f[i].text);
		xo_path_free(fs->f[i].path);
		xo_path_free(fs->f[i].sub);
		xo_strmap_free(&fs->f[i].levels, free_nothing);
	}
	for (size_t c = 0; c < fs->n_cols; c++)
		free(fs->cols[c].name);
	free(fs->cols);
	free(fs->f);
	memset(fs, 0, sizeof *fs);
}

/* --- values -------------------------------------------------------- */

static int number_of(const json_t *v, enum xo_ftype type, double *x)
{
	if (json_is_number(v)) {
		*x = json_number_value(v);
		return 0;
	}
	if (json_is_boolean(v)) {
		*x = json_is_true(v);
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	const char *s = json_string_value(v);
	if (type == XO_FT_BOOL) {
		static const char *const yes[] = { "true", "yes", "y", "1" };
		static const char *const no[] = { "false", "no", "n", "0" };
		for (size_t i = 0; i < 4; i++) {
			if (strcasecmp(s, yes[i]) == 0) {
				*x = 1;
				return 0;
			}
			if (strcasecmp(s, no[i]) == 0) {
				*x = 0;
				return 0;
			}
		}
		return -1;
	}
	char *end;
	errno = 0;
	*x = strtod(s, &end); /* the C locale: xo never calls setlocale() */
	while (*end == ' ')
		end++;
	return end == s || *end || errno || !isfinite(*x) ? -1 : 0;
}

static int text_value(const json_t *v, struct xo_buf *scratch, struct xo_fvalue *out)
{
	if (json_is_string(v)) {
		out->s = json_string_value(v);
		out->len = json_string_length(v);
		return 0;
	}
	if (json_is_object(v) || json_is_array(v))
		return -1;
	xo_buf_reset(scratch);
	xo_json_text(scratch, v);
	out->s = xo_buf_str(scratch);
	out->len = scratch->len;
	return 0;
}

static int visit_members(const struct xo_feature *f, const json_t *v, struct xo_buf *scratch,
			 void (*visit)(void *, const struct xo_fvalue *), void *ctx,
			 struct xo_buf *why)
{
	struct xo_fvalue fv = { 0, NULL, 0 };
	if (!json_is_array(v)) {
		if (text_value(v, scratch, &fv) != 0)
			goto bad;
		visit(ctx, &fv);
		return 0;
	}
	size_t i;
	const json_t *e;
	json_array_foreach(v, i, e) {
		if (json_is_null(e))
			continue;
		if (text_value(e, scratch, &fv) != 0)
			goto bad;
		visit(ctx, &fv);
	}
	return 0;
bad:
	xo_buf_printf(why, "%s: members must be strings or numbers", f->text);
	return -1;
}

int xo_feature_values(const struct xo_features *fs, size_t i, const json_t *rec,
		      struct xo_buf *scratch,
		      void (*visit)(void *ctx, const struct xo_fvalue *v), void *ctx,
		      struct xo_buf *why)
{
	const struct xo_feature *f = &fs->f[i];
	const json_t *v = xo_path_get(f->path, rec);
	struct xo_fvalue fv = { 0, NULL, 0 };
	if (f->each) {
		if (!v || json_is_null(v))
			return 0;
		if (!json_is_array(v)) {
			xo_buf_printf(why, "%s: not an array", f->text);
			return -1;
		}
		size_t k;
		const json_t *e;
		json_array_foreach(v, k, e) {
			const json_t *m = f->sub ? xo_path_get(f->sub, e) : e;
			if (m && !json_is_null(m) && visit_members(f, m, scratch, visit, ctx, why) != 0)
				return -1;
		}
		return 0;
	}
	if (is_number_type(f->type)) {
		if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
			return 0;
		if (number_of(v, f->type, &fv.x) != 0) {
			xo_buf_printf(why, "%s: not a %s", f->text,
				      f->type == XO_FT_BOOL ? "boolean" : "number");
			return -1;
		}
		visit(ctx, &fv);
		return 0;
	}
	if (f->type == XO_FT_CAT) {
		if (!v || json_is_null(v)) {
			fv.s = XO_LEVEL_MISSING;
			fv.len = strlen(XO_LEVEL_MISSING);
		} else if (text_value(v, scratch, &fv) != 0) {
			xo_buf_printf(why, "%s: a category must be a string, number or boolean", f->text);
			return -1;
		}
		visit(ctx, &fv);
		return 0;
	}
	if (!v || json_is_null(v))
		return 0;
	return visit_members(f, v, scratch, visit, ctx, why);
}

int xo_binary_of(const json_t *v, const char *positive, struct xo_buf *text)
{
	if (positive) {
		xo_buf_reset(text);
		xo_json_text(text, v);
		return strcmp(xo_buf_str(text), positive) == 0;
	}
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v) || json_is_real(v)) {
		double x = json_number_value(v);
		return x == 1 ? 1 : x == 0 ? 0 : -1;
	}
	if (json_is_string(v)) {
		static const char *const yes[] = { "1", "true", "yes", "y" };
		static const char *const no[] = { "0", "false", "no", "n" };
		for (size_t i = 0; i < 4; i++) {
			if (strcasecmp(json_string_value(v), yes[i]) == 0)
				return 1;
			if (strcasecmp(json_string_value(v), no[i]) == 0)
				return 0;
		}
	}
	return -1;
}

/* --- columns and fitting ------------------------------------------- */

int xo_features_add_column(struct xo_features *fs, size_t i, const char *level)
{
	fs->cols = xo_grow(fs->cols, &fs->cap_cols, fs->n_cols + 1, sizeof *fs->cols);
	struct xo_column *c = &fs->cols[fs->n_cols];
	struct xo_buf name = XO_BUF_INIT;
	xo_buf_adds(&name, fs->f[i].text);
	if (level) {
		xo_buf_addc(&name, '=');
		xo_buf_adds(&name, level);
	}
	c->feature = i;
	c->name = xo_buf_steal(&name);
	c->mean = 0;
	c->weight = 0;
	return (int)fs->n_cols++;
}

void xo_fit_number(struct xo_features *fs, size_t i, const struct xo_moments *m,
		   uint64_t missing, uint64_t rows)
{
	struct xo_feature *f = &fs->f[i];
	f->mean = m->n ? m->mean : 0;
	/* The population sd (divisor n), as scikit-learn's StandardScaler. */
	double sd = m->n ? sqrt(m->m2 / m->n) : 0;
	f->sd = sd > 0 ? sd : 1; /* a constant stays 0 after centring */
	f->value_col = xo_features_add_column(fs, i, NULL);
	if (missing) {
		f->missing_col = xo_features_add_column(fs, i, XO_LEVEL_MISSING);
		fs->cols[f->missing_col].mean = rows ? (double)missing / (double)rows : 0;
	}
}

static void set_level(struct xo_feature *f, const char *value, size_t len, int col)
{
	void **slot = xo_strmap_slot(&f->levels, value, len, NULL);
	*slot = (void *)(intptr_t)(col + 1);
}

void xo_fit_levels(struct xo_features *fs, size_t i, char *const *values,
		   const uint64_t *counts, size_t n, uint64_t min_count, uint64_t rows)
{
	uint64_t other = 0;
	for (size_t k = 0; k < n; k++) {
		if (counts[k] < min_count || strcmp(values[k], XO_LEVEL_OTHER) == 0) {
			other += counts[k];
			continue;
		}
		int col = xo_features_add_column(fs, i, values[k]);
		fs->cols[col].mean = rows ? (double)counts[k] / (double)rows : 0;
		set_level(&fs->f[i], values[k], strlen(values[k]), col);
	}
	if (other) {
		int col = xo_features_add_column(fs, i, XO_LEVEL_OTHER);
		fs->f[i].other_col = col;
		fs->cols[col].mean = rows ? (double)other / (double)rows : 0;
	}
}

/* --- encoding ------------------------------------------------------ */

static void push(struct xo_encoded *out, int col, double val)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 32;
		out->col = xo_realloc(out->col, out->cap * sizeof *out->col);
		out->val = xo_realloc(out->val, out->cap * sizeof *out->val);
	}
	out->col[out->n] = col;
	out->val[out->n] = val;
	out->n++;
}

void xo_encode_begin(struct xo_encoded *out)
{
	out->n = 0;
}

void xo_encode_value(const struct xo_features *fs, size_t i, const struct xo_fvalue *v,
		     struct xo_encoded *out)
{
	const struct xo_feature *f = &fs->f[i];
	if (is_number_type(f->type)) {
		double z = (xo_ftransform(f->type, v->x) - f->mean) / f->sd;
		if (z != 0)
			push(out, f->value_col, z);
		return;
	}
	void *col = xo_strmap_get(&f->levels, v->s, v->len);
	if (col)
		push(out, (int)((intptr_t)col - 1), 1);
	else if (f->other_col >= 0)
		push(out, f->other_col, 1);
}

void xo_encode_missing(const struct xo_features *fs, size_t i, struct xo_encoded *out)
{
	if (fs->f[i].missing_col >= 0)
		push(out, fs->f[i].missing_col, 1);
}

struct pair {
	int col;
	double val;
};

static int by_col(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	return (x->col > y->col) - (x->col < y->col);
}

void xo_encode_end(const struct xo_features *fs, struct xo_encoded *out)
{
	if (out->n == 0)
		return;
	struct pair *p = xo_malloc(out->n * sizeof *p);
	for (size_t k = 0; k < out->n; k++)
		p[k] = (struct pair){ out->col[k], out->val[k] };
	qsort(p, out->n, sizeof *p, by_col);
	size_t m = 0;
	for (size_t k = 0; k < out->n; k++) {
		if (m && p[m - 1].col == p[k].col)
			p[m - 1].val += p[k].val; /* a repeated member */
		else
			p[m++] = p[k];
	}
	for (size_t k = 0; k < m; k++) {
		enum xo_ftype t = fs->f[fs->cols[p[k].col].feature].type;
		if (t == XO_FT_SET || t == XO_FT_CAT)
			p[k].val = 1;
		else if (t == XO_FT_COUNT)
			p[k].val = log1p(p[k].val);
		out->col[k] = p[k].col;
		out->val[k] = p[k].val;
	}
	out->n = m;
	free(p);
}

struct encode_ctx {
	const struct xo_features *fs;
	size_t i;
	struct xo_encoded *out;
	int seen;
};

static void encode_visit(void *ctx, const struct xo_fvalue *v)
{
	struct encode_ctx *e = ctx;
	e->seen = 1;
	xo_encode_value(e->fs, e->i, v, e->out);
}

int xo_features_encode(const struct xo_features *fs, const json_t *rec,
		       struct xo_encoded *out, struct xo_buf *scratch, struct xo_buf *why)
{
	xo_encode_begin(out);
	for (size_t i = 0; i < fs->n; i++) {
		struct encode_ctx e = { fs, i, out, 0 };
		if (xo_feature_values(fs, i, rec, scratch, encode_visit, &e, why) != 0)
			return -1;
		if (!e.seen)
			xo_encode_missing(fs, i, out);
	}
	xo_encode_end(fs, out);
	return 0;
}

void xo_encoded_free(struct xo_encoded *e)
{
	free(e->col);
	free(e->val);
	memset(e, 0, sizeof *e);
}
