#include "jscan.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define JSCAN_MAX_DEPTH 2048

struct scan {
	const char *s;
	size_t pos, end;
	const char *why;
	int strict;         /* refuse what jansson refuses (see xo_jscan_index) */
	struct xo_buf tmp;  /* decoded keys, strict only */
	/* Strict only: the keys of the objects being read, innermost last,
	 * to find duplicates; in small (no allocation) unless very many. */
	struct xo_jval *keys, small[64];
	size_t n_keys, cap_keys;
	struct xo_jindex *ix;   /* every value, when indexing; else NULL */
};

static int fail(struct scan *sc, const char *why)
{
	sc->why = why;
	return -1;
}

static void skip_blanks(struct scan *sc)
{
	while (sc->pos < sc->end) {
		char c = sc->s[sc->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Length of the valid UTF-8 sequence at p (at most avail bytes), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];
	size_t n;
	unsigned min;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	unsigned cp = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* The bytes at p[0..8) that need a closer look (a quote, a backslash,
 * a control character, anything above ASCII), as their high bits.
 * Borrows make the tests inexact only above the first such byte, so
 * the lowest bit set is exact. */
static uint64_t special8(const unsigned char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	uint64_t quote = x ^ (ones * '"'), slash = x ^ (ones * '\\');
	uint64_t special = ((quote - ones) & ~quote) | ((slash - ones) & ~slash) |
			   ((x - ones * 0x20) & ~x) | x;
	return special & highs;
}

/* A string; sc->pos is on the opening quote. */
static int scan_string(struct scan *sc, struct xo_jval *v)
{
	const unsigned char *s = (const unsigned char *)sc->s;
	size_t i = sc->pos + 1, end = sc->end;
	int escaped = 0;
	for (;;) {
		/* The common case: plain ASCII, eight bytes at a time, then
		 * straight to the first byte that is not. */
		for (uint64_t sp; i + 8 <= end; i += 8) {
			if ((sp = special8(s + i)) != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				i += (size_t)__builtin_ctzll(sp) / 8;
#endif
				break;
			}
		}
		while (i < end && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
			i++;
		if (i >= end) {
			sc->pos = i;
			return fail(sc, "unterminated string");
		}
		unsigned c = s[i];
		if (c == '"')
			break;
		if (c < 0x20) {
			sc->pos = i;
			return fail(sc, "control character in a string");
		}
		if (c >= 0x80) {
			size_t n = utf8_seq(s + i, end - i);
			if (n == 0) {
				sc->pos = i;
				return fail(sc, "invalid UTF-8 in a string");
			}
			i += n;
			continue;
		}
		/* A backslash. */
		escaped = 1;
		if (i + 1 >= end) {
			sc->pos = i;
			return fail(sc, "unterminated string");
		}
		char e = (char)s[i + 1];
		if (strchr("\"\\/bfnrt", e) && e != '\0') {
			i += 2;
			continue;
		}
		unsigned u, lo;
		if (e != 'u' || i + 6 > end || hex4((const char *)s + i + 2, &u) != 0) {
			sc->pos = i;
			return fail(sc, "invalid escape in a string");
		}
		i += 6;
		if (u >= 0xdc00 && u <= 0xdfff) {
			sc->pos = i - 6;
			return fail(sc, "lone low surrogate in a string");
		}
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 6 > end || s[i] != '\\' || s[i + 1] != 'u' ||
			    hex4((const char *)s + i + 2, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) {
				sc->pos = i - 6;
				return fail(sc, "lone high surrogate in a string");
			}
			i += 6;
		}
	}
	v->type = XO_J_STRING;
	v->p = sc->s + sc->pos + 1;
	v->len = i - sc->pos - 1;
	v->escaped = escaped;
	sc->pos = i + 1;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* After a '.' (kind 1) or an 'e' with its optional sign (kind 2), at
 * least one digit; *i moves past them. */
static int need_digits(const char *s, size_t *i, size_t end, int kind)
{
	(*i)++;
	if (kind == 2 && *i < end && (s[*i] == '+' || s[*i] == '-'))
		(*i)++;
	if (*i >= end || !is_digit(s[*i]))
		return -1;
	while (*i < end && is_digit(s[*i]))
		(*i)++;
	return 0;
}

/* The decimal exponent written after 'e' at s[i..end), capped far
 * beyond any double so that it cannot overflow. */
static long written_exponent(const char *s, size_t i, size_t end)
{
	int neg = s[i] == '-';
	if (s[i] == '-' || s[i] == '+')
		i++;
	long e = 0;
	for (; i < end && is_digit(s[i]); i++)
		if (e < 100000)
			e = e * 10 + (s[i] - '0');
	return neg ? -e : e;
}

/* jansson refuses integers outside int64_t and reals that overflow a
 * double; so does a strict scan. digits: the integer part's digits
 * (0 for a lone "0"); exp_at: where the exponent's sign or digits
 * start, or 0 when there is none. */
static int number_in_range(const struct xo_jval *v, size_t digits, int is_int, size_t exp_at)
{
	if (is_int) {
		const char *d = v->p + (v->p[0] == '-');
		const char *max = v->p[0] == '-' ? "9223372036854775808" : "9223372036854775807";
		return digits < 19 || (digits == 19 && memcmp(d, max, 19) <= 0);
	}
	long magnitude = (long)digits + (exp_at ? written_exponent(v->p, exp_at, v->len) : 0);
	double x;
	/* Below 10^308 a double never overflows; nearer, ask strtod. */
	return magnitude <= 308 || xo_jscan_number(v, &x) == 0;
}

static int scan_number(struct scan *sc, struct xo_jval *v)
{
	const char *s = sc->s;
	size_t i = sc->pos, end = sc->end, start = i, digits = 0, exp_at = 0;
	int is_int = 1;
	if (i < end && s[i] == '-')
		i++;
	if (i < end && s[i] == '0') {
		i++;
	} else if (i < end && is_digit(s[i])) {
		while (i < end && is_digit(s[i]))
			i++, digits++;
	} else {
		sc->pos = i;
		return fail(sc, "invalid number");
	}
	if (i < end && s[i] == '.') {
		is_int = 0;
		if (need_digits(s, &i, end, 1) != 0)
			goto bad;
	}
	if (i < end && (s[i] == 'e' || s[i] == 'E')) {
		is_int = 0;
		exp_at = i + 1 - start;
		if (need_digits(s, &i, end, 2) != 0)
			goto bad;
	}
	v->type = XO_J_NUMBER;
	v->p = s + start;
	v->len = i - start;
	v->escaped = 0;
	if (sc->strict && !number_in_range(v, digits, is_int, exp_at))
		return fail(sc, is_int ? "too big integer" : "real number overflow");
	sc->pos = i;
	return 0;
bad:
	sc->pos = i;
	return fail(sc, "invalid number");
}

static int scan_word(struct scan *sc, struct xo_jval *v, const char *word,
		     enum xo_jtype type)
{
	size_t n = strlen(word);
	if (sc->end - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
		return fail(sc, "invalid literal");
	v->type = type;
	v->p = sc->s + sc->pos;
	v->len = n;
	v->escaped = 0;
	sc->pos += n;
	return 0;
}

static int scan_value(struct scan *sc, struct xo_jval *v, int depth,
		      struct xo_jmembers *top, size_t self);

/* A node for a value about to be read, after its key (if any). */
static uint32_t add_node(struct scan *sc, const struct xo_jval *key)
{
	struct xo_jindex *ix = sc->ix;
	ix->nodes = xo_grow(ix->nodes, &ix->cap, ix->n + 1, sizeof *ix->nodes);
	struct xo_jnode *n = &ix->nodes[ix->n];
	int has_key = key->type == XO_J_STRING;
	n->key_off = has_key ? (uint32_t)(key->p - sc->s) : 0;
	n->key_len = has_key ? (uint32_t)key->len : 0;
	n->key_escaped = has_key ? (unsigned char)key->escaped : 0;
	n->first = n->next = 0;
	return (uint32_t)ix->n++;
}

static void set_node(struct scan *sc, size_t node, const struct xo_jval *v)
{
	struct xo_jnode *n = &sc->ix->nodes[node];
	n->off = (uint32_t)(v->p - sc->s);
	n->len = (uint32_t)v->len;
	n->type = (unsigned char)v->type;
	n->escaped = (unsigned char)v->escaped;
}

static void keys_push(struct scan *sc, const struct xo_jval *key)
{
	if (sc->n_keys == sc->cap_keys) {
		struct xo_jval *grown = xo_malloc(2 * sc->cap_keys * sizeof *grown);
		memcpy(grown, sc->keys, sc->n_keys * sizeof *grown);
		if (sc->keys != sc->small)
			free(sc->keys);
		sc->keys = grown;
		sc->cap_keys *= 2;
	}
	sc->keys[sc->n_keys++] = *key;
}

/* A key as jansson compares it: decoded. Escaped keys are decoded into
 * the scan's buffer (which may move: offsets, not pointers). */
struct key_text {
	const char *p;
	size_t off, len;
};

static int by_key_text(const void *x, const void *y)
{
	const struct key_text *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->p, b->p, n);
	return r ? r : (a->len > b->len) - (a->len < b->len);
}

/* Do the keys sc->keys[base..] of one object repeat? */
static int has_duplicate(struct scan *sc, size_t base)
{
	const struct xo_jval *k = sc->keys + base;
	size_t n = sc->n_keys - base, escaped = 0;
	for (size_t i = 0; i < n; i++)
		escaped |= (size_t)k[i].escaped;
	if (n <= 16 && !escaped) { /* nearly all objects: compare as written */
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (k[i].len == k[j].len && memcmp(k[i].p, k[j].p, k[i].len) == 0)
					return 1;
		return 0;
	}
	struct key_text small[16];
	struct key_text *t = n <= 16 ? small : xo_malloc(n * sizeof *t);
	xo_buf_reset(&sc->tmp);
	for (size_t i = 0; i < n; i++) {
		t[i].p = k[i].p;
		t[i].len = k[i].len;
		if (k[i].escaped) {
			t[i].off = sc->tmp.len;
			xo_jscan_string(&k[i], &sc->tmp);
			t[i].len = sc->tmp.len - t[i].off;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (k[i].escaped)
			t[i].p = sc->tmp.data + t[i].off;
	int dup = 0;
	if (n <= 16) {
		for (size_t i = 1; i < n && !dup; i++)
			for (size_t j = 0; j < i && !dup; j++)
				dup = by_key_text(&t[i], &t[j]) == 0;
	} else {
		/* Large objects: sort, so that hostile input stays n log n. */
		qsort(t, n, sizeof *t, by_key_text);
		for (size_t i = 1; i < n && !dup; i++)
			dup = by_key_text(&t[i], &t[i - 1]) == 0;
	}
	if (t != small)
		free(t);
	return dup;
}

/* jansson refuses a key holding U+0000 (only an escape can write one). */
static int key_has_nul(struct scan *sc, const struct xo_jval *key)
{
	if (!key->escaped)
		return 0;
	xo_buf_reset(&sc->tmp);
	xo_jscan_string(key, &sc->tmp);
	return memchr(sc->tmp.data, '\0', sc->tmp.len) != NULL;
}

/* The members or items of an object or array after its opening
 * bracket; top collects the members of the outermost object only;
 * self is the container's node when indexing. */
static int scan_items(struct scan *sc, int is_obj, int depth, struct xo_jmembers *top,
		      size_t self)
{
	char close = is_obj ? '}' : ']';
	uint32_t prev = 0;
	for (;;) {
		struct xo_jval key = { NULL, 0, XO_J_NONE, 0 }, val;
		if (is_obj) {
			skip_blanks(sc);
			if (sc->pos >= sc->end || sc->s[sc->pos] != '"')
				return fail(sc, "expected a string key");
			size_t key_at = sc->pos;
			if (scan_string(sc, &key) != 0)
				return -1;
			if (sc->strict) {
				if (key_has_nul(sc, &key)) {
					sc->pos = key_at;
					return fail(sc, "NUL byte in object key not supported");
				}
				keys_push(sc, &key);
			}
			skip_blanks(sc);
			if (sc->pos >= sc->end || sc->s[sc->pos] != ':')
				return fail(sc, "expected ':'");
			sc->pos++;
		}
		uint32_t node = sc->ix ? add_node(sc, &key) : 0;
		if (scan_value(sc, &val, depth + 1, NULL, node) != 0)
			return -1;
		if (sc->ix) {
			set_node(sc, node, &val);
			if (prev)
				sc->ix->nodes[prev].next = node;
			else
				sc->ix->nodes[self].first = node;
			prev = node;
		}
		if (top) {
			top->items = xo_grow(top->items, &top->cap, top->n + 1, sizeof *top->items);
			top->items[top->n].key = key;
			top->items[top->n].val = val;
			top->n++;
		}
		skip_blanks(sc);
		if (sc->pos >= sc->end)
			return fail(sc, is_obj ? "unterminated object" : "unterminated array");
		char c = sc->s[sc->pos++];
		if (c == close)
			return 0;
		if (c != ',') {
			sc->pos--;
			return fail(sc, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	}
}

/* An object or array. */
static int scan_container(struct scan *sc, struct xo_jval *v, int depth,
			  struct xo_jmembers *top, size_t self)
{
	if (depth >= JSCAN_MAX_DEPTH)
		return fail(sc, "nesting too deep");
	size_t start = sc->pos;
	int is_obj = sc->s[sc->pos] == '{';
	sc->pos++;
	skip_blanks(sc);
	if (sc->pos < sc->end && sc->s[sc->pos] == (is_obj ? '}' : ']')) {
		sc->pos++;
	} else {
		size_t base = sc->n_keys;
		if (scan_items(sc, is_obj, depth, top, self) != 0)
			return -1;
		if (sc->n_keys - base > 1 && has_duplicate(sc, base)) {
			sc->pos = start;
			return fail(sc, "duplicate object key");
		}
		sc->n_keys = base;
	}
	v->type = is_obj ? XO_J_OBJECT : XO_J_ARRAY;
	v->p = sc->s + start;
	v->len = sc->pos - start;
	v->escaped = 0;
	return 0;
}

static int scan_value(struct scan *sc, struct xo_jval *v, int depth,
		      struct xo_jmembers *top, size_t self)
{
	skip_blanks(sc);
	if (sc->pos >= sc->end)
		return fail(sc, "expected a value");
	switch (sc->s[sc->pos]) {
	case '{':
	case '[':
		return scan_container(sc, v, depth, top, self);
	case '"':
		return scan_string(sc, v);
	case 't':
		return scan_word(sc, v, "true", XO_J_TRUE);
	case 'f':
		return scan_word(sc, v, "false", XO_J_FALSE);
	case 'n':
		return scan_word(sc, v, "null", XO_J_NULL);
	default:
		return scan_number(sc, v);
	}
}

static void release(struct scan *sc)
{
	xo_buf_free(&sc->tmp);
	if (sc->keys != sc->small)
		free(sc->keys);
}

static int scan_object(const char *text, size_t len, struct xo_jmembers *m,
		       struct xo_jindex *ix, const char **why, size_t *column, int strict)
{
	struct scan sc; /* not zeroed whole: small[] is scratch */
	struct xo_jval v;
	sc.s = text;
	sc.pos = 0;
	sc.end = len;
	sc.why = NULL;
	sc.strict = strict;
	memset(&sc.tmp, 0, sizeof sc.tmp);
	sc.keys = sc.small;
	sc.n_keys = 0;
	sc.cap_keys = sizeof sc.small / sizeof sc.small[0];
	sc.ix = ix;
	if (m)
		m->n = 0;
	if (ix)
		ix->n = 0;
	if (ix && len > UINT32_MAX) {
		sc.why = "record too long (4 GiB or more)";
		goto bad;
	}
	skip_blanks(&sc);
	if (sc.pos >= len || text[sc.pos] != '{') {
		sc.why = sc.pos >= len ? "empty line" : "expected a JSON object";
		goto bad;
	}
	struct xo_jval none = { NULL, 0, XO_J_NONE, 0 };
	if (ix)
		add_node(&sc, &none); /* the root, node 0 */
	/* Node numbers fit in 32 bits: a node takes at least a byte. */
	if (scan_container(&sc, &v, 0, m, 0) != 0)
		goto bad;
	if (ix)
		set_node(&sc, 0, &v);
	skip_blanks(&sc);
	if (sc.pos != len) {
		sc.why = "text after the object";
		goto bad;
	}
	release(&sc);
	return 0;
bad:
	release(&sc);
	*why = sc.why;
	*column = sc.pos + 1;
	return -1;
}

int xo_jscan_object(const char *text, size_t len, struct xo_jmembers *m,
		    const char **why, size_t *column)
{
	return scan_object(text, len, m, NULL, why, column, 0);
}

int xo_jscan_index(const char *text, size_t len, int strict, struct xo_jindex *ix,
		   const char **why, size_t *column)
{
	return scan_object(text, len, NULL, ix, why, column, strict);
}

struct xo_jval xo_jnode_val(const char *text, const struct xo_jnode *n)
{
	struct xo_jval v = { text + n->off, n->len, (enum xo_jtype)n->type, n->escaped };
	return v;
}

struct xo_jval xo_jnode_key(const char *text, const struct xo_jnode *n)
{
	struct xo_jval k = { text + n->key_off, n->key_len, XO_J_STRING, n->key_escaped };
	return k;
}

size_t xo_jindex_get(const char *text, const struct xo_jindex *ix, size_t node,
		     const char *name, size_t len)
{
	const struct xo_jnode *nodes = ix->nodes;
	size_t found = 0;
	if (nodes[node].type != XO_J_OBJECT)
		return 0;
	/* The last of duplicate keys, as jansson without
	 * JSON_REJECT_DUPLICATES (records have none). */
	for (size_t k = nodes[node].first; k; k = nodes[k].next) {
		const struct xo_jnode *n = &nodes[k];
		if (n->key_escaped) {
			struct xo_jval key = xo_jnode_key(text, n);
			if (xo_jscan_key_is(&key, name, len))
				found = k;
		} else if (n->key_len == len && (len == 0 || text[n->key_off] == name[0]) &&
			   memcmp(text + n->key_off, name, len) == 0) {
			found = k;
		}
	}
	return found;
}

int xo_jindex_string(const char *text, const struct xo_jindex *ix, size_t node,
		     const char *name, size_t len, struct xo_buf *out)
{
	size_t k = xo_jindex_get(text, ix, node, name, len);
	xo_buf_reset(out);
	if (k == 0)
		return 0;
	struct xo_jval v = xo_jnode_val(text, &ix->nodes[k]);
	if (v.type != XO_J_STRING)
		return 0;
	xo_jscan_string(&v, out);
	return 1;
}

size_t xo_jindex_at(const struct xo_jindex *ix, size_t node, long index)
{
	const struct xo_jnode *nodes = ix->nodes;
	if (nodes[node].type != XO_J_ARRAY)
		return 0;
	if (index < 0) {
		long n = 0;
		for (size_t k = nodes[node].first; k; k = nodes[k].next)
			n++;
		index += n;
		if (index < 0)
			return 0;
	}
	for (size_t k = nodes[node].first; k; k = nodes[k].next)
		if (index-- == 0)
			return k;
	return 0;
}

/* The end of a checked value starting at s[i] (blanks skipped). */
static size_t skip_checked(const char *s, size_t i, size_t end)
{
	while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (i >= end)
		return end;
	if (s[i] == '"') {
		for (i++; i < end && s[i] != '"'; i++)
			if (s[i] == '\\')
				i++;
		return i + 1;
	}
	if (s[i] != '{' && s[i] != '[') {
		while (i < end && !strchr(",]} \t\r\n", s[i]))
			i++;
		return i;
	}
	size_t depth = 0;
	for (; i < end; i++) {
		char c = s[i];
		if (c == '"') {
			for (i++; i < end && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return end;
}

static size_t skip_blanks_at(const char *s, size_t i, size_t end)
{
	while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

static void make_val(const char *s, size_t start, size_t stop, struct xo_jval *v)
{
	v->escaped = 0;
	if (s[start] == '"') {
		v->type = XO_J_STRING;
		v->p = s + start + 1;
		v->len = stop - start - 2;
		v->escaped = memchr(v->p, '\\', v->len) != NULL;
		return;
	}
	v->p = s + start;
	v->len = stop - start;
	switch (s[start]) {
	case '{': v->type = XO_J_OBJECT; break;
	case '[': v->type = XO_J_ARRAY; break;
	case 't': v->type = XO_J_TRUE; break;
	case 'f': v->type = XO_J_FALSE; break;
	case 'n': v->type = XO_J_NULL; break;
	default: v->type = XO_J_NUMBER; break;
	}
}

int xo_jscan_next(const struct xo_jval *obj, size_t *pos, struct xo_jval *key,
		  struct xo_jval *val)
{
	if (obj->type != XO_J_OBJECT)
		return 0;
	const char *s = obj->p;
	size_t end = obj->len - 1; /* the closing brace */
	size_t i = skip_blanks_at(s, *pos == 0 ? 1 : *pos, end);
	if (i < end && s[i] == ',')
		i = skip_blanks_at(s, i + 1, end);
	if (i >= end || s[i] != '"')
		return 0;
	size_t kend = skip_checked(s, i, end);
	make_val(s, i, kend, key);
	i = skip_blanks_at(s, kend, end) + 1; /* past ':' */
	i = skip_blanks_at(s, i, end);
	size_t vend = skip_checked(s, i, end);
	make_val(s, i, vend, val);
	*pos = vend;
	return 1;
}

int xo_jscan_key_is(const struct xo_jval *key, const char *name, size_t len)
{
	if (!key->escaped)
		return key->len == len && memcmp(key->p, name, len) == 0;
	struct xo_buf b = XO_BUF_INIT;
	xo_jscan_string(key, &b);
	int same = b.len == len && memcmp(xo_buf_str(&b), name, len) == 0;
	xo_buf_free(&b);
	return same;
}

int xo_jscan_get(const struct xo_jval *obj, const char *name, size_t len,
		 struct xo_jval *out)
{
	size_t pos = 0;
	struct xo_jval key, val;
	int found = -1;
	/* The last of duplicate keys wins, as in jansson without
	 * JSON_REJECT_DUPLICATES. */
	while (xo_jscan_next(obj, &pos, &key, &val))
		if (xo_jscan_key_is(&key, name, len)) {
			*out = val;
			found = 0;
		}
	return found;
}

int xo_jscan_at(const struct xo_jval *arr, long index, struct xo_jval *out)
{
	if (arr->type != XO_J_ARRAY)
		return -1;
	const char *s = arr->p;
	size_t end = arr->len - 1;
	/* Count first when indexing from the end. */
	long n = 0;
	struct xo_jval items[2];
	for (int pass = index < 0 ? 0 : 1; pass < 2; pass++) {
		long want = pass == 0 ? -1 : (index < 0 ? n + index : index);
		if (pass == 1 && want < 0)
			return -1;
		size_t i = skip_blanks_at(s, 1, end);
		long k = 0;
		while (i < end) {
			size_t vend = skip_checked(s, i, end);
			if (k == want) {
				make_val(s, i, vend, &items[0]);
				*out = items[0];
				return 0;
			}
			k++;
			i = skip_blanks_at(s, vend, end);
			if (i < end && s[i] == ',')
				i = skip_blanks_at(s, i + 1, end);
		}
		n = k;
	}
	return -1;
}

int xo_jscan_next_item(const struct xo_jval *arr, size_t *pos, struct xo_jval *item)
{
	if (arr->type != XO_J_ARRAY)
		return 0;
	const char *s = arr->p;
	size_t end = arr->len - 1; /* the closing bracket */
	size_t i = skip_blanks_at(s, *pos == 0 ? 1 : *pos, end);
	if (*pos != 0 && i < end && s[i] == ',')
		i = skip_blanks_at(s, i + 1, end);
	if (i >= end)
		return 0;
	size_t vend = skip_checked(s, i, end);
	make_val(s, i, vend, item);
	*pos = vend;
	return 1;
}

int xo_jscan_path(const struct xo_jmembers *m, const struct xo_path *p,
		  struct xo_jval *out)
{
	size_t n = xo_path_length(p);
	long index;
	const char *key = xo_path_key(p, 0, &index);
	if (n == 0 || key == NULL)
		return -1;
	struct xo_jval v;
	int found = -1;
	for (size_t i = 0; i < m->n; i++)
		if (xo_jscan_key_is(&m->items[i].key, key, strlen(key))) {
			v = m->items[i].val;
			found = 0;
		}
	if (found != 0)
		return -1;
	for (size_t i = 1; i < n; i++) {
		key = xo_path_key(p, i, &index);
		struct xo_jval next;
		if (key ? xo_jscan_get(&v, key, strlen(key), &next) != 0
			: xo_jscan_at(&v, index, &next) != 0)
			return -1;
		v = next;
	}
	*out = v;
	return 0;
}

static void add_utf8(struct xo_buf *out, unsigned cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	xo_buf_add(out, b, n);
}

void xo_jscan_string(const struct xo_jval *v, struct xo_buf *out)
{
	if (!v->escaped) {
		xo_buf_add(out, v->p, v->len);
		return;
	}
	const char *s = v->p;
	size_t i = 0, n = v->len;
	while (i < n) {
		const char *bs = memchr(s + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
		xo_buf_add(out, s + i, run);
		i += run;
		if (i + 1 >= n)
			break;
		char e = s[i + 1];
		i += 2;
		switch (e) {
		case 'b': xo_buf_addc(out, '\b'); break;
		case 'f': xo_buf_addc(out, '\f'); break;
		case 'n': xo_buf_addc(out, '\n'); break;
		case 'r': xo_buf_addc(out, '\r'); break;
		case 't': xo_buf_addc(out, '\t'); break;
		case 'u': {
			unsigned cp = 0, lo = 0;
			if (i + 4 > n || hex4(s + i, &cp) != 0)
				return; /* not from a checked string */
			i += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= n &&
			    hex4(s + i + 2, &lo) == 0) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			add_utf8(out, cp);
			break;
		}
		default: xo_buf_addc(out, e); break;
		}
	}
}

int xo_jscan_number(const struct xo_jval *v, double *out)
{
	if (v->type != XO_J_NUMBER || v->len == 0)
		return -1;
	/* The span is not NUL-terminated: copy it (on the heap when long). */
	char small[64];
	char *tmp = v->len < sizeof small ? small : xo_malloc(v->len + 1);
	memcpy(tmp, v->p, v->len);
	tmp[v->len] = '\0';
	char *end;
	/* strtod reads '.' as the decimal point: xo never calls setlocale. */
	*out = strtod(tmp, &end);
	/* Out of range is not a number, as jansson says ("real number
	 * overflow"). */
	int ok = *end == '\0' && isfinite(*out);
	if (tmp != small)
		free(tmp);
	return ok ? 0 : -1;
}

void xo_jscan_text(const struct xo_jval *v, struct xo_buf *out)
{
	if (v->type == XO_J_STRING)
		xo_jscan_string(v, out);
	else if (v->type != XO_J_NULL && v->type != XO_J_NONE)
		xo_buf_add(out, v->p, v->len);
}
