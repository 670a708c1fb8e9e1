#include "jskip.h"

#include <string.h>

#include "utf8.h"

#define MAX_DEPTH 2048 /* as jansson */

struct scan {
	const unsigned char *s;
	size_t len, i;
	const char *why;
	int depth;
};

struct want {
	const char *const *names;
	size_t n;
	struct xo_jspan *spans;
};

static int fail(struct scan *c, const char *why)
{
	if (!c->why)
		c->why = why;
	return -1;
}

static void blanks(struct scan *c)
{
	while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' ||
				 c->s[c->i] == '\r'))
		c->i++;
}

static int at(const struct scan *c, char ch)
{
	return c->i < c->len && c->s[c->i] == (unsigned char)ch;
}

static int hex4(struct scan *c, unsigned *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++, c->i++) {
		if (c->i >= c->len)
			return fail(c, "unterminated \\u escape");
		unsigned char h = c->s[c->i];
		unsigned d = 16;
		if (h >= '0' && h <= '9')
			d = (unsigned)(h - '0');
		else if (h >= 'a' && h <= 'f')
			d = (unsigned)(h - 'a') + 10;
		else if (h >= 'A' && h <= 'F')
			d = (unsigned)(h - 'A') + 10;
		if (d == 16)
			return fail(c, "invalid \\u escape");
		*v = *v << 4 | d;
	}
	return 0;
}

/* After "\u": a code point, pairing surrogates. */
static int unicode_escape(struct scan *c, unsigned *cp)
{
	if (hex4(c, cp))
		return -1;
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return fail(c, "lone low surrogate in \\u escape");
	if (*cp < 0xd800 || *cp > 0xdbff)
		return 0;
	unsigned low;
	if (c->i + 1 >= c->len || c->s[c->i] != '\\' || c->s[c->i + 1] != 'u')
		return fail(c, "lone high surrogate in \\u escape");
	c->i += 2;
	if (hex4(c, &low))
		return -1;
	if (low < 0xdc00 || low > 0xdfff)
		return fail(c, "lone high surrogate in \\u escape");
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (low - 0xdc00);
	return 0;
}

/* A string at '"': its contents are s[*start..*end). */
static int string(struct scan *c, size_t *start, size_t *end, int *escaped)
{
	int high = 0;
	*escaped = 0;
	*start = ++c->i;
	for (;;) {
		if (c->i >= c->len)
			return fail(c, "unterminated string");
		unsigned char ch = c->s[c->i];
		if (ch == '"')
			break;
		if (ch < 0x20)
			return fail(c, "control character in a string");
		high |= ch >= 0x80;
		if (ch != '\\') {
			c->i++;
			continue;
		}
		*escaped = 1;
		if (++c->i >= c->len)
			return fail(c, "unterminated string");
		unsigned cp;
		if (c->s[c->i] == 'u') {
			c->i++;
			if (unicode_escape(c, &cp))
				return -1;
		} else if (c->s[c->i] && strchr("\"\\/bfnrt", c->s[c->i])) {
			c->i++;
		} else {
			return fail(c, "invalid escape in a string");
		}
	}
	*end = c->i++;
	if (high && xo_utf8_check((const char *)c->s + *start, *end - *start) != *end - *start)
		return fail(c, "invalid UTF-8 in a string");
	return 0;
}

static int digits(struct scan *c)
{
	size_t from = c->i;
	while (c->i < c->len && c->s[c->i] >= '0' && c->s[c->i] <= '9')
		c->i++;
	return c->i > from ? 0 : fail(c, "invalid number");
}

static int number(struct scan *c)
{
	if (at(c, '-'))
		c->i++;
	if (at(c, '0'))
		c->i++;
	else if (digits(c))
		return -1;
	if (at(c, '.')) {
		c->i++;
		if (digits(c))
			return -1;
	}
	if (at(c, 'e') || at(c, 'E')) {
		c->i++;
		if (at(c, '+') || at(c, '-'))
			c->i++;
		if (digits(c))
			return -1;
	}
	return 0;
}

static int literal(struct scan *c, const char *word)
{
	size_t n = strlen(word);
	if (c->len - c->i < n || memcmp(c->s + c->i, word, n) != 0)
		return fail(c, "invalid literal");
	c->i += n;
	return 0;
}

static int object(struct scan *c, const struct want *w);
static int array(struct scan *c);

static int value(struct scan *c)
{
	blanks(c);
	if (c->i >= c->len)
		return fail(c, "unexpected end of the line");
	size_t s, e;
	int esc;
	switch (c->s[c->i]) {
	case '{': return object(c, NULL);
	case '[': return array(c);
	case '"': return string(c, &s, &e, &esc);
	case 't': return literal(c, "true");
	case 'f': return literal(c, "false");
	case 'n': return literal(c, "null");
	default:
		if (c->s[c->i] == '-' || (c->s[c->i] >= '0' && c->s[c->i] <= '9'))
			return number(c);
		return fail(c, "invalid value");
	}
}

static int array(struct scan *c)
{
	if (++c->depth > MAX_DEPTH)
		return fail(c, "nesting too deep");
	c->i++;
	blanks(c);
	if (at(c, ']')) {
		c->i++;
		c->depth--;
		return 0;
	}
	for (;;) {
		if (value(c))
			return -1;
		blanks(c);
		if (at(c, ',')) {
			c->i++;
			continue;
		}
		if (!at(c, ']'))
			return fail(c, "',' or ']' expected");
		c->i++;
		c->depth--;
		return 0;
	}
}

/* Append code point cp as UTF-8 (cp is valid: escapes were checked). */
static size_t put_utf8(unsigned char *out, unsigned cp)
{
	if (cp < 0x80)
		return out[0] = (unsigned char)cp, 1;
	if (cp < 0x800)
		return out[0] = (unsigned char)(0xc0 | cp >> 6), out[1] = (unsigned char)(0x80 | (cp & 63)), 2;
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 63));
		out[2] = (unsigned char)(0x80 | (cp & 63));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 63));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 63));
	out[3] = (unsigned char)(0x80 | (cp & 63));
	return 4;
}

/* A checked key with escapes, decoded into out (at most cap bytes); the
 * length, or cap + 1 when longer. */
static size_t decode_key(const unsigned char *s, size_t len, unsigned char *out, size_t cap)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	struct scan c = { s, len, 0, NULL, 0 };
	size_t n = 0;
	while (c.i < len) {
		unsigned char tmp[4];
		size_t add = 1;
		if (s[c.i] != '\\') {
			tmp[0] = s[c.i++];
		} else if (s[c.i + 1] == 'u') {
			unsigned cp;
			c.i += 2;
			unicode_escape(&c, &cp);
			add = put_utf8(tmp, cp);
		} else {
			tmp[0] = (unsigned char)to[strchr(from, s[c.i + 1]) - from];
			c.i += 2;
		}
		if (n + add > cap)
			return cap + 1;
		memcpy(out + n, tmp, add);
		n += add;
	}
	return n;
}

/* Which wanted name the key s[0..len) is, or -1. */
static int wanted(const struct want *w, const unsigned char *s, size_t len, int escaped)
{
	unsigned char buf[128];
	if (escaped) {
		len = decode_key(s, len, buf, sizeof buf);
		if (len > sizeof buf)
			return -1;
		s = buf;
	}
	for (size_t k = 0; k < w->n; k++)
		if (strlen(w->names[k]) == len && memcmp(w->names[k], s, len) == 0)
			return (int)k;
	return -1;
}

static int member(struct scan *c, const struct want *w)
{
	blanks(c);
	if (!at(c, '"'))
		return fail(c, "a member name (string) expected");
	size_t ks, ke;
	int esc;
	if (string(c, &ks, &ke, &esc))
		return -1;
	blanks(c);
	if (!at(c, ':'))
		return fail(c, "':' expected");
	c->i++;
	blanks(c);
	size_t vs = c->i;
	if (value(c))
		return -1;
	int k = w ? wanted(w, c->s + ks, ke - ks, esc) : -1;
	if (k >= 0) {
		if (w->spans[k].len)
			return fail(c, "duplicate member");
		w->spans[k].off = vs;
		w->spans[k].len = c->i - vs;
	}
	return 0;
}

static int object(struct scan *c, const struct want *w)
{
	if (++c->depth > MAX_DEPTH)
		return fail(c, "nesting too deep");
	c->i++;
	blanks(c);
	if (at(c, '}')) {
		c->i++;
		c->depth--;
		return 0;
	}
	for (;;) {
		if (member(c, w))
			return -1;
		blanks(c);
		if (at(c, ',')) {
			c->i++;
			continue;
		}
		if (!at(c, '}'))
			return fail(c, "',' or '}' expected");
		c->i++;
		c->depth--;
		return 0;
	}
}

int xo_jskip_members(const char *line, size_t len, const char *const *names, size_t n,
		     struct xo_jspan *spans, const char **why, size_t *column)
{
	struct scan c = { (const unsigned char *)line, len, 0, NULL, 0 };
	struct want w = { names, n, spans };
	memset(spans, 0, n * sizeof *spans);
	blanks(&c);
	int rc = at(&c, '{') ? object(&c, &w) : fail(&c, "expected a JSON object");
	if (rc == 0) {
		blanks(&c);
		if (c.i != len)
			rc = fail(&c, "text after the object");
	}
	if (rc != 0) {
		*why = c.why;
		*column = c.i + 1;
	}
	return rc;
}
