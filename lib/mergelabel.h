/* mergelabel: the label step of a split xo-merge run (xo-merge --label).
 *
 * Each event of a part gets the xid the join step gave its customer,
 * looked up in the join's identifier map (xidmap.h): the first of its
 * identifiers, normalized, that the map holds (the one it was linked
 * through), else the event itself (an event linked through none). The
 * event is written as xo-merge writes it (evxid.h), so the label steps'
 * outputs put together in part order are a single run's output. An
 * event that the map knows nothing of was not in the join: the step
 * stops, since the map and the events do not belong together.
 */
#ifndef XO_MERGELABEL_H
#define XO_MERGELABEL_H

#include "shard.h"

struct xo_label_opts {
	const char *map;       /* the join's --map file */
	struct xo_shard part;  /* --part; count 0: all of the inputs */
	struct xo_shard shard; /* --shard: only the events of these customers */
	int key;               /* write "XID<TAB>" before each event */
	const char *rejects;   /* --rejects, or NULL */
};

/* Label inputs[0..n) (none: standard input) to standard output. Returns
 * XO_EXIT_OK, or XO_EXIT_REJECTS when events were rejected; fatal
 * errors end the process. */
int xo_label_run(const struct xo_label_opts *o, char **inputs, int n);

#endif
