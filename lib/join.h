/* join: records kept by xid, and the document xo-decide evaluates for
 * an input record.
 *
 * --context FILE holds journey or score records (or any record with an
 * "xid"); each input record is then one live event, and the document
 * is a copy of its customer's stored record with the event under
 * "event" and appended to "steps" as a step (ts, channel, type, token),
 * so count_steps() sees it. Without --context the input record itself
 * is the document. --profiles FILE adds the customer's golden profile
 * under "profile" either way.
 *
 * A table keeps each record as its JSON text and builds the tree only
 * for the customer being decided: a million profiles take their size
 * in memory, not the tenfold of a tree each. A struct xo_join owns its
 * tables.
 */
#ifndef XO_JOIN_H
#define XO_JOIN_H

#include <jansson.h>

#include "buf.h"
#include "jscan.h"
#include "rejects.h"
#include "shard.h"

struct xo_jtable;

struct xo_join {
	struct xo_jtable *context;   /* NULL without --context */
	struct xo_jtable *profiles;  /* NULL without --profiles */
};

/* Load NDJSON records keyed by their "xid" into *table (created when
 * NULL); a later record for the same xid replaces the earlier one.
 * Records without an xid go to rejects. With shard (may be NULL) only
 * the customers of that shard are kept. Dies when path is unreadable. */
void xo_join_load(struct xo_jtable **table, const char *path, struct xo_rejects *rejects,
		  const struct xo_shard *shard);
/* The document for rec; rec is consumed, a new reference returned. */
json_t *xo_join_document(const struct xo_join *j, json_t *rec);
/* Without --context, the document of the record text[0..len) (an
 * object; ix its index) made as text, not as a tree: the record with
 * its customer's profile added as its last member "profile", in *out.
 * 1 when done; 0 when the record is the document as it is (no profile
 * for it, or no xid); -1 when only xo_join_document() can make it
 * (with --context, or a record with a "profile" of its own). */
int xo_join_text(const struct xo_join *j, const char *text, size_t len,
		 const struct xo_jindex *ix, struct xo_buf *out);
/* A stored record (context first, then profile) for the what-if shell;
 * a new reference, or NULL. */
json_t *xo_join_lookup(const struct xo_join *j, const char *xid);
/* fn(xid, arg) for each xid of the table, in the order first read. */
void xo_join_each_xid(const struct xo_jtable *t, void (*fn)(const char *xid, void *arg),
		      void *arg);
void xo_join_free(struct xo_join *j);

#endif
