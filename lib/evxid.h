/* evxid: an event line with its customer's xid added, as xo-merge
 * writes it (xo-merge(1)): an event without "xid" keeps its bytes and
 * gets "xid" as its last member, before its closing brace; one that has
 * an "xid" already is written again from its parsed form with the xid
 * replaced where it was (the caller does that with jansson).
 */
#ifndef XO_EVXID_H
#define XO_EVXID_H

#include <stddef.h>

#include "xidassign.h"

#define XO_EVXID_TAIL (XO_XID_LEN + 16)

/* For line[0..len), checked as an event without "xid" (evcore.h: an
 * object whose last byte that is not blank is its closing brace): the
 * number of its bytes to write first (*keep), then tail[0..returned
 * length), which ends the event and the line ("\n"). */
size_t xo_evxid_tail(const char *line, size_t len, const char xid[XO_XID_LEN + 1],
		     char tail[XO_EVXID_TAIL], size_t *keep);

/* For an object's text line[0..len) (its last byte that is not blank
 * its closing brace): the offset of that brace, and in *empty whether
 * the object has no member, for adding one at its end. */
size_t xo_evxid_close(const char *line, size_t len, int *empty);

#endif
