#include "linkspec.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"
#include "mem.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* Cleaning values */

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Latin-1 letters U+00C0..U+00FF without their accents ('\0': none). */
static const char latin1_base[64] = "AAAAAAACEEEEIIIIDNOOOOO\0OUUUUYTsaaaaaaaceeeeiiiidnooooo\0ouuuuyty";

/* Append code point cp of UTF-8 bytes s[0..n), cleaned. */
static void clean_char(unsigned clean, const char *s, size_t n, struct xo_buf *out)
{
	unsigned char c = (unsigned char)s[0];
	if (n == 1) {
		if (!(clean & XO_CLEAN_KEEP_CASE) && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		int digit = c >= '0' && c <= '9';
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if ((clean & XO_CLEAN_DIGITS) && !digit)
			return;
		if ((clean & XO_CLEAN_ALNUM) && !digit && !letter && c != ' ')
			return;
		xo_buf_addc(out, (char)c);
		return;
	}
	if (clean & XO_CLEAN_DIGITS)
		return;
	/* Latin-1 letters: U+00C0..U+00FF are C3 80..C3 BF. */
	if (n == 2 && c == 0xc3) {
		unsigned cp = 0xc0 + ((unsigned char)s[1] & 0x3f);
		if ((clean & XO_CLEAN_ASCII) && latin1_base[cp - 0xc0]) {
			char b = latin1_base[cp - 0xc0];
			if (!(clean & XO_CLEAN_KEEP_CASE) && b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			xo_buf_addc(out, b);
			if (cp == 0xdf) /* sharp s */
				xo_buf_addc(out, 's');
			return;
		}
		if (!(clean & XO_CLEAN_KEEP_CASE) && cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
			cp += 0x20;
		xo_buf_addc(out, (char)0xc3);
		xo_buf_addc(out, (char)(0x80 | (cp & 0x3f)));
		return;
	}
	xo_buf_add(out, s, n);
}

static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

static void clean_text(unsigned clean, const char *raw, size_t len, struct xo_buf *out)
{
	size_t i = 0;
	int pending_blank = 0;
	while (i < len) {
		unsigned char c = (unsigned char)raw[i];
		if (is_blank(c)) {
			pending_blank = 1;
			i++;
			continue;
		}
		size_t n = utf8_len(c);
		if (n > len - i)
			n = len - i;
		if (pending_blank && out->len > 0 && !(clean & (XO_CLEAN_NOSPACE | XO_CLEAN_DIGITS)))
			clean_char(clean, " ", 1, out);
		pending_blank = 0;
		clean_char(clean, raw + i, n, out);
		i += n;
	}
	/* Alnum may have left a trailing or doubled blank behind. */
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
}

int xo_lfield_clean(const struct xo_lfield *f, const char *raw, size_t len, struct xo_buf *out)
{
	xo_buf_reset(out);
	if (f->extract) {
		size_t start, end;
		enum xo_rx_result m = xo_rx_match(f->extract, raw, len);
		if (m != XO_RX_MATCH)
			return m == XO_RX_LIMIT ? -1 : 0;
		unsigned g = xo_rx_groups(f->extract) > 0 ? 1 : 0;
		if (xo_rx_group(f->extract, g, &start, &end) != 0)
			return 0;
		raw += start;
		len = end - start;
	}
	clean_text(f->clean, raw, len, out);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading the file */

#define MAX_WORDS 64

struct parser {
	struct xo_linkspec *s;
	const char *name;
	long line;
	struct xo_buf *why;
	struct xo_lcompare *cur;  /* the comparison levels are added to */
	size_t cap_fields, cap_compares, cap_blocks, cap_train, cap_levels;
	char *words[MAX_WORDS];
	size_t n_words;
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	xo_buf_reset(p->why);
	if (p->line > 0)
		xo_buf_printf(p->why, "%ld: ", p->line);
	va_start(ap, fmt);
	xo_buf_vprintf(p->why, fmt, ap);
	va_end(ap);
	return -1;
}

/* Split a line into words: blanks separate, "..." keeps blanks inside
 * a word, '#' outside quotes starts a comment. */
static int split_words(struct parser *p, char *line)
{
	p->n_words = 0;
	char *s = line;
	for (;;) {
		while (is_blank((unsigned char)*s))
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (p->n_words == MAX_WORDS)
			return fail(p, "more than %d words on a line", MAX_WORDS);
		p->words[p->n_words++] = s;
		int quoted = 0;
		while (*s && (quoted || !is_blank((unsigned char)*s))) {
			if (*s == '"' && (s == line || s[-1] != '\\'))
				quoted = !quoted;
			s++;
		}
		if (quoted)
			return fail(p, "an unclosed quote");
		if (*s == '\0')
			return 0;
		*s++ = '\0';
	}
}

static int is_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int find_field(const struct xo_linkspec *s, const char *name)
{
	for (size_t i = 0; i < s->n_fields; i++)
		if (strcmp(s->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int number(struct parser *p, const char *word, const char *what, double min, double max,
		  double *out)
{
	char *end;
	errno = 0;
	double v = strtod(word, &end);
	if (errno || end == word || *end || !isfinite(v) || v < min || v > max)
		return fail(p, "%s: expected a number from %g to %g, not \"%s\"", what, min, max, word);
	*out = v;
	return 0;
}

static int whole(struct parser *p, const char *word, const char *what, double min, double max,
		 unsigned long *out)
{
	double v;
	if (number(p, word, what, min, max, &v) != 0)
		return -1;
	if (v != floor(v))
		return fail(p, "%s: expected a whole number, not \"%s\"", what, word);
	*out = (unsigned long)v;
	return 0;
}

static int field_option(struct parser *p, struct xo_lfield *f, const char *w)
{
	static const struct {
		const char *name;
		unsigned bit;
	} cleans[] = {
		{ "keep-case", XO_CLEAN_KEEP_CASE }, { "ascii", XO_CLEAN_ASCII },
		{ "alnum", XO_CLEAN_ALNUM },         { "digits", XO_CLEAN_DIGITS },
		{ "nospace", XO_CLEAN_NOSPACE },
	};
	for (size_t i = 0; i < sizeof cleans / sizeof cleans[0]; i++) {
		if (strcmp(w, cleans[i].name) == 0) {
			f->clean |= cleans[i].bit;
			return 0;
		}
	}
	if (strcmp(w, "text") == 0) {
		f->type = XO_LFIELD_TEXT;
	} else if (strncmp(w, "extract=", 8) == 0) {
		struct xo_buf err = XO_BUF_INIT;
		xo_rx_free(f->extract);
		f->extract = xo_rx_compile(w + 8, 0, &err);
		size_t len = strlen(w + 8), n = xo_utf8_clip(w + 8, len, 80);
		int rc = f->extract ? 0 : fail(p, "field %s: bad pattern \"%.*s%s\": %s", f->name,
					       (int)n, w + 8, n < len ? "..." : "", xo_buf_str(&err));
		xo_buf_free(&err);
		return rc;
	} else if (strcmp(w, "number") == 0) {
		f->type = XO_LFIELD_NUMBER;
	} else if (strcmp(w, "date") == 0 || strncmp(w, "date=", 5) == 0) {
		f->type = XO_LFIELD_DATE;
		free(f->date_pattern);
		f->date_pattern = xo_strdup(w[4] ? w + 5 : "iso8601");
		if (xo_timefmt_parse(f->date_pattern, &f->date_format) != 0)
			return fail(p, "field %s: unknown date format \"%s\"", f->name, f->date_pattern);
	} else {
		return fail(p, "field %s: unknown option \"%s\" (text, date[=FORMAT], number, "
			       "extract=REGEX, keep-case, ascii, alnum, digits, nospace)", f->name, w);
	}
	return 0;
}

static int parse_field(struct parser *p)
{
	struct xo_linkspec *s = p->s;
	if (p->n_words < 3)
		return fail(p, "expected: field NAME PATH [OPTION...]");
	const char *name = p->words[1];
	if (!is_name(name))
		return fail(p, "\"%s\" is not a field name (letters, digits, _ and -)", name);
	if (find_field(s, name) >= 0)
		return fail(p, "field %s defined twice", name);
	struct xo_buf err = XO_BUF_INIT;
	struct xo_path *path = xo_path_compile(p->words[2], &err);
	if (!path) {
		fail(p, "field %s: bad path \"%s\": %s", name, p->words[2], xo_buf_str(&err));
		xo_buf_free(&err);
		return -1;
	}
	xo_buf_free(&err);
	s->fields = xo_grow(s->fields, &p->cap_fields, s->n_fields + 1, sizeof *s->fields);
	struct xo_lfield *f = &s->fields[s->n_fields++];
	memset(f, 0, sizeof *f);
	f->name = xo_strdup(name);
	f->path = path;
	for (size_t i = 3; i < p->n_words; i++)
		if (field_option(p, f, p->words[i]) != 0)
			return -1;
	return 0;
}

static int parse_key(struct parser *p, const char *w, struct xo_lkey *k)
{
	static const struct {
		const char *name;
		enum xo_lkey_fn fn;
		int takes_n;
	} fns[] = {
		{ "prefix", XO_LKEY_PREFIX, 1 }, { "suffix", XO_LKEY_SUFFIX, 1 },
		{ "soundex", XO_LKEY_SOUNDEX, 0 }, { "year", XO_LKEY_YEAR, 0 },
		{ "month", XO_LKEY_MONTH, 0 },
	};
	char buf[128];
	if (strlen(w) >= sizeof buf)
		return fail(p, "a blocking key too long: \"%.20s...\"", w);
	strcpy(buf, w);
	char *open = strchr(buf, '(');
	k->fn = XO_LKEY_VALUE;
	k->n = 0;
	char *field = buf;
	if (open) {
		size_t len = strlen(buf);
		if (buf[len - 1] != ')')
			return fail(p, "blocking key \"%s\": missing ')'", w);
		buf[len - 1] = '\0';
		*open = '\0';
		field = open + 1;
		size_t i = 0;
		while (i < sizeof fns / sizeof fns[0] && strcmp(fns[i].name, buf) != 0)
			i++;
		if (i == sizeof fns / sizeof fns[0])
			return fail(p, "unknown blocking function \"%s\" (prefix, suffix, soundex, "
				       "year, month)", buf);
		k->fn = fns[i].fn;
		char *comma = strchr(field, ',');
		if (fns[i].takes_n != (comma != NULL))
			return fail(p, "blocking key \"%s\": %s", w,
				    fns[i].takes_n ? "expected (FIELD,N)" : "expected (FIELD)");
		if (comma) {
			*comma = '\0';
			unsigned long n;
			if (whole(p, comma + 1, w, 1, 1000, &n) != 0)
				return -1;
			k->n = (int)n;
		}
	}
	k->field = find_field(p->s, field);
	if (k->field < 0)
		return fail(p, "blocking key \"%s\": no field \"%s\"", w, field);
	if ((k->fn == XO_LKEY_YEAR || k->fn == XO_LKEY_MONTH) &&
	    p->s->fields[k->field].type != XO_LFIELD_DATE)
		return fail(p, "blocking key \"%s\": %s is not a date field", w, field);
	return 0;
}

static int parse_rule(struct parser *p, struct xo_lrule **list, size_t *n, size_t *cap)
{
	if (p->n_words < 2)
		return fail(p, "expected: %s KEY [KEY...]", p->words[0]);
	*list = xo_grow(*list, cap, *n + 1, sizeof **list);
	struct xo_lrule *r = &(*list)[(*n)++];
	memset(r, 0, sizeof *r);
	r->line = p->line;
	r->n_keys = p->n_words - 1;
	r->keys = xo_calloc(r->n_keys, sizeof *r->keys);
	struct xo_buf text = XO_BUF_INIT;
	for (size_t i = 1; i < p->n_words; i++)
		xo_buf_printf(&text, "%s%s", i > 1 ? " " : "", p->words[i]);
	r->text = xo_buf_steal(&text);
	for (size_t i = 0; i < r->n_keys; i++)
		if (parse_key(p, p->words[i + 1], &r->keys[i]) != 0)
			return -1;
	return 0;
}

static int parse_compare(struct parser *p)
{
	struct xo_linkspec *s = p->s;
	if (p->n_words < 2 || p->n_words > 3)
		return fail(p, "expected: compare NAME [FIELD]");
	if (s->n_compares == XO_LINKSPEC_MAX_COMPARES)
		return fail(p, "more than %d comparisons", XO_LINKSPEC_MAX_COMPARES);
	const char *name = p->words[1], *field = p->n_words == 3 ? p->words[2] : name;
	if (!is_name(name))
		return fail(p, "\"%s\" is not a comparison name", name);
	for (size_t i = 0; i < s->n_compares; i++)
		if (strcmp(s->compares[i].name, name) == 0)
			return fail(p, "comparison %s defined twice", name);
	int f = find_field(s, field);
	if (f < 0)
		return fail(p, "compare %s: no field \"%s\" (define it with a field line first)",
			    name, field);
	s->compares = xo_grow(s->compares, &p->cap_compares, s->n_compares + 1, sizeof *s->compares);
	p->cur = &s->compares[s->n_compares++];
	memset(p->cur, 0, sizeof *p->cur);
	p->cur->name = xo_strdup(name);
	p->cur->field = f;
	p->cur->line = p->line;
	p->cap_levels = 0;
	return 0;
}

static const struct {
	const char *name;
	enum xo_lmethod method;
	const char *op;    /* NULL: takes no threshold */
	double min, max;
	const char *label;
} methods[] = {
	{ "exact", XO_LM_EXACT, NULL, 0, 0, "exact" },
	{ "jaro", XO_LM_JARO, ">=", 0, 1, "jaro" },
	{ "jw", XO_LM_JW, ">=", 0, 1, "jw" },
	{ "jaro-winkler", XO_LM_JW, ">=", 0, 1, "jw" },
	{ "lev", XO_LM_LEV, "<=", 0, 1000, "lev" },
	{ "levenshtein", XO_LM_LEV, "<=", 0, 1000, "lev" },
	{ "dl", XO_LM_DL, "<=", 0, 1000, "dl" },
	{ "damerau", XO_LM_DL, "<=", 0, 1000, "dl" },
	{ "tokens", XO_LM_TOKENS, ">=", 0, 1, "tokens" },
	{ "num", XO_LM_NUM, "<=", 0, 1e300, "num" },
	{ "numrel", XO_LM_NUMREL, "<=", 0, 1e6, "numrel" },
	{ "days", XO_LM_DAYS, "<=", 0, 1e9, "days" },
	{ "years", XO_LM_YEARS, "<=", 0, 1e6, "years" },
	{ "swap", XO_LM_SWAP, NULL, 0, 0, "swap" },
	{ "same", XO_LM_SAME, NULL, 0, 0, "same" },
	{ "else", XO_LM_ELSE, NULL, 0, 0, "else" },
};

static int method_index(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strlen(methods[i].name) == len && strncmp(methods[i].name, word, len) == 0)
			return (int)i;
	return -1;
}

static int is_level_word(const char *word)
{
	size_t len = strcspn(word, "<>=");
	return method_index(word, len) >= 0;
}

/* "jw>=0.9" and "jw >= 0.9" alike: the words joined, then cut at the
 * operator. */
static int level_condition(struct parser *p, struct xo_llevel *l, size_t *next)
{
	char cond[128];
	size_t len = 0, w = 0;
	cond[0] = '\0';
	/* Gather words until the condition is complete: method, op, value. */
	int m = -1;
	for (w = 0; w < p->n_words; w++) {
		size_t wl = strlen(p->words[w]);
		if (len + wl + 1 >= sizeof cond)
			return fail(p, "a level condition too long");
		memcpy(cond + len, p->words[w], wl + 1);
		len += wl;
		size_t name_len = strcspn(cond, "<>=");
		m = method_index(cond, name_len);
		if (m < 0)
			return fail(p, "unknown level \"%s\"", cond);
		if (!methods[m].op)
			break;
		const char *rest = cond + name_len;
		size_t oplen = strlen(methods[m].op);
		if (strncmp(rest, methods[m].op, oplen) == 0 && rest[oplen])
			break;
		if (*rest && strncmp(methods[m].op, rest, strlen(rest)) != 0)
			return fail(p, "%s takes \"%s N\", not \"%s\"", methods[m].name,
				    methods[m].op, rest);
	}
	if (w == p->n_words)
		return fail(p, "%s needs \"%s N\"", methods[m].name, methods[m].op);
	*next = w + 1;
	l->method = methods[m].method;
	struct xo_buf label = XO_BUF_INIT;
	xo_buf_adds(&label, methods[m].label);
	if (methods[m].op) {
		const char *value = cond + strcspn(cond, "<>=") + strlen(methods[m].op);
		if (number(p, value, methods[m].name, methods[m].min, methods[m].max, &l->t) != 0) {
			xo_buf_free(&label);
			return -1;
		}
		xo_buf_printf(&label, "%s%g", methods[m].op, l->t);
	}
	l->label = xo_buf_steal(&label);
	return 0;
}

static int level_options(struct parser *p, struct xo_llevel *l, size_t w)
{
	const struct xo_lcompare *c = p->cur;
	if (l->method == XO_LM_SWAP || l->method == XO_LM_SAME) {
		const char *m = l->method == XO_LM_SWAP ? "swap" : "same";
		if (w >= p->n_words)
			return fail(p, "%s needs the other field: %s FIELD", m, m);
		l->other = find_field(p->s, p->words[w]);
		if (l->other < 0 || l->other == c->field)
			return fail(p, "%s: \"%s\" is not another field", m, p->words[w]);
		char *label = l->label;
		struct xo_buf b = XO_BUF_INIT;
		xo_buf_printf(&b, "%s(%s)", m, p->words[w]);
		l->label = xo_buf_steal(&b);
		free(label);
		w++;
	}
	for (; w < p->n_words; w++) {
		const char *o = p->words[w];
		if (strcmp(o, "tf") == 0) {
			if (l->method != XO_LM_EXACT)
				return fail(p, "tf (term frequency) applies to exact levels only");
			l->tf = 1;
		} else if (strncmp(o, "m=", 2) == 0) {
			if (number(p, o + 2, "m", 1e-12, 1, &l->m) != 0)
				return -1;
		} else if (strncmp(o, "u=", 2) == 0) {
			if (number(p, o + 2, "u", 1e-12, 1, &l->u) != 0)
				return -1;
		} else {
			return fail(p, "unknown level option \"%s\" (tf, m=P, u=P)", o);
		}
	}
	return 0;
}

static int check_method(struct parser *p, const struct xo_llevel *l)
{
	enum xo_lfield_type type = p->s->fields[p->cur->field].type;
	if ((l->method == XO_LM_DAYS || l->method == XO_LM_YEARS) && type != XO_LFIELD_DATE)
		return fail(p, "%s compares dates: field %s is not a date field", l->label,
			    p->s->fields[p->cur->field].name);
	if ((l->method == XO_LM_NUM || l->method == XO_LM_NUMREL) && type != XO_LFIELD_NUMBER)
		return fail(p, "%s compares numbers: field %s is not a number field", l->label,
			    p->s->fields[p->cur->field].name);
	if ((l->method == XO_LM_LEV || l->method == XO_LM_DL) && l->t != floor(l->t))
		return fail(p, "%s: edit distances are whole numbers", l->label);
	return 0;
}

static int parse_level(struct parser *p)
{
	struct xo_lcompare *c = p->cur;
	if (!c)
		return fail(p, "a level outside a comparison (start one with: compare NAME)");
	if (c->n_levels > 0 && c->levels[c->n_levels - 1].method == XO_LM_ELSE)
		return fail(p, "a level after \"else\" in comparison %s", c->name);
	if (c->n_levels == XO_LINKSPEC_MAX_LEVELS - 1 && strcmp(p->words[0], "else") != 0)
		return fail(p, "comparison %s: more than %d levels", c->name,
			    XO_LINKSPEC_MAX_LEVELS - 1);
	c->levels = xo_grow(c->levels, &p->cap_levels, c->n_levels + 1, sizeof *c->levels);
	struct xo_llevel *l = &c->levels[c->n_levels];
	memset(l, 0, sizeof *l);
	l->m = l->u = -1;
	size_t next = 0;
	int rc = level_condition(p, l, &next);
	if (rc == 0)
		rc = level_options(p, l, next);
	if (rc == 0)
		rc = check_method(p, l);
	if (rc != 0) {
		free(l->label);
		return -1;
	}
	c->n_levels++;
	return 0;
}

static int parse_setting(struct parser *p)
{
	struct xo_linkspec *s = p->s;
	const char *key = p->words[0];
	if (strcmp(key, "one-to-one") == 0) {
		if (p->n_words != 1)
			return fail(p, "one-to-one takes no value");
		s->one_to_one = 1;
		return 0;
	}
	if (strcmp(key, "trait") == 0) {
		if (p->n_words != 2)
			return fail(p, "expected: trait NAME=PATH[:RULE]");
		struct xo_buf why = XO_BUF_INIT;
		int rc = xo_traits_add(&s->traits, p->words[1], &why);
		if (rc != 0)
			fail(p, "%s", xo_buf_str(&why));
		xo_buf_free(&why);
		return rc;
	}
	static const char *const settings[] = {
		"threshold", "prior", "sample", "max-block", "em-iterations", "model",
	};
	int known = 0;
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		known |= strcmp(key, settings[i]) == 0;
	if (!known)
		return fail(p, "unknown statement \"%s\"", key);
	if (p->n_words != 2)
		return fail(p, "expected: %s VALUE", key);
	const char *v = p->words[1];
	unsigned long n;
	if (strcmp(key, "threshold") == 0)
		return number(p, v, "threshold", 1e-9, 1 - 1e-12, &s->threshold);
	if (strcmp(key, "prior") == 0)
		return number(p, v, "prior", 1e-15, 0.5, &s->prior);
	if (strcmp(key, "sample") == 0)
		return whole(p, v, "sample", 1000, 1e9, &s->sample);
	if (strcmp(key, "max-block") == 0)
		return whole(p, v, "max-block", 2, 1e9, &s->max_block);
	if (strcmp(key, "em-iterations") == 0) {
		if (whole(p, v, "em-iterations", 1, 10000, &n) != 0)
			return -1;
		s->em_iterations = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "model") == 0) {
		if (strcmp(v, "em") != 0 && strcmp(v, "fixed") != 0)
			return fail(p, "model: expected em or fixed, not \"%s\"", v);
		s->em = strcmp(v, "em") == 0;
		return 0;
	}
	return -1;
}

static int parse_line(struct parser *p, char *line)
{
	if (split_words(p, line) != 0)
		return -1;
	if (p->n_words == 0)
		return 0;
	const char *w = p->words[0];
	if (is_level_word(w))
		return parse_level(p);
	p->cur = NULL;
	if (strcmp(w, "field") == 0)
		return parse_field(p);
	if (strcmp(w, "block") == 0)
		return parse_rule(p, &p->s->blocks, &p->s->n_blocks, &p->cap_blocks);
	if (strcmp(w, "train") == 0)
		return parse_rule(p, &p->s->train, &p->s->n_train, &p->cap_train);
	if (strcmp(w, "compare") == 0)
		return parse_compare(p);
	return parse_setting(p);
}

/* Whole-spec checks once every line is read. */
static int finish(struct parser *p)
{
	struct xo_linkspec *s = p->s;
	p->line = 0;
	if (s->n_fields == 0)
		return fail(p, "no fields (field NAME PATH)");
	if (s->n_compares == 0)
		return fail(p, "no comparisons (compare NAME)");
	if (s->n_blocks == 0)
		return fail(p, "no blocking rules (block KEY...): every pair would be compared");
	for (size_t i = 0; i < s->n_compares; i++) {
		struct xo_lcompare *c = &s->compares[i];
		p->line = c->line;
		if (c->n_levels == 0)
			return fail(p, "comparison %s has no levels", c->name);
		if (c->levels[c->n_levels - 1].method != XO_LM_ELSE) {
			c->levels = xo_realloc(c->levels, (c->n_levels + 1) * sizeof *c->levels);
			struct xo_llevel *l = &c->levels[c->n_levels++];
			memset(l, 0, sizeof *l);
			l->method = XO_LM_ELSE;
			l->m = l->u = -1;
			l->label = xo_strdup("else");
		}
		if (c->n_levels < 2)
			return fail(p, "comparison %s needs a level besides else", c->name);
		for (size_t j = 0; j < c->n_levels && !s->em; j++)
			if (c->levels[j].m < 0)
				return fail(p, "model fixed: comparison %s level %s has no m=",
					    c->name, c->levels[j].label);
	}
	return 0;
}

struct xo_linkspec *xo_linkspec_parse(const char *name, const char *text, size_t len,
				      struct xo_buf *why)
{
	struct xo_linkspec *s = xo_calloc(1, sizeof *s);
	s->path = xo_strdup(name);
	s->threshold = 0.99;
	s->prior = -1;
	s->em = 1;
	s->sample = 1000000;
	s->max_block = 5000;
	s->em_iterations = 100;
	s->em_tolerance = 1e-6;
	struct parser p = { .s = s, .name = name, .why = why };
	const char *end = text + len;
	int rc = 0;
	while (text < end && rc == 0) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);
		p.line++;
		char *line = xo_strndup(text, n);
		if (strlen(line) != n)
			rc = fail(&p, "a NUL byte");
		else
			rc = parse_line(&p, line);
		free(line);
		text += n + (nl ? 1 : 0);
	}
	if (rc == 0)
		rc = finish(&p);
	if (rc != 0) {
		xo_linkspec_free(s);
		return NULL;
	}
	return s;
}

struct xo_linkspec *xo_linkspec_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		xo_die(XO_EXIT_INPUT, "%s: %s", path, strerror(errno));
	struct xo_buf text = XO_BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		xo_buf_add(&text, chunk, n);
	if (ferror(f))
		xo_die(XO_EXIT_INPUT, "%s: read error: %s", path, strerror(errno));
	fclose(f);
	struct xo_buf why = XO_BUF_INIT;
	struct xo_linkspec *s = xo_linkspec_parse(path, text.data ? text.data : "", text.len, &why);
	xo_buf_free(&text);
	if (!s)
		xo_die(XO_EXIT_USAGE, "%s:%s%s", path,
		       why.data && why.data[0] >= '0' && why.data[0] <= '9' ? "" : " ",
		       xo_buf_str(&why));
	xo_buf_free(&why);
	return s;
}

static void free_rules(struct xo_lrule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].keys);
		free(r[i].text);
	}
	free(r);
}

void xo_linkspec_free(struct xo_linkspec *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_fields; i++) {
		free(s->fields[i].name);
		xo_path_free(s->fields[i].path);
		free(s->fields[i].date_pattern);
		xo_rx_free(s->fields[i].extract);
	}
	free(s->fields);
	for (size_t i = 0; i < s->n_compares; i++) {
		for (size_t j = 0; j < s->compares[i].n_levels; j++)
			free(s->compares[i].levels[j].label);
		free(s->compares[i].levels);
		free(s->compares[i].name);
	}
	free(s->compares);
	free_rules(s->blocks, s->n_blocks);
	free_rules(s->train, s->n_train);
	xo_traits_free(&s->traits);
	free(s->path);
	free(s);
}
