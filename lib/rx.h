/* rx: PCRE2 regular expressions with limits, for patterns from users.
 *
 * Every match runs under a match limit and a depth limit, so a pattern
 * with catastrophic backtracking fails (XO_RX_LIMIT) instead of hanging.
 * Patterns are JIT-compiled unless XO_RX_NO_JIT is set in the
 * environment (for valgrind, which cannot follow JIT code).
 * Patterns are UTF-8 with Unicode properties. A struct xo_rx owns its
 * compiled code and match data; xo_rx_free() releases both.
 */
#ifndef XO_RX_H
#define XO_RX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "buf.h"

#define XO_RX_MATCH_LIMIT 1000000u
#define XO_RX_DEPTH_LIMIT 10000u

struct xo_rx {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *source;
};

enum xo_rx_result {
	XO_RX_NOMATCH = 0,
	XO_RX_MATCH = 1,
	XO_RX_LIMIT = -1, /* the match or depth limit was hit */
	XO_RX_ERROR = -2, /* anything else (bad UTF-8 in the subject, ...) */
};

/* Compile pattern with extra PCRE2 option bits (such as PCRE2_CASELESS). NULL
 * on error with a message "column N: reason" in err. */
struct xo_rx *xo_rx_compile(const char *pattern, unsigned options, struct xo_buf *err);
enum xo_rx_result xo_rx_match(struct xo_rx *rx, const char *s, size_t len);
/* Match from byte offset start of s (lookbehind and ^ still see the
 * whole subject), for finding every match in turn. */
enum xo_rx_result xo_rx_match_at(struct xo_rx *rx, const char *s, size_t len, size_t start);
/* Offsets of group n of the last match: 0 with start and end set, or -1
 * when the group did not take part. */
int xo_rx_group(const struct xo_rx *rx, unsigned n, size_t *start, size_t *end);
/* The number of capture groups. */
unsigned xo_rx_groups(const struct xo_rx *rx);
/* Name table iteration: the i-th named group, its number in *n. */
unsigned xo_rx_name_count(const struct xo_rx *rx);
const char *xo_rx_name(const struct xo_rx *rx, unsigned i, unsigned *n);
/* Text of a result, for messages. */
const char *xo_rx_result_text(enum xo_rx_result r);
void xo_rx_free(struct xo_rx *rx);

#endif
