/* textscore: the text analysis of xo-score: for each record's text, its
 * language, sentiment and topics, added to the record as
 *   "sentiment": {"score": -0.62, "label": "negative", "lang": "it", "hits": 2},
 *   "topics": ["waiting_time", "staff"]
 *
 * The language is, in order: the forced one (--lang), the record's
 * language field when it names a loaded lexicon, the lexicon whose
 * common words occur most in the text, the default language.
 *
 * The struct owns its lexicons, topics and paths; xo_textscore_free()
 * releases them.
 */
#ifndef XO_TEXTSCORE_H
#define XO_TEXTSCORE_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "jpath.h"
#include "sentiment.h"
#include "topics.h"

/* The lexicons loaded when none is named. */
#define XO_DEFAULT_LANGS "en,it,es"

struct xo_textscore_opts {
	const char *const *lexicons; /* files; NULL: XO_DEFAULT_LANGS from the data dir */
	int n_lexicons;
	const char *lang;            /* force this language, or NULL */
	const char *default_lang;    /* when detection finds nothing; NULL: the first */
	const char *text_field;      /* path of the text; NULL: "text" */
	const char *lang_field;      /* path of a language code, or NULL */
	const char *topics;          /* topic file; NULL: the default one */
	int no_topics;
	int digits;                  /* of the score */
};

struct xo_textscore {
	struct xo_lexicon **lex;
	size_t n_lex;
	struct xo_lexicon *forced, *fallback;
	struct xo_path *text_path, *lang_path;
	struct xo_topics *topics;
	unsigned char *hit;
	int digits;
	uint64_t texts, detected, by_field, by_default;
	uint64_t per_label[3];
};

/* 0, or -1 with the reason in err (a file that cannot be read or
 * parsed, an unknown language). */
int xo_textscore_open(struct xo_textscore *ts, const struct xo_textscore_opts *o,
		      struct xo_buf *err);

/* The lexicon for a text, following the order above; lang_hint may be NULL. */
struct xo_lexicon *xo_textscore_lexicon(struct xo_textscore *ts, const char *text,
					size_t len, const char *lang_hint);

/* Add "sentiment" and "topics" to rec. 1 when it had text, 0 when not
 * (rec unchanged), -1 when the text field is not a string (why set).
 * Topic match-limit failures are appended to warn. */
int xo_textscore_annotate(struct xo_textscore *ts, json_t *rec, struct xo_buf *why,
			  struct xo_buf *warn);

void xo_textscore_free(struct xo_textscore *ts);

#endif
