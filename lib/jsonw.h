/* jsonw: JSON written straight into a buffer, without building a tree.
 *
 * For tools that write millions of records: the writer keeps track of
 * commas, so callers just say what comes next. Nesting is limited to 64
 * levels (xo records are shallow). The writer does not own the buffer.
 *
 *	struct xo_jw w;
 *	xo_jw_init(&w, &buf);
 *	xo_jw_obj(&w);
 *	xo_jw_key(&w, "xid"); xo_jw_str(&w, xid, len);
 *	xo_jw_end(&w);
 */
#ifndef XO_JSONW_H
#define XO_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct xo_jw {
	struct xo_buf *b;
	unsigned depth;
	uint64_t has_item;  /* bit d: the container at depth d has an item */
	int after_key;      /* a key was written; its value comes next */
	char closers[64];
};

void xo_jw_init(struct xo_jw *w, struct xo_buf *b);
void xo_jw_obj(struct xo_jw *w);
void xo_jw_arr(struct xo_jw *w);
/* Close the innermost object or array. */
void xo_jw_end(struct xo_jw *w);
void xo_jw_key(struct xo_jw *w, const char *key);
void xo_jw_keyn(struct xo_jw *w, const char *key, size_t len);
void xo_jw_str(struct xo_jw *w, const char *s, size_t len);
void xo_jw_strz(struct xo_jw *w, const char *s);
void xo_jw_int(struct xo_jw *w, int64_t v);
/* A number in its shortest form up to 15 significant digits; null when
 * not finite. */
void xo_jw_num(struct xo_jw *w, double v);
void xo_jw_bool(struct xo_jw *w, int v);
void xo_jw_null(struct xo_jw *w);
/* An instant as an RFC 3339 string (xtime). */
void xo_jw_time(struct xo_jw *w, int64_t usec);
/* A value that is already JSON text. */
void xo_jw_raw(struct xo_jw *w, const char *json, size_t len);
/* The members of a JSON object text ("{...}") spliced into the object
 * being written. */
void xo_jw_members(struct xo_jw *w, const char *obj, size_t len);

/* A number as xo_jw_num writes it, appended to b. */
void xo_num_text(struct xo_buf *b, double v);

/* x rounded to places decimals (for figures with a documented
 * precision). */
double xo_round_to(double x, int places);

#endif
