/* jskip: a few top-level members of a JSON object line, found without
 * building the object.
 *
 * For readers that need two members of records holding hundreds (the
 * probability of a scored journey, the decisions of a decision line with
 * its trace): the line is checked whole, as jansson would (RFC 8259
 * grammar, strings of valid UTF-8 without control characters or lone
 * surrogates, nesting at most 2048 deep), but only the spans of the
 * members asked for are kept; the caller parses those small values.
 * Nothing is allocated; spans point into the caller's line.
 */
#ifndef XO_JSKIP_H
#define XO_JSKIP_H

#include <stddef.h>

struct xo_jspan {
	size_t off, len; /* the member's value text in the line; len 0: absent */
};

/* 0 when line[0..len) (blanks around allowed) is one JSON object, with
 * spans[i] the value of its member names[i] (a name written twice is an
 * error); -1 otherwise, with a static reason in *why and the 1-based
 * byte column in *column. */
int xo_jskip_members(const char *line, size_t len, const char *const *names, size_t n,
		     struct xo_jspan *spans, const char **why, size_t *column);

#endif
