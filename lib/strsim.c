#include "strsim.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* Scratch space: on the stack when small, else on the heap. */
struct scratch {
	void *p;
	int heap;
};

static void *scratch_get(struct scratch *s, void *stack, size_t stack_size, size_t need)
{
	s->heap = need > stack_size;
	s->p = s->heap ? xo_malloc(need) : stack;
	return s->p;
}

static void scratch_put(struct scratch *s)
{
	if (s->heap)
		free(s->p);
}

size_t xo_utf8_decode(const char *s, size_t len, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, i = 0;
	while (i < len) {
		uint32_t cp = p[i];
		size_t extra = 0;
		if (cp >= 0xf0 && cp <= 0xf4)
			extra = 3, cp &= 0x07;
		else if (cp >= 0xe0 && cp <= 0xef)
			extra = 2, cp &= 0x0f;
		else if (cp >= 0xc2 && cp <= 0xdf)
			extra = 1, cp &= 0x1f;
		size_t j = 1;
		for (; j <= extra && i + j < len && (p[i + j] & 0xc0) == 0x80; j++)
			cp = cp << 6 | (p[i + j] & 0x3f);
		if (j <= extra) /* truncated: the lead byte alone */
			cp = p[i], j = 1;
		if (n < max)
			out[n] = cp;
		n++;
		i += j;
	}
	return n;
}

double xo_jaro_cp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
	if (alen == 0 && blen == 0)
		return 1.0;
	if (alen == 0 || blen == 0)
		return 0.0;
	size_t window = (alen > blen ? alen : blen) / 2;
	window = window > 0 ? window - 1 : 0;
	unsigned char stack[2 * XO_STRSIM_STACK];
	struct scratch sc;
	unsigned char *amatch = scratch_get(&sc, stack, sizeof stack, alen + blen);
	unsigned char *bmatch = amatch + alen;
	memset(amatch, 0, alen + blen);
	size_t matches = 0;
	for (size_t i = 0; i < alen; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < blen ? i + window + 1 : blen;
		for (size_t j = lo; j < hi; j++) {
			if (!bmatch[j] && a[i] == b[j]) {
				amatch[i] = bmatch[j] = 1;
				matches++;
				break;
			}
		}
	}
	double sim = 0.0;
	if (matches > 0) {
		size_t half_transpositions = 0, j = 0;
		for (size_t i = 0; i < alen; i++) {
			if (!amatch[i])
				continue;
			while (!bmatch[j])
				j++;
			if (a[i] != b[j])
				half_transpositions++;
			j++;
		}
		double m = (double)matches;
		sim = (m / (double)alen + m / (double)blen +
		       (m - (double)(half_transpositions / 2)) / m) / 3.0;
	}
	scratch_put(&sc);
	return sim;
}

double xo_jaro_winkler_cp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
	double j = xo_jaro_cp(a, alen, b, blen);
	if (j <= 0.7)
		return j;
	size_t prefix = 0;
	while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix])
		prefix++;
	return j + (double)prefix * 0.1 * (1.0 - j);
}

static size_t absdiff(size_t x, size_t y)
{
	return x > y ? x - y : y - x;
}

/* Shared by both edit distances: rows of the dynamic programme, with the
 * row before the previous one kept for transpositions. */
static size_t edit_distance(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen,
			    size_t max, int transpose)
{
	if (absdiff(alen, blen) > max)
		return max + 1;
	if (alen == 0 || blen == 0)
		return alen + blen;
	size_t stack[3 * (XO_STRSIM_STACK + 1)];
	struct scratch sc;
	size_t *rows = scratch_get(&sc, stack, sizeof stack, 3 * (blen + 1) * sizeof *rows);
	size_t *before = rows, *prev = rows + blen + 1, *cur = rows + 2 * (blen + 1);
	for (size_t j = 0; j <= blen; j++)
		prev[j] = j;
	size_t result = 0, prev_min = 0;
	for (size_t i = 1; i <= alen; i++) {
		cur[0] = i;
		size_t row_min = cur[0];
		for (size_t j = 1; j <= blen; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (transpose && i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && before[j - 2] + 1 < d)
				d = before[j - 2] + 1;
			cur[j] = d;
			if (d < row_min)
				row_min = d;
		}
		/* No later row can come back under max once this row (and,
		 * with transpositions, the one before it) is over it. */
		if (row_min > max && (!transpose || prev_min > max)) {
			result = max + 1;
			goto done;
		}
		prev_min = row_min;
		size_t *t = before;
		before = prev;
		prev = cur;
		cur = t;
	}
	result = prev[blen] > max ? max + 1 : prev[blen];
done:
	scratch_put(&sc);
	return result;
}

size_t xo_levenshtein_cp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen,
			 size_t max)
{
	return edit_distance(a, alen, b, blen, max, 0);
}

size_t xo_damerau_cp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen,
		     size_t max)
{
	return edit_distance(a, alen, b, blen, max, 1);
}

/* Both strings decoded into one scratch area. */
struct decoded {
	uint32_t *a, *b;
	size_t alen, blen;
	struct scratch sc;
	uint32_t stack[2 * XO_STRSIM_STACK];
};

static void decode_pair(struct decoded *d, const char *a, size_t alen, const char *b, size_t blen)
{
	/* A string has at most as many code points as bytes. */
	uint32_t *p = scratch_get(&d->sc, d->stack, sizeof d->stack, (alen + blen) * sizeof *p);
	d->a = p;
	d->alen = xo_utf8_decode(a, alen, d->a, alen);
	d->b = p + alen;
	d->blen = xo_utf8_decode(b, blen, d->b, blen);
}

double xo_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	struct decoded d;
	decode_pair(&d, a, alen, b, blen);
	double v = xo_jaro_winkler_cp(d.a, d.alen, d.b, d.blen);
	scratch_put(&d.sc);
	return v;
}

size_t xo_levenshtein(const char *a, size_t alen, const char *b, size_t blen, size_t max)
{
	struct decoded d;
	decode_pair(&d, a, alen, b, blen);
	size_t v = xo_levenshtein_cp(d.a, d.alen, d.b, d.blen, max);
	scratch_put(&d.sc);
	return v;
}

size_t xo_damerau(const char *a, size_t alen, const char *b, size_t blen, size_t max)
{
	struct decoded d;
	decode_pair(&d, a, alen, b, blen);
	size_t v = xo_damerau_cp(d.a, d.alen, d.b, d.blen, max);
	scratch_put(&d.sc);
	return v;
}

struct word {
	const char *p;
	size_t len;
};

static int is_separator(unsigned char c)
{
	return c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			     (c >= 'A' && c <= 'Z'));
}

static size_t split_words(const char *s, size_t len, struct word *w)
{
	size_t n = 0, i = 0;
	while (i < len) {
		while (i < len && is_separator((unsigned char)s[i]))
			i++;
		size_t start = i;
		while (i < len && !is_separator((unsigned char)s[i]))
			i++;
		if (i > start) {
			w[n].p = s + start;
			w[n].len = i - start;
			n++;
		}
	}
	return n;
}

static int word_cmp(const void *x, const void *y)
{
	const struct word *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->p, b->p, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Sort and drop repeats; returns the count left. */
static size_t word_set(struct word *w, size_t n)
{
	if (n < 2)
		return n;
	qsort(w, n, sizeof *w, word_cmp);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (word_cmp(&w[i], &w[k - 1]) != 0)
			w[k++] = w[i];
	return k;
}

double xo_token_set(const char *a, size_t alen, const char *b, size_t blen)
{
	/* A string of len bytes has at most len / 2 + 1 words. */
	size_t need = (alen / 2 + 1) + (blen / 2 + 1);
	struct word stack[XO_STRSIM_STACK];
	struct scratch sc;
	struct word *wa = scratch_get(&sc, stack, sizeof stack, need * sizeof *wa);
	size_t na = word_set(wa, split_words(a, alen, wa));
	struct word *wb = wa + na;
	size_t nb = word_set(wb, split_words(b, blen, wb));
	double sim;
	if (na == 0 && nb == 0) {
		sim = 1.0;
	} else {
		size_t i = 0, j = 0, common = 0;
		while (i < na && j < nb) {
			int c = word_cmp(&wa[i], &wb[j]);
			if (c == 0)
				common++, i++, j++;
			else if (c < 0)
				i++;
			else
				j++;
		}
		sim = (double)common / (double)(na + nb - common);
	}
	scratch_put(&sc);
	return sim;
}

static char soundex_digit(char c)
{
	static const char map[] = "01230120022455012623010202";
	return map[c - 'A'];
}

void xo_soundex(const char *s, size_t len, char out[5])
{
	size_t n = 0;
	char last = 0;
	for (size_t i = 0; i < len && n < 4; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			continue;
		char d = soundex_digit(c);
		if (n == 0) {
			out[n++] = c;
		} else if (d != '0' && d != last) {
			out[n++] = d;
		}
		/* H and W do not separate letters with the same code. */
		if (c != 'H' && c != 'W')
			last = d;
	}
	if (n > 0)
		while (n < 4)
			out[n++] = '0';
	out[n] = '\0';
}
