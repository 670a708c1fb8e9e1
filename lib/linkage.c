#include "linkage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hash.h"
#include "intern.h"
#include "mem.h"
#include "out.h"
#include "strsim.h"
#include "u64map.h"

#define NONE UINT32_MAX
#define NULL_LEVEL 15u
#define MAXC XO_LINKSPEC_MAX_COMPARES
#define MAXL XO_LINKSPEC_MAX_LEVELS

/* Values are interned once, each under its field type (the type's
 * letter before the text, so that a text and a date spelled alike stay
 * apart); each distinct value keeps its code points and, for dates and
 * numbers, its number. */
struct values {
	struct xo_intern pool;
	uint32_t *cp_off, *cp_len;
	double *num;
	size_t cap;
	uint32_t *cps;
	size_t n_cps, cap_cps;
};

struct stored_link {
	uint32_t a, b;
	double weight, p;
	uint8_t levels[MAXC];
	double weights[MAXC];
};

struct xo_linkage {
	const struct xo_linkspec *spec;
	int link_mode;
	size_t nf, nc;
	struct values v;
	/* Records: nf value numbers each. */
	uint32_t *val;
	uint8_t *side;
	uint64_t *group;
	size_t n, cap;
	struct xo_u64map dedupe;      /* hash of group and values -> record + 1 */
	/* Term frequencies: (field << 32 | value) -> records holding it. */
	struct xo_u64map tf;
	uint64_t tf_total[MAXC];      /* per comparison: records with the field */
	/* The model. */
	double m[MAXC][MAXL], u[MAXC][MAXL], w[MAXC][MAXL];
	double lambda;
	json_t *training;             /* what each EM session found, for the model */
	size_t lev_max[MAXC];         /* the largest edit distance a level asks about */
	int trained;
	uint64_t rx_limits;           /* values an extract pattern gave up on */
	struct xo_buf text, clean, key;
};

/* ------------------------------------------------------------------ */
/* Values and records */

static uint32_t value_of(struct xo_linkage *lk, const struct xo_lfield *f, const char *text,
			 size_t len, double num)
{
	struct values *v = &lk->v;
	xo_buf_reset(&lk->key);
	xo_buf_addc(&lk->key, (char)('a' + f->type));
	xo_buf_add(&lk->key, text, len);
	uint32_t before = v->pool.count;
	uint32_t n = xo_intern(&v->pool, lk->key.data, lk->key.len);
	if (n <= before)
		return n;
	if (n >= v->cap) {
		size_t cap = v->cap;
		v->cp_off = xo_grow(v->cp_off, &cap, n + 1, sizeof *v->cp_off);
		v->cp_len = xo_realloc(v->cp_len, cap * sizeof *v->cp_len);
		v->num = xo_realloc(v->num, cap * sizeof *v->num);
		v->cap = cap;
	}
	v->cps = xo_grow(v->cps, &v->cap_cps, v->n_cps + len + 1, sizeof *v->cps);
	v->cp_off[n] = (uint32_t)v->n_cps;
	v->cp_len[n] = (uint32_t)xo_utf8_decode(text, len, v->cps + v->n_cps, len + 1);
	v->n_cps += v->cp_len[n];
	v->num[n] = num;
	return n;
}

/* A value's text (without its type letter). */
static const char *value_text(const struct xo_linkage *lk, uint32_t v, size_t *len)
{
	if (len)
		*len = xo_intern_len(&lk->v.pool, v) - 1;
	return xo_intern_str(&lk->v.pool, v) + 1;
}

static void days_text(int64_t days, struct xo_buf *out)
{
	int64_t y;
	unsigned m, d;
	xo_civil_from_days(days, &y, &m, &d);
	xo_buf_reset(out);
	xo_buf_printf(out, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* The value of field f for raw text, cleaned; NONE when empty. */
static uint32_t field_value(struct xo_linkage *lk, const struct xo_lfield *f, const char *raw,
			    size_t len, int canonical)
{
	if (xo_lfield_clean(f, raw, len, &lk->clean) != 0)
		lk->rx_limits++;
	if (lk->clean.len == 0)
		return NONE;
	double num = NAN;
	if (f->type == XO_LFIELD_DATE) {
		struct xo_timefmt iso = { XO_TIME_ISO8601, NULL };
		const struct xo_timefmt *fmt = canonical ? &iso : &f->date_format;
		xo_time_t t;
		const char *why;
		if (xo_time_parse(fmt, raw, len, NULL, &t, &why) == 0) {
			int64_t days = t / (86400 * XO_USEC_PER_SEC) - (t % (86400 * XO_USEC_PER_SEC) < 0);
			num = (double)days;
			days_text(days, &lk->clean);
		}
	} else if (f->type == XO_LFIELD_NUMBER) {
		char *end;
		double d = strtod(lk->clean.data, &end);
		if (end != lk->clean.data && *end == '\0' && isfinite(d))
			num = d;
	}
	return value_of(lk, f, lk->clean.data, lk->clean.len, num);
}

struct xo_linkage *xo_linkage_new(const struct xo_linkspec *spec, int link_mode)
{
	struct xo_linkage *lk = xo_calloc(1, sizeof *lk);
	lk->spec = spec;
	lk->link_mode = link_mode;
	lk->nf = spec->n_fields;
	lk->nc = spec->n_compares;
	lk->v.pool = (struct xo_intern)XO_INTERN_INIT;
	for (size_t c = 0; c < lk->nc; c++) {
		const struct xo_lcompare *cmp = &spec->compares[c];
		for (size_t l = 0; l < cmp->n_levels; l++)
			if ((cmp->levels[l].method == XO_LM_LEV || cmp->levels[l].method == XO_LM_DL) &&
			    (size_t)cmp->levels[l].t > lk->lev_max[c])
				lk->lev_max[c] = (size_t)cmp->levels[l].t;
	}
	return lk;
}

void xo_linkage_free(struct xo_linkage *lk)
{
	if (!lk)
		return;
	xo_intern_free(&lk->v.pool);
	xo_buf_free(&lk->key);
	free(lk->v.cp_off);
	free(lk->v.cp_len);
	free(lk->v.num);
	free(lk->v.cps);
	free(lk->val);
	free(lk->side);
	free(lk->group);
	xo_u64map_free(&lk->dedupe);
	xo_u64map_free(&lk->tf);
	json_decref(lk->training);
	xo_buf_free(&lk->text);
	xo_buf_free(&lk->clean);
	free(lk);
}

/* Append a record of values vals[0..nf); dedupe within its group. */
static long add_record(struct xo_linkage *lk, const uint32_t *vals, int side, uint64_t group)
{
	int any = 0;
	for (size_t f = 0; f < lk->nf; f++)
		any |= vals[f] != NONE;
	if (!any)
		return -1;
	uint64_t key = 0;
	if (group) {
		uint64_t buf[MAXC + 2];
		struct xo_hasher h;
		xo_hasher_init(&h, &XO_HASH_PUBLIC);
		buf[0] = group;
		buf[1] = (uint64_t)side;
		xo_hasher_add(&h, buf, 2 * sizeof *buf);
		xo_hasher_add(&h, vals, lk->nf * sizeof *vals);
		key = xo_hasher_end(&h);
		uint64_t rec;
		if (xo_u64map_get(&lk->dedupe, key, &rec)) {
			const uint32_t *old = lk->val + (rec - 1) * lk->nf;
			if (memcmp(old, vals, lk->nf * sizeof *vals) == 0 && lk->group[rec - 1] == group)
				return (long)(rec - 1);
		}
	}
	if (lk->n == lk->cap) {
		size_t cap = lk->cap ? lk->cap * 2 : 1024;
		lk->val = xo_realloc(lk->val, cap * (lk->nf ? lk->nf : 1) * sizeof *lk->val);
		lk->side = xo_realloc(lk->side, cap * sizeof *lk->side);
		lk->group = xo_realloc(lk->group, cap * sizeof *lk->group);
		lk->cap = cap;
	}
	memcpy(lk->val + lk->n * lk->nf, vals, lk->nf * sizeof *vals);
	lk->side[lk->n] = (uint8_t)(side != 0);
	lk->group[lk->n] = group;
	if (group)
		xo_u64map_put(&lk->dedupe, key, lk->n + 1);
	return (long)lk->n++;
}

long xo_linkage_add_event(struct xo_linkage *lk, const json_t *event, int side, uint64_t group)
{
	uint32_t vals[64];
	if (lk->nf > 64)
		xo_die(XO_EXIT_USAGE, "%s: more than 64 fields", lk->spec->path);
	for (size_t f = 0; f < lk->nf; f++) {
		const struct xo_lfield *fd = &lk->spec->fields[f];
		json_t *v = xo_path_get(fd->path, event);
		vals[f] = NONE;
		if (!v || json_is_null(v) || json_is_object(v) || json_is_array(v))
			continue;
		xo_buf_reset(&lk->text);
		xo_json_text(&lk->text, v);
		vals[f] = field_value(lk, fd, lk->text.data, lk->text.len, 0);
	}
	return add_record(lk, vals, side, group);
}

long xo_linkage_add_values(struct xo_linkage *lk, const char *const *values, int side,
			   uint64_t group)
{
	uint32_t vals[64];
	if (lk->nf > 64)
		xo_die(XO_EXIT_USAGE, "%s: more than 64 fields", lk->spec->path);
	for (size_t f = 0; f < lk->nf; f++) {
		const char *s = values[f];
		vals[f] = s && *s ? field_value(lk, &lk->spec->fields[f], s, strlen(s), 1) : NONE;
	}
	return add_record(lk, vals, side, group);
}

size_t xo_linkage_records(const struct xo_linkage *lk)
{
	return lk->n;
}

const char *xo_linkage_value(const struct xo_linkage *lk, size_t r, size_t f)
{
	uint32_t v = lk->val[r * lk->nf + f];
	return v == NONE ? "" : value_text(lk, v, NULL);
}

int xo_linkage_side(const struct xo_linkage *lk, size_t r)
{
	return lk->side[r];
}

uint64_t xo_linkage_group(const struct xo_linkage *lk, size_t r)
{
	return lk->group[r];
}

/* ------------------------------------------------------------------ */
/* Comparing two records */

static const uint32_t *cps(const struct xo_linkage *lk, uint32_t v, size_t *len)
{
	*len = lk->v.cp_len[v];
	return lk->v.cps + lk->v.cp_off[v];
}

/* The level of comparison c for records a and b. */
static unsigned compare(const struct xo_linkage *lk, size_t c, size_t a, size_t b)
{
	const struct xo_lcompare *cmp = &lk->spec->compares[c];
	size_t f = (size_t)cmp->field;
	uint32_t va = lk->val[a * lk->nf + f], vb = lk->val[b * lk->nf + f];
	if (va == NONE || vb == NONE)
		return NULL_LEVEL;
	double jw = -1, jaro = -1, tok = -1;
	size_t lev = SIZE_MAX, dl = SIZE_MAX, la, lb;
	const uint32_t *ca = cps(lk, va, &la), *cb = cps(lk, vb, &lb);
	double na = lk->v.num[va], nb = lk->v.num[vb];
	for (unsigned l = 0; l < cmp->n_levels; l++) {
		const struct xo_llevel *lv = &cmp->levels[l];
		int ok = 0;
		switch (lv->method) {
		case XO_LM_EXACT:
			ok = va == vb;
			break;
		case XO_LM_JARO:
			if (jaro < 0)
				jaro = xo_jaro_cp(ca, la, cb, lb);
			ok = jaro >= lv->t;
			break;
		case XO_LM_JW:
			if (jw < 0)
				jw = xo_jaro_winkler_cp(ca, la, cb, lb);
			ok = jw >= lv->t;
			break;
		case XO_LM_LEV:
			if (lev == SIZE_MAX)
				lev = xo_levenshtein_cp(ca, la, cb, lb, lk->lev_max[c]);
			ok = (double)lev <= lv->t;
			break;
		case XO_LM_DL:
			if (dl == SIZE_MAX)
				dl = xo_damerau_cp(ca, la, cb, lb, lk->lev_max[c]);
			ok = (double)dl <= lv->t;
			break;
		case XO_LM_TOKENS:
			if (tok < 0) {
				size_t sa, sb;
				const char *ta = value_text(lk, va, &sa);
				const char *tb = value_text(lk, vb, &sb);
				tok = xo_token_set(ta, sa, tb, sb);
			}
			ok = tok >= lv->t;
			break;
		case XO_LM_NUM:
		case XO_LM_DAYS:
			ok = fabs(na - nb) <= lv->t;
			break;
		case XO_LM_NUMREL:
			ok = fabs(na - nb) <= lv->t * fmax(fabs(na), fabs(nb));
			break;
		case XO_LM_YEARS:
			ok = fabs(na - nb) <= lv->t * 365.25;
			break;
		case XO_LM_SWAP: {
			size_t g = (size_t)lv->other;
			uint32_t ga = lk->val[a * lk->nf + g], gb = lk->val[b * lk->nf + g];
			ok = ga != NONE && gb != NONE && ga == vb && gb == va;
			break;
		}
		case XO_LM_SAME: {
			size_t g = (size_t)lv->other;
			uint32_t ga = lk->val[a * lk->nf + g];
			ok = ga != NONE && ga == lk->val[b * lk->nf + g];
			break;
		}
		case XO_LM_ELSE:
			ok = 1;
			break;
		}
		if (ok)
			return l;
	}
	return cmp->n_levels - 1;
}

/* Every comparison's level, packed four bits each. */
static uint64_t gamma_of(const struct xo_linkage *lk, size_t a, size_t b)
{
	uint64_t g = 0;
	for (size_t c = 0; c < lk->nc; c++)
		g |= (uint64_t)compare(lk, c, a, b) << (4 * c);
	return g;
}

static unsigned level_in(uint64_t g, size_t c)
{
	return (unsigned)(g >> (4 * c)) & 15u;
}

/* ------------------------------------------------------------------ */
/* Blocking */

struct keyed {
	uint64_t key;
	uint32_t rec;
};

static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->rec > b->rec) - (a->rec < b->rec);
}

/* One key of a rule for record r as a 64-bit number; 0 when empty. */
static uint64_t key_part(struct xo_linkage *lk, const struct xo_lkey *k, size_t r)
{
	uint32_t v = lk->val[r * lk->nf + (size_t)k->field];
	if (v == NONE)
		return 0;
	size_t len;
	const uint32_t *cp = cps(lk, v, &len);
	uint64_t parts[2] = { (uint64_t)k->fn, 0 };
	switch (k->fn) {
	case XO_LKEY_VALUE:
		return (uint64_t)v + 1;
	case XO_LKEY_PREFIX:
		return xo_siphash(&XO_HASH_PUBLIC, cp, (len < (size_t)k->n ? len : (size_t)k->n) * sizeof *cp) | 1;
	case XO_LKEY_SUFFIX: {
		size_t n = len < (size_t)k->n ? len : (size_t)k->n;
		return xo_siphash(&XO_HASH_PUBLIC, cp + len - n, n * sizeof *cp) | 1;
	}
	case XO_LKEY_SOUNDEX: {
		size_t tl;
		const char *t = value_text(lk, v, &tl);
		char sx[5];
		xo_soundex(t, tl, sx);
		if (!sx[0])
			return 0;
		return xo_siphash(&XO_HASH_PUBLIC, sx, strlen(sx)) | 1;
	}
	case XO_LKEY_YEAR:
	case XO_LKEY_MONTH: {
		double d = lk->v.num[v];
		if (isnan(d))
			return 0;
		int64_t y;
		unsigned m, day;
		xo_civil_from_days((int64_t)d, &y, &m, &day);
		parts[1] = k->fn == XO_LKEY_YEAR ? (uint64_t)y : (uint64_t)(y * 12 + m);
		return xo_siphash(&XO_HASH_PUBLIC, parts, sizeof parts) | 1;
	}
	}
	return 0;
}

static uint64_t rule_key(struct xo_linkage *lk, const struct xo_lrule *rule, size_t r)
{
	uint64_t parts[32];
	size_t n = rule->n_keys < 32 ? rule->n_keys : 32;
	for (size_t i = 0; i < n; i++) {
		parts[i] = key_part(lk, &rule->keys[i], r);
		if (parts[i] == 0)
			return 0;
	}
	if (n == 1)
		return parts[0];
	return xo_siphash(&XO_HASH_PUBLIC, parts, n * sizeof *parts) | 1;
}

/* A rule's keys for every record, and its blocks: records sorted by
 * key, keys of blocks over max-block remembered as skipped. */
struct blocking {
	uint64_t *key;        /* per record */
	struct keyed *sorted; /* records with a key, by key */
	size_t n_sorted;
	struct xo_u64map skipped;
};

static void block_rule(struct xo_linkage *lk, const struct xo_lrule *rule, struct blocking *b,
		       struct xo_linkage_stats *stats)
{
	b->key = xo_malloc((lk->n ? lk->n : 1) * sizeof *b->key);
	b->sorted = xo_malloc((lk->n ? lk->n : 1) * sizeof *b->sorted);
	b->n_sorted = 0;
	memset(&b->skipped, 0, sizeof b->skipped);
	for (size_t r = 0; r < lk->n; r++) {
		b->key[r] = rule_key(lk, rule, r);
		if (b->key[r])
			b->sorted[b->n_sorted++] = (struct keyed){ b->key[r], (uint32_t)r };
	}
	qsort(b->sorted, b->n_sorted, sizeof *b->sorted, cmp_keyed);
	for (size_t i = 0; i < b->n_sorted;) {
		size_t j = i;
		while (j < b->n_sorted && b->sorted[j].key == b->sorted[i].key)
			j++;
		if (j - i > lk->spec->max_block) {
			xo_u64set_add(&b->skipped, b->sorted[i].key);
			if (stats) {
				stats->skipped_blocks++;
				stats->skipped_records += j - i;
			}
		}
		i = j;
	}
}

static void blocking_free(struct blocking *b)
{
	free(b->key);
	free(b->sorted);
	xo_u64map_free(&b->skipped);
}

typedef void (*pair_fn)(struct xo_linkage *lk, size_t a, size_t b, void *ctx);

/* Every pair of rule i's blocks not already a pair of an earlier rule
 * (earlier: rules[0..i); none when first is 0). */
static void each_pair(struct xo_linkage *lk, struct blocking *rules, size_t i, size_t first,
		      pair_fn fn, void *ctx)
{
	struct blocking *b = &rules[i];
	for (size_t s = 0; s < b->n_sorted;) {
		size_t e = s;
		while (e < b->n_sorted && b->sorted[e].key == b->sorted[s].key)
			e++;
		if (!xo_u64map_get(&b->skipped, b->sorted[s].key, NULL)) {
			for (size_t x = s; x < e; x++) {
				for (size_t y = x + 1; y < e; y++) {
					size_t ra = b->sorted[x].rec, rb = b->sorted[y].rec;
					if (lk->link_mode && lk->side[ra] == lk->side[rb])
						continue;
					int seen = 0;
					for (size_t k = first; k < i && !seen; k++) {
						uint64_t ka = rules[k].key[ra];
						seen = ka && ka == rules[k].key[rb] &&
						       !xo_u64map_get(&rules[k].skipped, ka, NULL);
					}
					if (!seen)
						fn(lk, ra, rb, ctx);
				}
			}
		}
		s = e;
	}
}

/* ------------------------------------------------------------------ */
/* Estimating u from random pairs */

struct patterns {
	struct xo_u64map count;
	uint64_t total;
};

static void count_pattern(struct xo_linkage *lk, size_t a, size_t b, void *ctx)
{
	struct patterns *p = ctx;
	(*xo_u64map_ref(&p->count, gamma_of(lk, a, b)))++;
	p->total++;
}

static uint64_t next_random(uint64_t *state)
{
	*state += UINT64_C(0x9e3779b97f4a7c15);
	return xo_mix64(*state);
}

static void sample_pairs(struct xo_linkage *lk, struct patterns *p, uint64_t *n_pairs)
{
	size_t n = lk->n;
	size_t *left = xo_malloc((n ? n : 1) * sizeof *left), *right = xo_malloc((n ? n : 1) * sizeof *right);
	size_t nl = 0, nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (!lk->link_mode || lk->side[i] == 0)
			left[nl++] = i;
		if (!lk->link_mode || lk->side[i] == 1)
			right[nr++] = i;
	}
	double possible = lk->link_mode ? (double)nl * (double)nr : (double)n * ((double)n - 1) / 2;
	if (possible <= (double)lk->spec->sample) {
		for (size_t i = 0; i < nl; i++)
			for (size_t j = lk->link_mode ? 0 : i + 1; j < nr; j++)
				count_pattern(lk, left[i], right[j], p);
	} else if (nl > 0 && nr > 0) {
		uint64_t seed = UINT64_C(0x786f6d65726765); /* fixed: the same u every run */
		for (unsigned long k = 0; k < lk->spec->sample;) {
			size_t a = left[next_random(&seed) % nl], b = right[next_random(&seed) % nr];
			if (a == b)
				continue;
			count_pattern(lk, a, b, p);
			k++;
		}
	}
	*n_pairs = p->total;
	free(left);
	free(right);
}

static void estimate_u(struct xo_linkage *lk, struct xo_linkage_stats *stats)
{
	struct patterns p = { XO_U64MAP_INIT, 0 };
	sample_pairs(lk, &p, &stats->sample_pairs);
	double counts[MAXC][MAXL] = { { 0 } };
	for (size_t s = 0; s < p.count.slots; s++) {
		if (p.count.keys[s] == UINT64_MAX)
			continue;
		for (size_t c = 0; c < lk->nc; c++) {
			unsigned l = level_in(p.count.keys[s], c);
			if (l != NULL_LEVEL)
				counts[c][l] += (double)p.count.vals[s];
		}
	}
	for (size_t c = 0; c < lk->nc; c++) {
		const struct xo_lcompare *cmp = &lk->spec->compares[c];
		double total = 0;
		for (size_t l = 0; l < cmp->n_levels; l++)
			total += counts[c][l];
		/* One pseudo-pair per level, so a level never seen among
		 * random pairs is rare, not impossible. */
		for (size_t l = 0; l < cmp->n_levels; l++)
			lk->u[c][l] = cmp->levels[l].u > 0 ? cmp->levels[l].u
							   : (counts[c][l] + 1) / (total + (double)cmp->n_levels);
	}
	xo_u64map_free(&p.count);
}

/* ------------------------------------------------------------------ */
/* Estimating m by EM */

static void init_m(struct xo_linkage *lk, size_t c, double *m)
{
	const struct xo_lcompare *cmp = &lk->spec->compares[c];
	size_t L = cmp->n_levels;
	double sum = 0;
	for (size_t l = 0; l < L; l++) {
		m[l] = l + 1 == L ? 0.05 : pow(0.25, (double)l);
		sum += m[l];
	}
	for (size_t l = 0; l < L; l++)
		m[l] /= sum;
}

static int rule_uses(const struct xo_lrule *rule, int field)
{
	for (size_t i = 0; i < rule->n_keys; i++)
		if (rule->keys[i].field == field)
			return 1;
	return 0;
}

struct session {
	int active[MAXC];
	double m[MAXC][MAXL];
	double lambda;
	uint64_t pairs;
	int ran;
};

/* EM over one training rule's patterns, u held fixed. */
static void em(struct xo_linkage *lk, const struct patterns *p, struct session *s)
{
	size_t np = 0;
	uint64_t *pat = xo_malloc((p->count.n + 1) * sizeof *pat);
	double *cnt = xo_malloc((p->count.n + 1) * sizeof *cnt);
	for (size_t i = 0; i < p->count.slots; i++) {
		if (p->count.keys[i] == UINT64_MAX)
			continue;
		pat[np] = p->count.keys[i];
		cnt[np++] = (double)p->count.vals[i];
	}
	s->lambda = 0.1;
	for (unsigned it = 0; it < lk->spec->em_iterations; it++) {
		double sum_m[MAXC][MAXL] = { { 0 } }, sum_p = 0, total = 0;
		for (size_t i = 0; i < np; i++) {
			double lm = log(s->lambda), lu = log(1 - s->lambda);
			for (size_t c = 0; c < lk->nc; c++) {
				unsigned l = level_in(pat[i], c);
				if (!s->active[c] || l == NULL_LEVEL)
					continue;
				lm += log(s->m[c][l]);
				lu += log(lk->u[c][l]);
			}
			double prob = 1 / (1 + exp(lu - lm));
			sum_p += prob * cnt[i];
			total += cnt[i];
			for (size_t c = 0; c < lk->nc; c++) {
				unsigned l = level_in(pat[i], c);
				if (s->active[c] && l != NULL_LEVEL)
					sum_m[c][l] += prob * cnt[i];
			}
		}
		double change = 0;
		double lambda = total > 0 ? sum_p / total : s->lambda;
		lambda = fmin(fmax(lambda, 1e-9), 1 - 1e-9);
		change = fabs(lambda - s->lambda);
		s->lambda = lambda;
		for (size_t c = 0; c < lk->nc; c++) {
			if (!s->active[c])
				continue;
			size_t L = lk->spec->compares[c].n_levels;
			double tot = 0;
			for (size_t l = 0; l < L; l++)
				tot += sum_m[c][l];
			for (size_t l = 0; l < L; l++) {
				/* A small pseudo-count keeps every level possible. */
				double m = (sum_m[c][l] + 0.01) / (tot + 0.01 * (double)L);
				change = fmax(change, fabs(m - s->m[c][l]));
				s->m[c][l] = m;
			}
		}
		if (change < lk->spec->em_tolerance)
			break;
	}
	free(pat);
	free(cnt);
}

static void train_session(struct xo_linkage *lk, const struct xo_lrule *rule, struct session *s,
			  const double (*m0)[MAXL])
{
	struct blocking b;
	block_rule(lk, rule, &b, NULL);
	struct patterns p = { XO_U64MAP_INIT, 0 };
	each_pair(lk, &b, 0, 0, (pair_fn)count_pattern, &p);
	blocking_free(&b);
	s->pairs = p.total;
	int any = 0;
	for (size_t c = 0; c < lk->nc; c++) {
		s->active[c] = !rule_uses(rule, lk->spec->compares[c].field);
		any |= s->active[c];
		memcpy(s->m[c], m0[c], sizeof s->m[c]);
	}
	if (any && p.total > 0) {
		em(lk, &p, s);
		s->ran = 1;
	}
	xo_u64map_free(&p.count);
}

static double log2_bf(const struct xo_linkage *lk, size_t c, unsigned l)
{
	return log2(lk->m[c][l] / lk->u[c][l]);
}

static void estimate_m(struct xo_linkage *lk)
{
	const struct xo_linkspec *spec = lk->spec;
	double m0[MAXC][MAXL];
	for (size_t c = 0; c < lk->nc; c++)
		init_m(lk, c, m0[c]);
	const struct xo_lrule *rules = spec->n_train ? spec->train : spec->blocks;
	size_t n_rules = spec->n_train ? spec->n_train : spec->n_blocks;
	struct session *s = xo_calloc(n_rules, sizeof *s);
	double sum[MAXC][MAXL] = { { 0 } };
	int runs[MAXC] = { 0 };
	if (spec->em) {
		for (size_t r = 0; r < n_rules; r++) {
			train_session(lk, &rules[r], &s[r], (const double (*)[MAXL])m0);
			for (size_t c = 0; c < lk->nc && s[r].ran; c++) {
				if (!s[r].active[c])
					continue;
				runs[c]++;
				for (size_t l = 0; l < spec->compares[c].n_levels; l++)
					sum[c][l] += s[r].m[c][l];
			}
		}
	}
	for (size_t c = 0; c < lk->nc; c++) {
		const struct xo_lcompare *cmp = &spec->compares[c];
		if (spec->em && runs[c] == 0)
			xo_warn("%s: comparison %s is never free in a training rule: its m keeps its "
				"starting values (add a train rule that does not use field %s)",
				spec->path, cmp->name, spec->fields[cmp->field].name);
		for (size_t l = 0; l < cmp->n_levels; l++) {
			double m = runs[c] ? sum[c][l] / runs[c] : m0[c][l];
			lk->m[c][l] = cmp->levels[l].m > 0 ? cmp->levels[l].m : m;
		}
	}
	/* What each session says the prior is: its pairs all agree on the
	 * rule's fields, which multiplies the odds by those comparisons'
	 * top-level Bayes factors. Shown in the model; the prior itself is
	 * estimated over all candidate pairs (estimate_prior). */
	lk->training = json_array();
	for (size_t r = 0; r < n_rules; r++) {
		if (!s[r].ran)
			continue;
		double lo = log2(s[r].lambda / (1 - s[r].lambda));
		for (size_t c = 0; c < lk->nc; c++)
			if (!s[r].active[c])
				lo -= log2_bf(lk, c, 0);
		json_array_append_new(lk->training,
				      json_pack("{s:s,s:I,s:f,s:f}", "rule", rules[r].text, "pairs",
						(json_int_t)s[r].pairs, "matches",
						round(s[r].lambda * (double)s[r].pairs),
						"prior", exp2(lo) / (1 + exp2(lo))));
	}
	free(s);
}

static void count_tf(struct xo_linkage *lk)
{
	for (size_t c = 0; c < lk->nc; c++) {
		const struct xo_lcompare *cmp = &lk->spec->compares[c];
		int tf = 0;
		for (size_t l = 0; l < cmp->n_levels; l++)
			tf |= cmp->levels[l].tf;
		if (!tf)
			continue;
		size_t f = (size_t)cmp->field;
		for (size_t r = 0; r < lk->n; r++) {
			uint32_t v = lk->val[r * lk->nf + f];
			if (v == NONE)
				continue;
			(*xo_u64map_ref(&lk->tf, (uint64_t)f << 32 | v))++;
			lk->tf_total[c]++;
		}
	}
}

static void train(struct xo_linkage *lk, struct xo_linkage_stats *stats)
{
	count_tf(lk);
	estimate_u(lk, stats);
	estimate_m(lk);
	for (size_t c = 0; c < lk->nc; c++)
		for (size_t l = 0; l < lk->spec->compares[c].n_levels; l++)
			lk->w[c][l] = log2_bf(lk, c, l);
	lk->trained = 1;
}

/* ------------------------------------------------------------------ */
/* Scoring */

/* Weight of comparison c at level l for records a and b: the level's
 * weight, or for a term-frequency level the chance that two records
 * share this very value instead of u. */
static double weight_of(const struct xo_linkage *lk, size_t c, unsigned l, size_t a)
{
	const struct xo_lcompare *cmp = &lk->spec->compares[c];
	if (!cmp->levels[l].tf || lk->tf_total[c] == 0)
		return lk->w[c][l];
	size_t f = (size_t)cmp->field;
	uint64_t count = 1;
	xo_u64map_get(&lk->tf, (uint64_t)f << 32 | lk->val[a * lk->nf + f], &count);
	double tf = (double)count / (double)lk->tf_total[c];
	return lk->w[c][l] + log2(lk->u[c][l] / tf);
}

struct scoring {
	struct stored_link *links;
	size_t n, cap;
	double threshold_weight;
	uint64_t candidates;
};

static void score_pair(struct xo_linkage *lk, size_t a, size_t b, void *ctx)
{
	struct scoring *s = ctx;
	s->candidates++;
	double wsum = log2(lk->lambda / (1 - lk->lambda));
	uint8_t levels[MAXC];
	double weights[MAXC];
	for (size_t c = 0; c < lk->nc; c++) {
		unsigned l = compare(lk, c, a, b);
		levels[c] = (uint8_t)(l == NULL_LEVEL ? XO_LEVEL_NULL : l);
		weights[c] = l == NULL_LEVEL ? 0 : weight_of(lk, c, l, a);
		wsum += weights[c];
	}
	if (wsum < s->threshold_weight)
		return;
	s->links = xo_grow(s->links, &s->cap, s->n + 1, sizeof *s->links);
	struct stored_link *k = &s->links[s->n++];
	k->a = (uint32_t)(a < b ? a : b);
	k->b = (uint32_t)(a < b ? b : a);
	k->weight = wsum;
	k->p = 1 / (1 + exp2(-wsum));
	memcpy(k->levels, levels, sizeof levels);
	memcpy(k->weights, weights, sizeof weights);
}

static int cmp_link(const void *x, const void *y)
{
	const struct stored_link *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

/* Link mode, one-to-one: keep a link only when it is the best of both
 * its records (ties to the lower record number). */
static size_t one_to_one(struct xo_linkage *lk, struct stored_link *links, size_t n)
{
	uint32_t *best = xo_malloc((lk->n ? lk->n : 1) * sizeof *best);
	memset(best, 0xff, (lk->n ? lk->n : 1) * sizeof *best);
	for (size_t i = 0; i < n; i++) {
		uint32_t ends[2] = { links[i].a, links[i].b };
		for (int e = 0; e < 2; e++) {
			uint32_t cur = best[ends[e]];
			if (cur == UINT32_MAX || links[i].weight > links[cur].weight)
				best[ends[e]] = (uint32_t)i;
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (best[links[i].a] == i && best[links[i].b] == i)
			links[k++] = links[i];
	free(best);
	return k;
}

/* The prior (the chance that two records picked at random match): the
 * expected number of matches among the candidate pairs, under the model
 * with this very prior, over the number of possible pairs; found by
 * iterating to the fixed point. Pairs that are not candidates are taken
 * as non-matches, which good blocking makes nearly true. */
static void estimate_prior(struct xo_linkage *lk, struct blocking *rules)
{
	struct patterns p = { XO_U64MAP_INIT, 0 };
	for (size_t r = 0; r < lk->spec->n_blocks; r++)
		each_pair(lk, rules, r, 0, (pair_fn)count_pattern, &p);
	double n0 = 0, n1 = 0;
	for (size_t i = 0; i < lk->n; i++)
		lk->side[i] ? n1++ : n0++;
	double possible = lk->link_mode ? n0 * n1 : (n0 + n1) * (n0 + n1 - 1) / 2;
	size_t np = 0;
	double *bf = xo_malloc((p.count.n + 1) * sizeof *bf), *cnt = xo_malloc((p.count.n + 1) * sizeof *cnt);
	for (size_t i = 0; i < p.count.slots; i++) {
		if (p.count.keys[i] == UINT64_MAX)
			continue;
		double w = 0;
		for (size_t c = 0; c < lk->nc; c++) {
			unsigned l = level_in(p.count.keys[i], c);
			if (l != NULL_LEVEL)
				w += lk->w[c][l];
		}
		bf[np] = exp2(w);
		cnt[np++] = (double)p.count.vals[i];
	}
	double lambda = 1 / possible;
	for (int it = 0; it < 200 && possible > 0; it++) {
		double matches = 0;
		for (size_t i = 0; i < np; i++)
			matches += cnt[i] * lambda * bf[i] / (lambda * bf[i] + 1 - lambda);
		double next = fmin(fmax(matches / possible, 1 / (possible * 1000)), 0.5);
		int done = fabs(next - lambda) < lambda * 1e-6;
		lambda = next;
		if (done)
			break;
	}
	lk->lambda = lambda;
	free(bf);
	free(cnt);
	xo_u64map_free(&p.count);
}

void xo_linkage_run(struct xo_linkage *lk, xo_link_fn fn, void *ctx,
		    struct xo_linkage_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	stats->records = lk->n;
	stats->rx_limits = lk->rx_limits;
	if (lk->n < 2)
		return;
	train(lk, stats);
	const struct xo_linkspec *spec = lk->spec;
	struct blocking *rules = xo_calloc(spec->n_blocks, sizeof *rules);
	for (size_t r = 0; r < spec->n_blocks; r++)
		block_rule(lk, &spec->blocks[r], &rules[r], stats);
	if (spec->prior > 0)
		lk->lambda = spec->prior;
	else
		estimate_prior(lk, rules);
	stats->prior = lk->lambda;
	struct scoring s = { NULL, 0, 0, log2(spec->threshold / (1 - spec->threshold)), 0 };
	for (size_t r = 0; r < spec->n_blocks; r++)
		each_pair(lk, rules, r, 0, score_pair, &s);
	for (size_t r = 0; r < spec->n_blocks; r++)
		blocking_free(&rules[r]);
	free(rules);
	stats->candidates = s.candidates;
	if (s.n > 1)
		qsort(s.links, s.n, sizeof *s.links, cmp_link);
	if (lk->link_mode && spec->one_to_one)
		s.n = one_to_one(lk, s.links, s.n);
	stats->links = s.n;
	for (size_t i = 0; i < s.n; i++) {
		struct xo_link link = { s.links[i].a, s.links[i].b, s.links[i].weight, s.links[i].p,
					s.links[i].levels, s.links[i].weights };
		fn(ctx, &link);
	}
	free(s.links);
}

/* ------------------------------------------------------------------ */
/* The model and the evidence as JSON */

static double rounded(double x, double scale)
{
	return round(x * scale) / scale;
}

json_t *xo_linkage_model(const struct xo_linkage *lk)
{
	const struct xo_linkspec *spec = lk->spec;
	json_t *comps = json_object();
	for (size_t c = 0; c < lk->nc && lk->trained; c++) {
		const struct xo_lcompare *cmp = &spec->compares[c];
		json_t *levels = json_array();
		for (size_t l = 0; l < cmp->n_levels; l++)
			json_array_append_new(levels, json_pack("{s:s,s:f,s:f,s:f}", "level",
								cmp->levels[l].label, "m", lk->m[c][l],
								"u", lk->u[c][l], "weight",
								rounded(lk->w[c][l], 1e4)));
		json_object_set_new(comps, cmp->name, levels);
	}
	return json_pack("{s:s,s:f,s:f,s:O*,s:o}", "spec", spec->path, "prior", lk->lambda,
			 "threshold", spec->threshold, "training", lk->training, "comparisons", comps);
}

json_t *xo_linkage_evidence(const struct xo_linkage *lk, const struct xo_link *link)
{
	json_t *o = json_object();
	for (size_t c = 0; c < lk->nc; c++) {
		const struct xo_lcompare *cmp = &lk->spec->compares[c];
		unsigned l = link->levels[c];
		const char *label = l == XO_LEVEL_NULL ? "null" : cmp->levels[l].label;
		json_object_set_new(o, cmp->name, json_pack("{s:s,s:f}", "level", label, "weight",
							    rounded(link->weights[c], 1e4)));
	}
	return o;
}
