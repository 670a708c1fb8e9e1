/* evcore: the few parts of an event that identity resolution reads on
 * every line ("ts", "id", the identifiers under "ids"), read in place by
 * jscan.h without building a tree. jansson parses the line as well when
 * the caller wants the object, or when the event already has an "xid"
 * (it is then rewritten, not copied): such lines must satisfy jansson
 * too (no repeated keys, numbers in range), or they are rejected.
 * Repeated top-level keys are otherwise read as jscan reads them: the
 * last one counts.
 *
 * A struct xo_evcore is reused from line to line: it owns its buffers
 * and, when parsed, the object.
 */
#ifndef XO_EVCORE_H
#define XO_EVCORE_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "jscan.h"
#include "xtime.h"

#define XO_EVCORE_MEMBERS 64

struct xo_evid {
	const char *kind;   /* not NUL-terminated; points into the line or obj */
	size_t kind_len;
	const char *value;  /* NUL-terminated, decoded; owned by the evcore */
	size_t value_len;
};

struct xo_evcore {
	json_t *obj;          /* the parsed event, when parsed (owned) */
	struct xo_jmembers m; /* the top-level members (owned) */
	xo_time_t ts;
	const char *id;       /* NUL-terminated, owned */
	size_t id_len;
	int has_xid;          /* the event already carries "xid" */
	struct xo_evid *ids;  /* identifiers with a non-empty string or number value */
	size_t n_ids, cap_ids;
	struct xo_buf text;   /* decoded strings, NUL-separated */
	size_t *offsets;      /* where each id value starts in text */
	size_t cap_offsets;
};

void xo_evcore_init(struct xo_evcore *e);
void xo_evcore_free(struct xo_evcore *e);

/* Read an event from line[0..len). need_json: always parse with jansson
 * (e->obj is then set). 0 on success; -1 when the line cannot be used,
 * with the reason in why (not JSON, not an object, no valid "ts", no
 * "id", an identifier that is not a string or number, more than
 * XO_EVCORE_MEMBERS identifiers). */
int xo_evcore_read(struct xo_evcore *e, const char *line, size_t len, int need_json,
		   struct xo_buf *why);

/* The event as a jansson object: the one parsed by xo_evcore_read, or
 * NULL when it did not parse (owned by e). */
static inline json_t *xo_evcore_json(const struct xo_evcore *e)
{
	return e->obj;
}

#endif
