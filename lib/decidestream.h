/* decidestream: xo-decide's main loop over a stream of records.
 *
 * Records are read in batches of up to batch records; each batch is
 * decided inside one state transaction (xo_dstate_begin/commit), and its
 * output lines are written to standard output only after the commit, so
 * a decision is never announced unless its contact or review is
 * recorded. The state's checkpoints are put off until a batch's output
 * is out (xo_dstate_idle). Records without an "xid" string go to the
 * reject stream at once, in input order. The time of each batch is
 * *as_of, or now when as_of is NULL. With batch 1 (--unbuffered) each
 * record is answered as soon as it is read.
 *
 * Everything passed in is borrowed.
 */
#ifndef XO_DECIDESTREAM_H
#define XO_DECIDESTREAM_H

#include <stdint.h>

#include "decide.h"
#include "decidestate.h"
#include "join.h"
#include "records.h"
#include "rejects.h"

/* Returns the number of records rejected here (not JSON ones are
 * counted by the records reader). */
uint64_t xo_decide_stream(struct xo_decider *d, struct xo_dstate *state, struct xo_records *r,
			  const struct xo_join *join, struct xo_rejects *rejects, long batch,
			  const xo_time_t *as_of);

#endif
