#include "sentiment.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cfgfile.h"
#include "mem.h"
#include "strmap.h"

/* VADER's constants (vaderSentiment.py). */
#define BOOST_STEP 0.293
#define CAPS_BOOST 0.733
#define NEGATION_SCALE -0.74
#define EXCLAIM_BOOST 0.292
#define QUESTION_BOOST 0.18
#define NORM_ALPHA 15.0
#define WINDOW 3
#define MIN_STEM 3 /* letters of the shortest stem term ("ott*" at least) */

enum {
	W_VALENCE = 1,
	W_NEGATOR = 2,
	W_BOOSTER = 4,
	W_CONTRAST = 8,
	W_STOPWORD = 16,
};

struct word {
	unsigned flags;
	double valence;
	double boost;
};

struct token {
	size_t off, len;  /* into lx->lower */
	int caps;         /* written in capitals */
	int sentence_end; /* a sentence ends after it */
	int clause_end;   /* a comma, colon or dash follows it */
};

struct xo_lexicon {
	char lang[16];
	int elision;                 /* split "dell'acqua" into "dell'" "acqua" */
	struct xo_strmap words;      /* lower-case term -> struct word */
	size_t n_scored;
	int max_phrase;              /* words in the longest phrase */
	int has_stems;               /* some terms end in '*' */
	char **neg_suffixes;         /* "n't" */
	size_t n_neg_suffixes;
	/* Scratch for one text. */
	struct xo_buf lower;
	struct token *tokens;
	size_t n_tokens, cap_tokens;
	double *vals;
	size_t cap_vals;
	struct xo_buf phrase;
	unsigned exclaims, questions;
};

/* --- loading ------------------------------------------------------- */

static struct word *word_slot(struct xo_lexicon *lx, const char *term, size_t len)
{
	struct word **slot = (struct word **)xo_strmap_slot(&lx->words, term, len, NULL);
	if (!*slot)
		*slot = xo_calloc(1, sizeof **slot);
	return *slot;
}

static void lower_into(struct xo_buf *out, const char *s, size_t len, int *caps);
static const struct word *lookup(const struct xo_lexicon *lx, const char *s, size_t len);

/* The next blank-separated field of *s, NUL-terminated in place. */
static char *field(char **s)
{
	char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	char *start = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return start;
}

static int parse_number(const char *s, double *out)
{
	char *end;
	errno = 0;
	/* The C locale is in force: xo tools never call setlocale(). */
	*out = strtod(s, &end);
	return errno || end == s || *end || !isfinite(*out) ? -1 : 0;
}

static int directive(struct xo_lexicon *lx, char *line, struct xo_buf *tmp, const char **why)
{
	char *rest = line;
	char *name = field(&rest);
	char *arg = field(&rest);
	if (!arg) {
		*why = "directive without an argument";
		return -1;
	}
	if (strcmp(name, "@lang") == 0) {
		if (strlen(arg) >= sizeof lx->lang) {
			*why = "language code too long";
			return -1;
		}
		strcpy(lx->lang, arg);
		return 0;
	}
	if (strcmp(name, "@elision") == 0) {
		lx->elision = strcmp(arg, "yes") == 0;
		return 0;
	}
	if (strcmp(name, "@negator-suffix") == 0) {
		lx->neg_suffixes = xo_realloc(lx->neg_suffixes,
					      (lx->n_neg_suffixes + 1) * sizeof *lx->neg_suffixes);
		lx->neg_suffixes[lx->n_neg_suffixes++] = xo_strdup(arg);
		return 0;
	}
	unsigned flag;
	if (strcmp(name, "@negator") == 0)
		flag = W_NEGATOR;
	else if (strcmp(name, "@booster") == 0)
		flag = W_BOOSTER;
	else if (strcmp(name, "@contrast") == 0)
		flag = W_CONTRAST;
	else if (strcmp(name, "@stopword") == 0)
		flag = W_STOPWORD;
	else {
		*why = "unknown directive";
		return -1;
	}
	if (flag == W_BOOSTER) {
		char *value = field(&rest);
		double b;
		if (!value || parse_number(value, &b) != 0 || fabs(b) > 4) {
			*why = "@booster needs a word and a number from -4 to 4";
			return -1;
		}
		xo_buf_reset(tmp);
		lower_into(tmp, arg, strlen(arg), NULL);
		struct word *w = word_slot(lx, tmp->data, tmp->len);
		w->flags |= W_BOOSTER;
		w->boost = b;
		return 0;
	}
	/* @negator, @contrast and @stopword take any number of words. */
	for (; arg; arg = field(&rest)) {
		xo_buf_reset(tmp);
		lower_into(tmp, arg, strlen(arg), NULL);
		word_slot(lx, tmp->data, tmp->len)->flags |= flag;
	}
	return 0;
}

/* "ottim*": letters then '*'. Other terms ending in '*' (emoticons such
 * as ":*") are taken literally. */
static int is_stem(const char *s, size_t len)
{
	if (len < 2 || s[len - 1] != '*')
		return 0;
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || c >= 0x80))
			return 0;
	}
	return 1;
}

static int term_line(struct xo_lexicon *lx, char *line, struct xo_buf *tmp, const char **why)
{
	char *tab = strchr(line, '\t');
	if (!tab) {
		*why = "expected TERM<TAB>VALENCE";
		return -1;
	}
	*tab = '\0';
	char *value = tab + 1, *end = strchr(value, '\t');
	if (end)
		*end = '\0'; /* more columns (VADER's ratings) are ignored */
	double v;
	if (parse_number(value, &v) != 0 || v < -4 || v > 4) {
		*why = "valence must be a number from -4 to 4";
		return -1;
	}
	if (!*line) {
		*why = "empty term";
		return -1;
	}
	xo_buf_reset(tmp);
	lower_into(tmp, line, strlen(line), NULL);
	struct word *w = word_slot(lx, tmp->data, tmp->len);
	if (!(w->flags & W_VALENCE))
		lx->n_scored++;
	w->flags |= W_VALENCE;
	w->valence = v;
	int words = 1;
	for (const char *p = tmp->data; *p; p++)
		words += *p == ' ';
	if (is_stem(tmp->data, tmp->len)) {
		if (tmp->len - 1 < MIN_STEM) {
			*why = "a stem (WORD*) needs at least 3 letters";
			return -1;
		}
		lx->has_stems = 1;
	}
	if (words > lx->max_phrase)
		lx->max_phrase = words;
	return 0;
}

static void free_word(void *w)
{
	free(w);
}

struct xo_lexicon *xo_lexicon_load(const char *path, struct xo_buf *err)
{
	struct xo_cfgfile file;
	if (xo_cfgfile_open(&file, path, err) != 0)
		return NULL;
	struct xo_lexicon *lx = xo_calloc(1, sizeof *lx);
	xo_strmap_init(&lx->words);
	lx->max_phrase = 1;
	struct xo_buf tmp = XO_BUF_INIT;
	const char *why = NULL;
	char *line;
	while (!why && (line = xo_cfgfile_next(&file, &why))) {
		int directive_line = line[0] == '@' &&
			((line[1] >= 'a' && line[1] <= 'z') || (line[1] >= 'A' && line[1] <= 'Z'));
		if (directive_line)
			directive(lx, line, &tmp, &why);
		else
			term_line(lx, line, &tmp, &why);
	}
	long at = file.in.line;
	if (!why && !lx->lang[0]) {
		why = "no @lang line";
		at = 0;
	}
	if (why)
		xo_buf_printf(err, "%s:%ld: %s", file.in.name, at, why);
	xo_cfgfile_close(&file);
	xo_buf_free(&tmp);
	if (why) {
		xo_lexicon_free(lx);
		return NULL;
	}
	return lx;
}

const char *xo_lexicon_lang(const struct xo_lexicon *lx)
{
	return lx->lang;
}

size_t xo_lexicon_size(const struct xo_lexicon *lx)
{
	return lx->n_scored;
}

void xo_lexicon_free(struct xo_lexicon *lx)
{
	if (!lx)
		return;
	xo_strmap_free(&lx->words, free_word);
	for (size_t i = 0; i < lx->n_neg_suffixes; i++)
		free(lx->neg_suffixes[i]);
	free(lx->neg_suffixes);
	xo_buf_free(&lx->lower);
	xo_buf_free(&lx->phrase);
	free(lx->tokens);
	free(lx->vals);
	free(lx);
}

/* --- tokens -------------------------------------------------------- */

/* Bytes of a punctuation mark at s (quotes, dashes, ellipsis, inverted
 * marks), 0 when s does not start one. */
static size_t punct_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return !(s[0] >= 'a' && s[0] <= 'z') && !(s[0] >= 'A' && s[0] <= 'Z') &&
		       !(s[0] >= '0' && s[0] <= '9') && s[0] != '\'' && s[0] != '-';
	if (n >= 2 && s[0] == 0xC2 && (s[1] == 0xAB || s[1] == 0xBB || s[1] == 0xA1 ||
				       s[1] == 0xBF || s[1] == 0xA0))
		return 2;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	    (s[2] == 0x9C || s[2] == 0x9D || s[2] == 0xA6 || s[2] == 0x93 || s[2] == 0x94))
		return 3;
	return 0;
}

static int is_apostrophe(const unsigned char *s, size_t n, size_t *len)
{
	if (s[0] == '\'') {
		*len = 1;
		return 1;
	}
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x98 || s[2] == 0x99)) {
		*len = 3;
		return 1;
	}
	return 0;
}

/* Append s lower-cased (ASCII and Latin-1 letters), curly apostrophes
 * made straight. *caps (when not NULL) says whether it held upper-case
 * letters and no lower-case ones. */
static void lower_into(struct xo_buf *out, const char *str, size_t len, int *caps)
{
	const unsigned char *s = (const unsigned char *)str;
	int upper = 0, lower = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		size_t alen;
		if (c >= 'A' && c <= 'Z') {
			upper++;
			xo_buf_addc(out, (char)(c + 32));
		} else if (c >= 'a' && c <= 'z') {
			lower++;
			xo_buf_addc(out, (char)c);
		} else if (c == 0xC3 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0xBF) {
			unsigned char d = s[++i];
			if (d <= 0x9E && d != 0x97) {
				upper++;
				d += 0x20;
			} else if (d >= 0x9F) {
				lower++;
			}
			xo_buf_addc(out, (char)c);
			xo_buf_addc(out, (char)d);
		} else if (is_apostrophe(s + i, len - i, &alen)) {
			xo_buf_addc(out, '\'');
			i += alen - 1;
		} else {
			xo_buf_addc(out, (char)c);
		}
	}
	if (caps)
		*caps = upper >= 2 && lower == 0;
}

/* An exact entry, else the longest stem entry ("ottim*") that the word
 * starts with. */
static const struct word *lookup(const struct xo_lexicon *lx, const char *s, size_t len)
{
	const struct word *w = xo_strmap_get(&lx->words, s, len);
	if (w || !lx->has_stems || len < MIN_STEM || memchr(s, ' ', len))
		return w; /* phrases are matched whole, never by stem */
	char key[64];
	for (size_t k = len < sizeof key - 1 ? len : sizeof key - 1; k >= MIN_STEM; k--) {
		memcpy(key, s, k);
		key[k] = '*';
		if ((w = xo_strmap_get(&lx->words, key, k + 1)))
			return w;
	}
	return NULL;
}

static void add_token(struct xo_lexicon *lx, const char *s, size_t len, int caps)
{
	lx->tokens = xo_grow(lx->tokens, &lx->cap_tokens, lx->n_tokens + 1, sizeof *lx->tokens);
	struct token *t = &lx->tokens[lx->n_tokens++];
	t->off = lx->lower.len;
	lower_into(&lx->lower, s, len, &caps);
	t->len = lx->lower.len - t->off;
	xo_buf_addc(&lx->lower, '\0');
	t->caps = caps;
	t->sentence_end = 0;
	t->clause_end = 0;
}

static void end_sentence(struct xo_lexicon *lx)
{
	if (lx->n_tokens)
		lx->tokens[lx->n_tokens - 1].sentence_end = 1;
}

/* A word inside a blank-separated chunk: letters, digits, non-ASCII
 * letters, and apostrophes or hyphens between them. */
static void split_words(struct xo_lexicon *lx, const char *chunk, size_t n)
{
	const unsigned char *s = (const unsigned char *)chunk;
	size_t i = 0;
	while (i < n) {
		size_t p = punct_len(s + i, n - i);
		if (p) {
			char c = (char)s[i];
			if (c == '!')
				lx->exclaims++;
			if (c == '?')
				lx->questions++;
			if (c == '.' || c == '!' || c == '?' || c == ';' ||
			    (p == 3 && s[i + 2] == 0xA6))
				end_sentence(lx);
			else if ((c == ',' || c == ':' || c == '(' || c == ')' || p == 3) &&
				 lx->n_tokens)
				lx->tokens[lx->n_tokens - 1].clause_end = 1;
			i += p;
			continue;
		}
		size_t start = i, alen;
		while (i < n && !punct_len(s + i, n - i)) {
			if (lx->elision && is_apostrophe(s + i, n - i, &alen) && i > start) {
				i += alen; /* "dell'" ends here */
				break;
			}
			i++;
		}
		/* Strip apostrophes and hyphens at the edges. */
		size_t end = i;
		while (start < end && (s[start] == '\'' || s[start] == '-'))
			start++;
		while (end > start && s[end - 1] == '-')
			end--;
		if (end > start)
			add_token(lx, chunk + start, end - start, 0);
	}
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void tokenize(struct xo_lexicon *lx, const char *text, size_t len)
{
	xo_buf_reset(&lx->lower);
	lx->n_tokens = 0;
	lx->exclaims = lx->questions = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && is_blank((unsigned char)text[i]))
			i++;
		size_t start = i;
		while (i < len && !is_blank((unsigned char)text[i]))
			i++;
		if (i == start)
			break;
		/* A chunk that is a lexicon entry as it stands (":)", "<3")
		 * is kept whole; anything else is split into words. */
		size_t mark = lx->lower.len;
		lower_into(&lx->lower, text + start, i - start, NULL);
		const struct word *w = lookup(lx, lx->lower.data + mark, lx->lower.len - mark);
		lx->lower.len = mark;
		lx->lower.data[mark] = '\0';
		int has_alnum = 0;
		for (size_t k = start; k < i; k++)
			has_alnum |= !punct_len((const unsigned char *)text + k, i - k);
		if (w && (w->flags & W_VALENCE) && !has_alnum)
			add_token(lx, text + start, i - start, 0);
		else
			split_words(lx, text + start, i - start);
	}
	end_sentence(lx);
}

/* --- scoring ------------------------------------------------------- */

static const char *tok(const struct xo_lexicon *lx, size_t i)
{
	return lx->lower.data + lx->tokens[i].off;
}

static int negates(const struct xo_lexicon *lx, size_t i, const struct word *w)
{
	if (w && (w->flags & W_NEGATOR))
		return 1;
	const struct token *t = &lx->tokens[i];
	for (size_t k = 0; k < lx->n_neg_suffixes; k++) {
		size_t sl = strlen(lx->neg_suffixes[k]);
		if (t->len > sl && memcmp(tok(lx, i) + t->len - sl, lx->neg_suffixes[k], sl) == 0)
			return 1;
	}
	return 0;
}

/* The longest lexicon phrase starting at token i within [i, end); its
 * word count in *span. */
static const struct word *match(struct xo_lexicon *lx, size_t i, size_t end, size_t *span)
{
	for (size_t k = (size_t)lx->max_phrase; k >= 2; k--) {
		if (i + k > end)
			continue;
		xo_buf_reset(&lx->phrase);
		for (size_t j = i; j < i + k; j++) {
			if (j > i)
				xo_buf_addc(&lx->phrase, ' ');
			xo_buf_add(&lx->phrase, tok(lx, j), lx->tokens[j].len);
		}
		const struct word *w = lookup(lx, lx->phrase.data, lx->phrase.len);
		if (w && (w->flags & W_VALENCE)) {
			*span = k;
			return w;
		}
	}
	*span = 1;
	return lookup(lx, tok(lx, i), lx->tokens[i].len);
}

static double sign(double v)
{
	return v < 0 ? -1 : 1;
}

/* Valences of the words of sentence [from, to) into lx->vals; their sum
 * after the contrast rule. */
static double score_sentence(struct xo_lexicon *lx, size_t from, size_t to, int caps_differ,
			     unsigned *hits)
{
	static const double distance_scale[WINDOW] = { 1.0, 0.95, 0.9 };
	size_t contrast = to;
	for (size_t i = from; i < to; i++)
		lx->vals[i] = 0;
	for (size_t i = from; i < to;) {
		size_t span;
		const struct word *w = match(lx, i, to, &span);
		if (w && (w->flags & W_CONTRAST) && contrast == to)
			contrast = i;
		if (!w || !(w->flags & W_VALENCE) || (span == 1 && (w->flags & W_BOOSTER))) {
			i += span;
			continue;
		}
		double v = w->valence;
		if (caps_differ && lx->tokens[i].caps)
			v += sign(v) * CAPS_BOOST;
		/* A phrase that starts with a negator ("nunca más") carries
		 * its own negation. */
		int negated = span > 1 && negates(lx, i, lookup(lx, tok(lx, i), lx->tokens[i].len));
		for (size_t d = 1; d <= WINDOW && i >= from + d; d++) {
			size_t j = i - d;
			if (lx->tokens[j].clause_end)
				break; /* "nada, nunca": no reach across a comma */
			const struct word *prev = lookup(lx, tok(lx, j), lx->tokens[j].len);
			if (prev && (prev->flags & W_BOOSTER)) {
				double s = prev->boost * sign(v);
				if (caps_differ && lx->tokens[j].caps)
					s += sign(v) * CAPS_BOOST;
				v += s * distance_scale[d - 1];
			}
			/* "non ... mai", "no ... nunca": one negation, not two. */
			if (!negated && negates(lx, j, prev)) {
				v *= NEGATION_SCALE;
				negated = 1;
			}
		}
		lx->vals[i] = v;
		(*hits)++;
		i += span;
	}
	double sum = 0;
	for (size_t i = from; i < to; i++) {
		double v = lx->vals[i];
		if (contrast < to)
			v *= i < contrast ? 0.5 : i > contrast ? 1.5 : 1;
		sum += v;
	}
	return sum;
}

void xo_sentiment_score(struct xo_lexicon *lx, const char *text, size_t len,
			struct xo_sentiment *out)
{
	tokenize(lx, text, len);
	lx->vals = xo_grow(lx->vals, &lx->cap_vals, lx->n_tokens + 1, sizeof *lx->vals);
	size_t caps = 0, words = 0;
	for (size_t i = 0; i < lx->n_tokens; i++) {
		words++;
		caps += lx->tokens[i].caps;
	}
	int caps_differ = caps > 0 && caps < words;
	double sum = 0;
	unsigned hits = 0;
	for (size_t from = 0; from < lx->n_tokens;) {
		size_t to = from;
		while (to < lx->n_tokens && !lx->tokens[to].sentence_end)
			to++;
		to++; /* the sentence's last word */
		sum += score_sentence(lx, from, to, caps_differ, &hits);
		from = to;
	}
	if (sum != 0) {
		double amp = (lx->exclaims > 4 ? 4 : lx->exclaims) * EXCLAIM_BOOST;
		if (lx->questions > 1)
			amp += lx->questions <= 3 ? lx->questions * QUESTION_BOOST : 0.96;
		sum += sign(sum) * amp;
	}
	out->sum = sum;
	out->score = sum / sqrt(sum * sum + NORM_ALPHA);
	out->hits = hits;
	out->label = out->score >= XO_SENTIMENT_THRESHOLD ? XO_POSITIVE :
		     out->score <= -XO_SENTIMENT_THRESHOLD ? XO_NEGATIVE : XO_NEUTRAL;
}

struct xo_lexicon *xo_lexicon_detect(struct xo_lexicon *const *lx, size_t n,
				     const char *text, size_t len)
{
	struct xo_lexicon *best = NULL;
	size_t best_hits = 0;
	for (size_t k = 0; k < n; k++) {
		tokenize(lx[k], text, len);
		/* Common words count 2, scored words 1: the common words
		 * decide, the scored ones break ties and help short texts. */
		size_t hits = 0;
		for (size_t i = 0; i < lx[k]->n_tokens; i++) {
			const struct word *w = lookup(lx[k], tok(lx[k], i), lx[k]->tokens[i].len);
			if (w)
				hits += (w->flags & W_STOPWORD) ? 2 : (w->flags & W_VALENCE) ? 1 : 0;
		}
		if (hits > best_hits) {
			best = lx[k];
			best_hits = hits;
		}
	}
	return best;
}

const char *xo_polarity_name(enum xo_polarity p)
{
	return p == XO_POSITIVE ? "positive" : p == XO_NEGATIVE ? "negative" : "neutral";
}
