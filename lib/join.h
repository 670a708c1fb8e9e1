/* join: records kept by xid in memory, and the document xo-decide
 * evaluates for an input record.
 *
 * --context FILE holds journey or score records (or any record with an
 * "xid"); each input record is then one live event, and the document
 * is a copy of its customer's stored record with the event under
 * "event" and appended to "steps" as a step (ts, channel, type, token),
 * so count_steps() sees it. Without --context the input record itself
 * is the document. --profiles FILE adds the customer's golden profile
 * under "profile" either way.
 *
 * A struct xo_join owns its tables (json objects keyed by xid).
 */
#ifndef XO_JOIN_H
#define XO_JOIN_H

#include <jansson.h>

#include "rejects.h"

struct xo_join {
	json_t *context;   /* NULL without --context */
	json_t *profiles;  /* NULL without --profiles */
};

/* Load NDJSON records keyed by their "xid" into *table (created when
 * NULL); a later record for the same xid replaces the earlier one.
 * Records without an xid go to rejects. Dies when path is unreadable. */
void xo_join_load(json_t **table, const char *path, struct xo_rejects *rejects);
/* The document for rec; rec is consumed, a new reference returned. */
json_t *xo_join_document(const struct xo_join *j, json_t *rec);
/* A stored record (context first, then profile) for the what-if shell;
 * a new reference, or NULL. */
json_t *xo_join_lookup(const struct xo_join *j, const char *xid);
void xo_join_free(struct xo_join *j);

#endif
