/* idnorm: identifier values as xo-merge compares them, and the
 * placeholders that must never link two customers.
 *
 * Values arrive normalized by xo-ingest (xo-events(5)); normalizing
 * again with the same rules (ident.h) is cheap and makes hand-made or
 * foreign events safe. A value that does not have its kind's shape is
 * kept as it is, trimmed.
 *
 * Placeholders: a built-in list (xo-merge(1) lists it) and patterns
 * from --ignore files, one per line:
 *     unknown            this value, of any kind
 *     email:noreply@*    a glob (fnmatch(3)), for one kind
 *     *:n/a              any kind, spelled out
 * Blank lines and lines starting with '#' are skipped. Matching ignores
 * ASCII case.
 */
#ifndef XO_IDNORM_H
#define XO_IDNORM_H

#include <stddef.h>

#include "buf.h"

/* Normalize value[0..len) of kind into out (reset first). */
void xo_idnorm(const char *kind, const char *value, size_t len, struct xo_buf *out);

/* An identifier of an event as xo-merge takes it: its kind[0..kind_len)
 * into kind_out, NUL-terminated, and its value normalized into out.
 * 0, or -1 when it takes no part: a kind that is empty or starts with
 * '@' (xo's own), or a value that normalizes to nothing. */
int xo_idnorm_event(const char *kind, size_t kind_len, const char *value, size_t len,
		    struct xo_buf *kind_out, struct xo_buf *out);

struct xo_placeholders;

/* The built-in list only (builtin 1) or nothing (0: --no-builtin-ignore). */
struct xo_placeholders *xo_placeholders_new(int builtin);
/* Add the patterns of a file; on a bad line, die with XO_EXIT_USAGE naming
 * file and line; an unreadable file dies with XO_EXIT_INPUT. */
void xo_placeholders_load(struct xo_placeholders *p, const char *path);
/* Add one pattern in the file syntax; -1 with a reason in why when bad. */
int xo_placeholders_add(struct xo_placeholders *p, const char *line, struct xo_buf *why);
/* 1 when a normalized value of kind is a placeholder. */
int xo_placeholder(const struct xo_placeholders *p, const char *kind, const char *value,
		   size_t len);
void xo_placeholders_free(struct xo_placeholders *p);

#endif
