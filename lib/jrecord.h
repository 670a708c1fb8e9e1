/* jrecord: journey records written out, as xo-journey(5) describes
 * them: NDJSON records for the next stage, or a TSV line of context
 * figures per customer for spreadsheets.
 */
#ifndef XO_JRECORD_H
#define XO_JRECORD_H

#include "buf.h"
#include "journey.h"
#include "jsonw.h"

/* A journey record appended to out, without the newline. more, when not
 * NULL, adds members at the end (such as "matches"). */
void xo_jrecord_json(const struct xo_journey *j, const struct xo_jbuilder *b,
		     struct xo_buf *out, void (*more)(struct xo_jw *w, void *ctx),
		     void *ctx);
/* The TSV header line, and one customer's line, newline included. */
void xo_jrecord_tsv_header(struct xo_buf *out);
void xo_jrecord_tsv(const struct xo_journey *j, const struct xo_jbuilder *b,
		    struct xo_buf *out);

#endif
