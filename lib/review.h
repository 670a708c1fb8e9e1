/* review: the people's side of xo-decide: the review queue (list,
 * inspect, approve, reject, change, export) and the what-if shell.
 *
 * Both shells run on GNU Readline when standard input is a terminal
 * (history, kept in $XO_HISTORY or ~/.xo_decide_history; tab completion
 * of commands, action names, review ids, xids and field paths), and
 * read plain lines otherwise, so they can be scripted. Commands are
 * described by "help" in each shell and in xo-decide(1). Shell output
 * goes to standard output. The shells call setlocale() for the
 * terminal's character set but keep LC_NUMERIC=C.
 */
#ifndef XO_REVIEW_H
#define XO_REVIEW_H

#include "decidestate.h"
#include "join.h"
#include "rules.h"

/* The review session. rules (may be NULL) checks action names given to
 * "change" and completes them; reviewer NULL: $USER. Returns an exit code. */
int xo_review_shell(struct xo_dstate *s, const struct xo_rules *rules, const char *reviewer);
/* Print the reviews with that status (NULL: all) as a table. */
int xo_review_list(struct xo_dstate *s, const char *status);
/* Approved and changed decisions as NDJSON on stdout: those not yet
 * exported (all: every one); mark: remember them as exported. */
int xo_review_export(struct xo_dstate *s, int all, int mark);

/* The what-if shell over rules_path, loading customers from join and
 * reading history from s (never writing it). as_of 0: now. */
int xo_whatif_shell(const char *rules_path, const struct xo_join *join, struct xo_dstate *s,
		    int top, xo_time_t as_of);

#endif
