#include "jscan.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Beyond these the scan gives up and jansson decides. */
#define MAX_DEPTH 32
#define MAX_NESTED_KEYS 64
#define MAX_NUMBER_LEN 32
#define MAX_INT_DIGITS 18

struct scan {
	const char *p, *end;
	int depth;
};

static void skip_blanks(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A \u escape at p (pointing at the 'u'); its length past the backslash,
 * or 0 when jansson would refuse it (bad hex, a lone surrogate). */
static size_t unicode_escape(const char *p, const char *end, uint32_t *cp)
{
	uint32_t hi, lo;
	if (end - p < 5 || hex4(p + 1, &hi) != 0)
		return 0;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return 0;
	if (hi < 0xd800 || hi > 0xdbff) {
		*cp = hi;
		return 5;
	}
	if (end - p < 11 || p[5] != '\\' || p[6] != 'u' || hex4(p + 7, &lo) != 0 ||
	    lo < 0xdc00 || lo > 0xdfff)
		return 0;
	*cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	return 11;
}

/* Eight bytes at a time: a mask whose lowest set bit is the high bit of
 * the first byte that needs a look (a quote, a backslash, a control
 * character); 0 when none does. Bits above the first may be spurious
 * (borrows), which is why only the lowest is used. */
static uint64_t special8(const char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	uint64_t quote = x ^ (ones * '"'), slash = x ^ (ones * '\\');
	uint64_t zero_quote = (quote - ones) & ~quote & highs;
	uint64_t zero_slash = (slash - ones) & ~slash & highs;
	uint64_t control = (x - ones * 0x20) & ~x & highs;
	return zero_quote | zero_slash | control;
}

static int scan_string(struct scan *s, struct xo_jspan *v)
{
	const char *start = ++s->p;
	int escaped = 0;
	while (s->p < s->end) {
		while (s->end - s->p >= 8) {
			uint64_t m = special8(s->p);
			if (m) {
				/* Bytes are little-endian in the word on every
				 * machine this is built for; else step by bytes. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				s->p += __builtin_ctzll(m) / 8;
#endif
				break;
			}
			s->p += 8;
		}
		if (s->p >= s->end)
			break;
		unsigned char c = (unsigned char)*s->p;
		if (c == '"') {
			v->p = start;
			v->len = (size_t)(s->p - start);
			v->type = XO_J_STRING;
			v->escaped = escaped;
			s->p++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			s->p++;
			continue;
		}
		escaped = 1;
		if (s->end - s->p < 2)
			return -1;
		char e = s->p[1];
		if (e == 'u') {
			uint32_t cp;
			size_t n = unicode_escape(s->p + 1, s->end, &cp);
			if (n == 0)
				return -1;
			s->p += 1 + n;
		} else if (e != '\0' && strchr("\"\\/bfnrt", e)) {
			s->p += 2;
		} else {
			return -1;
		}
	}
	return -1;
}

static int digits(struct scan *s)
{
	const char *start = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return (int)(s->p - start);
}

static int scan_number(struct scan *s, struct xo_jspan *v)
{
	const char *start = s->p;
	int real = 0;
	if (*s->p == '-')
		s->p++;
	if (s->p >= s->end)
		return -1;
	if (*s->p == '0')
		s->p++;
	else if (digits(s) == 0)
		return -1;
	int int_digits = (int)(s->p - start) - (*start == '-');
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		real = 1;
		if (digits(s) == 0)
			return -1;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		real = 1;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		int n = digits(s);
		if (n == 0 || n > 2)
			return -1;
	}
	if (s->p - start > MAX_NUMBER_LEN || (!real && int_digits > MAX_INT_DIGITS))
		return -1;
	v->p = start;
	v->len = (size_t)(s->p - start);
	v->type = XO_J_NUMBER;
	v->escaped = 0;
	return 0;
}

static int scan_word(struct scan *s, const char *word, enum xo_jtype type, struct xo_jspan *v)
{
	size_t n = strlen(word);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return -1;
	v->p = s->p;
	v->len = n;
	v->type = type;
	v->escaped = 0;
	s->p += n;
	return 0;
}

static int scan_value(struct scan *s, struct xo_jspan *v);

static int same_key(const struct xo_jspan *a, const struct xo_jspan *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* The members of an object (s->p at '{') into m[0..max); keys must be
 * distinct, as jansson is told to insist (JSON_REJECT_DUPLICATES). */
static int scan_members(struct scan *s, struct xo_jmember *m, size_t max, size_t *n)
{
	*n = 0;
	s->p++;
	skip_blanks(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		if (s->p >= s->end || *s->p != '"' || *n == max)
			return -1;
		struct xo_jmember *cur = &m[*n];
		if (scan_string(s, &cur->key) != 0 || cur->key.escaped)
			return -1;
		for (size_t i = 0; i < *n; i++)
			if (same_key(&m[i].key, &cur->key))
				return -1;
		skip_blanks(s);
		if (s->p >= s->end || *s->p != ':')
			return -1;
		s->p++;
		skip_blanks(s);
		if (scan_value(s, &cur->val) != 0)
			return -1;
		(*n)++;
		skip_blanks(s);
		if (s->p >= s->end)
			return -1;
		if (*s->p == '}') {
			s->p++;
			return 0;
		}
		if (*s->p != ',')
			return -1;
		s->p++;
		skip_blanks(s);
	}
}

static int scan_array(struct scan *s)
{
	s->p++;
	skip_blanks(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return 0;
	}
	for (;;) {
		struct xo_jspan item;
		if (scan_value(s, &item) != 0)
			return -1;
		skip_blanks(s);
		if (s->p >= s->end)
			return -1;
		if (*s->p == ']') {
			s->p++;
			return 0;
		}
		if (*s->p != ',')
			return -1;
		s->p++;
		skip_blanks(s);
	}
}

static int scan_nested(struct scan *s, struct xo_jspan *v, enum xo_jtype type)
{
	const char *start = s->p;
	if (++s->depth > MAX_DEPTH)
		return -1;
	int rc;
	if (type == XO_J_OBJECT) {
		struct xo_jmember keys[MAX_NESTED_KEYS];
		size_t n;
		rc = scan_members(s, keys, MAX_NESTED_KEYS, &n);
	} else {
		rc = scan_array(s);
	}
	s->depth--;
	v->p = start;
	v->len = (size_t)(s->p - start);
	v->type = type;
	v->escaped = 0;
	return rc;
}

static int scan_value(struct scan *s, struct xo_jspan *v)
{
	if (s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '"':
		return scan_string(s, v);
	case '{':
		return scan_nested(s, v, XO_J_OBJECT);
	case '[':
		return scan_nested(s, v, XO_J_ARRAY);
	case 't':
		return scan_word(s, "true", XO_J_TRUE, v);
	case 'f':
		return scan_word(s, "false", XO_J_FALSE, v);
	case 'n':
		return scan_word(s, "null", XO_J_NULL, v);
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return scan_number(s, v);
		return -1;
	}
}

/* Plain ASCII is valid UTF-8: most lines are settled eight bytes at a time. */
static int ascii(const char *p, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if (x & UINT64_C(0x8080808080808080))
			return 0;
	}
	for (; i < len; i++)
		if ((unsigned char)p[i] & 0x80)
			return 0;
	return 1;
}

enum xo_jscan_result xo_jscan_object(const char *text, size_t len,
				     struct xo_jmember *m, size_t max, size_t *n)
{
	struct scan s = { text, text + len, 1 };
	*n = 0;
	if (!ascii(text, len) && xo_utf8_check(text, len) != len)
		return XO_JSCAN_UNSURE;
	skip_blanks(&s);
	if (s.p >= s.end || *s.p != '{')
		return XO_JSCAN_UNSURE;
	if (scan_members(&s, m, max, n) != 0)
		return XO_JSCAN_UNSURE;
	skip_blanks(&s);
	return s.p == s.end ? XO_JSCAN_OK : XO_JSCAN_UNSURE;
}

const struct xo_jspan *xo_jscan_get(const struct xo_jmember *m, size_t n, const char *key)
{
	size_t klen = strlen(key);
	for (size_t i = 0; i < n; i++)
		if (m[i].key.len == klen && memcmp(m[i].key.p, key, klen) == 0)
			return &m[i].val;
	return NULL;
}

static void add_utf8(struct xo_buf *out, uint32_t cp)
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

void xo_jscan_string(const struct xo_jspan *v, struct xo_buf *out)
{
	if (!v->escaped) {
		xo_buf_add(out, v->p, v->len);
		return;
	}
	const char *p = v->p, *end = v->p + v->len;
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		if (!bs) {
			xo_buf_add(out, p, (size_t)(end - p));
			return;
		}
		xo_buf_add(out, p, (size_t)(bs - p));
		char e = bs[1];
		p = bs + 2;
		switch (e) {
		case 'b': xo_buf_addc(out, '\b'); break;
		case 'f': xo_buf_addc(out, '\f'); break;
		case 'n': xo_buf_addc(out, '\n'); break;
		case 'r': xo_buf_addc(out, '\r'); break;
		case 't': xo_buf_addc(out, '\t'); break;
		case 'u': {
			uint32_t cp = 0;
			size_t n = unicode_escape(bs + 1, end, &cp);
			add_utf8(out, cp);
			p = bs + 1 + n;
			break;
		}
		default: xo_buf_addc(out, e); break;
		}
	}
}
