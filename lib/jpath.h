/* jpath: field paths into JSON records, as users write them on command
 * lines and in rules: "ts", "cx.nps", "attrs.region", "ids.email",
 * "attrs[\"Order ID\"]", "steps[0].type", "steps[-1]" (from the end).
 *
 * A compiled path owns its segments; xo_path_free() releases it.
 */
#ifndef XO_JPATH_H
#define XO_JPATH_H

#include <jansson.h>

#include "buf.h"

struct xo_path;

/* NULL on a syntax error, with the reason in err. */
struct xo_path *xo_path_compile(const char *text, struct xo_buf *err);
/* The value at the path (a borrowed reference), or NULL when absent. */
json_t *xo_path_get(const struct xo_path *p, const json_t *root);
/* Set the value at the path, creating objects on the way; steals value.
 * 0, or -1 when the path crosses a non-object or an array. */
int xo_path_set(const struct xo_path *p, json_t *root, json_t *value);
/* Remove the value at the path; 0 when removed. */
int xo_path_del(const struct xo_path *p, json_t *root);
const char *xo_path_text(const struct xo_path *p);
/* Its segments, for readers that walk JSON without jansson: the number
 * of segments, and segment i's key (NULL for an index, then in *index). */
size_t xo_path_length(const struct xo_path *p);
const char *xo_path_key(const struct xo_path *p, size_t i, long *index);
void xo_path_free(struct xo_path *p);

/* Convenience for one-off lookups of a dotted path; NULL when absent. */
json_t *xo_path_lookup(const json_t *root, const char *dotted);

/* A value as text for grouping, keys and messages: strings as they are,
 * numbers and booleans in JSON form, null and absent as "". The result
 * is appended to out. */
void xo_json_text(struct xo_buf *out, const json_t *value);

#endif
