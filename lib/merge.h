/* merge: one run of xo-merge, from events in to events with "xid",
 * profiles, pairs and a report out (xo-merge(1) is the user's view).
 *
 * The run reads its inputs twice. The first pass interns every
 * identifier, joins the identifiers of each event and collects the
 * records for probabilistic linking; then the guards, the linking and
 * the xid assignment run on the whole graph; the second pass writes each
 * event with its xid and feeds the profiles. Inputs that cannot be read
 * twice (standard input, pipes) are copied to a temporary file during
 * the first pass.
 *
 * The join of a split run is the same run over link records
 * (mergelinks.h), which the link steps made from the events, part by
 * part: it gives the same xids, profiles, report and state as one run
 * over all the events, and the map with which the label steps
 * (mergelabel.h) then write the events with their xids.
 */
#ifndef XO_MERGE_H
#define XO_MERGE_H

#include <stddef.h>

#include "idnorm.h"
#include "linkspec.h"
#include "profile.h"
#include "pseudo.h"

struct xo_merge_opts {
	char **keys;             /* linking kinds; NULL: every kind */
	size_t n_keys;
	struct xo_placeholders *ignore; /* not owned */
	unsigned long max_degree;  /* 0: no limit */
	unsigned long max_cluster; /* 0: no limit */
	const struct xo_linkspec *spec; /* probabilistic linking, or NULL */
	const char *link_a;      /* --link A B: A (B is the one input) */
	const char *state;       /* state file, or NULL */
	int dry_run;             /* read the state, write nothing to it */
	char **splits;           /* --split: merge numbers or absorbed xids */
	size_t n_splits;
	const struct xo_traits *traits;
	/* Outputs: NULL not wanted, "-" standard output, else a file. */
	const char *events_out;
	const char *profiles_out;
	const char *pairs_out;
	const char *report;
	const char *rejects;
	const char *command;     /* the command line, for the state's history */
	/* --hash-ids: identifiers pseudonymized as they are read, so the
	 * graph, xids, state and every output hold pseudonyms only; NULL
	 * for none. Not owned. */
	const struct xo_pseudo *pseudo;
	/* Split runs (xo-merge(1), SPLIT RUNS): join reads the link records
	 * of xo_links_run() instead of events and writes no events; map_out
	 * (either way) is where the identifier -> xid map goes (xidmap.h). */
	int join;
	const char *map_out;
};

/* Run over inputs[0..n) (standard input when n is 0); returns the exit
 * status (XO_EXIT_OK or XO_EXIT_REJECTS). Fatal errors end the process
 * with their own status, the state left as it was. */
int xo_merge_run(const struct xo_merge_opts *o, char **inputs, int n);

#endif
