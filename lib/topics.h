/* topics: tagging text with topics from a topic file (xo-topics(5)):
 * lines "TOPIC<TAB>PCRE2 PATTERN", matched case-insensitively with
 * Unicode properties and the match limits of lib/rx.h. A topic may have
 * many lines; it is found when any of them matches.
 *
 * The struct owns its compiled patterns; xo_topics_free() releases them.
 */
#ifndef XO_TOPICS_H
#define XO_TOPICS_H

#include <stddef.h>

#include "buf.h"

struct xo_topics;

/* NULL with "FILE:LINE: reason" in err. */
struct xo_topics *xo_topics_load(const char *path, struct xo_buf *err);
/* The default topic file of the data directory (lib/datadir.h). */
#define XO_DEFAULT_TOPICS "topics/default.topics"
/* Load path, or the default topic file when path is NULL; NULL with the
 * reason (and the places looked in) in err. */
struct xo_topics *xo_topics_open(const char *path, struct xo_buf *err);
size_t xo_topics_count(const struct xo_topics *t);
const char *xo_topics_name(const struct xo_topics *t, size_t i);
/* Set hit[i] (0 or 1) for each topic; the number found. A pattern that
 * hits its match limit counts as no match and is reported in why
 * (appended; the caller warns). */
size_t xo_topics_match(struct xo_topics *t, const char *text, size_t len,
		       unsigned char *hit, struct xo_buf *why);
void xo_topics_free(struct xo_topics *t);

#endif
