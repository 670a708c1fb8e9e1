/* jscan: a fast, allocation-free reader of one JSON object per line, for
 * tools that need a few members of millions of events (xo-merge's
 * identifier pass) and cannot afford to build a jansson tree for each.
 *
 * It checks the whole text, but only answers "valid" when it is sure
 * that xo_ndjson_parse() would accept the line and mean the same thing.
 * Anything it is not sure of (deep nesting, numbers near the limits of
 * a long long or a double, more members than the caller's array holds,
 * escapes in keys, broken text of any kind) gives XO_JSCAN_UNSURE, and
 * the caller then hands the line to jansson, which decides and explains.
 * Spans point into the caller's text, which must outlive them.
 */
#ifndef XO_JSCAN_H
#define XO_JSCAN_H

#include <stddef.h>

#include "buf.h"

enum xo_jtype {
	XO_J_STRING = 's', /* p..p+len is inside the quotes, escapes undecoded */
	XO_J_NUMBER = 'n',
	XO_J_OBJECT = 'o', /* the braces included */
	XO_J_ARRAY = 'a',
	XO_J_TRUE = 't',
	XO_J_FALSE = 'f',
	XO_J_NULL = 'z',
};

struct xo_jspan {
	const char *p;
	size_t len;
	enum xo_jtype type;
	int escaped; /* a string holding backslash escapes */
};

struct xo_jmember {
	struct xo_jspan key; /* a string without escapes */
	struct xo_jspan val;
};

enum xo_jscan_result {
	XO_JSCAN_UNSURE = 0,
	XO_JSCAN_OK = 1,
};

/* Scan s[0..len) as one JSON object with at most max members, which are
 * put in m[0..*n) in their order. Blanks around the object are allowed.
 * The text must be valid UTF-8 (checked here). */
enum xo_jscan_result xo_jscan_object(const char *s, size_t len,
				     struct xo_jmember *m, size_t max, size_t *n);

/* The member named key among m[0..n), or NULL. */
const struct xo_jspan *xo_jscan_get(const struct xo_jmember *m, size_t n, const char *key);

/* Append the text of a string span to out, escapes decoded. Only for
 * spans from a scan that returned XO_JSCAN_OK (they are well formed). */
void xo_jscan_string(const struct xo_jspan *v, struct xo_buf *out);

#endif
