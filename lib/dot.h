/* dot: Graphviz DOT text, for maps that `dot -Tsvg` draws.
 *
 * Strings are written as DOT quoted strings (quotes and backslashes
 * escaped, line breaks as \n), so any label is safe. Edge widths scale
 * with volume from 1 to 10 points. Node colours come from a fixed
 * palette by channel, so a channel keeps its colour across maps.
 */
#ifndef XO_DOT_H
#define XO_DOT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* "digraph NAME {" and the graph, node and edge defaults. */
void xo_dot_begin(struct xo_buf *out, const char *name, const char *title);
void xo_dot_end(struct xo_buf *out);
/* s as a quoted DOT string. */
void xo_dot_string(struct xo_buf *out, const char *s, size_t len);
/* Pen width for count out of max: 1 to 10, one decimal. */
double xo_dot_penwidth(uint64_t count, uint64_t max);
/* A fill colour ("#rrggbb") for the channel part of a node name (up to
 * the first ':'). */
const char *xo_dot_colour(const char *node, size_t len);

#endif
