/* sentiment: lexicon-based sentiment of short texts (survey verbatims,
 * chat lines, reviews) in any language that has a lexicon file
 * (xo-lexicon(5)), and the choice of language by its common words.
 *
 * The scorer follows the rules of VADER (Hutto & Gilbert, ICWSM 2014):
 * each lexicon word carries a valence from -4 to +4; a booster or
 * dampener up to three words before it moves it by 0.293 (less with
 * distance); a negator up to three words before it multiplies it by
 * -0.74; a word in capitals among lower-case text gains 0.733; within
 * a sentence, words before a contrast word ("but") count half and words
 * after it one and a half; each '!' (up to 4) adds 0.292 in the text's
 * direction. The sum s becomes score = s / sqrt(s^2 + 15), in -1..1;
 * label positive at >= 0.05, negative at <= -0.05, else neutral.
 *
 * A lexicon owns all its memory; xo_lexicon_free() releases it.
 */
#ifndef XO_SENTIMENT_H
#define XO_SENTIMENT_H

#include <stddef.h>

#include "buf.h"

struct xo_lexicon;

/* Load a lexicon file. NULL with "FILE:LINE: reason" in err. */
struct xo_lexicon *xo_lexicon_load(const char *path, struct xo_buf *err);
/* Its language code ("en"), from its @lang line. */
const char *xo_lexicon_lang(const struct xo_lexicon *lx);
/* Number of scored words and phrases. */
size_t xo_lexicon_size(const struct xo_lexicon *lx);
void xo_lexicon_free(struct xo_lexicon *lx);

enum xo_polarity { XO_NEGATIVE = -1, XO_NEUTRAL = 0, XO_POSITIVE = 1 };

#define XO_SENTIMENT_THRESHOLD 0.05

struct xo_sentiment {
	double score;         /* -1..1 */
	double sum;           /* the valence sum before normalization */
	enum xo_polarity label;
	unsigned hits;        /* lexicon words and phrases found */
};

/* Score text[0..len) (UTF-8) with lx. Scratch space in the lexicon is
 * reused, so one lexicon must not score two texts at once. */
void xo_sentiment_score(struct xo_lexicon *lx, const char *text, size_t len,
			struct xo_sentiment *out);

/* The lexicon among lx[0..n) that knows text best: each word counts 2
 * when it is one of the lexicon's @stopword words, 1 when it is a scored
 * word; the highest total wins, ties go to the earlier lexicon, NULL when
 * no lexicon knows any word. */
struct xo_lexicon *xo_lexicon_detect(struct xo_lexicon *const *lx, size_t n,
				     const char *text, size_t len);

const char *xo_polarity_name(enum xo_polarity p);

#endif
