/* pathstats: patterns across customers. Journeys are added one at a
 * time (so a streaming run stays streaming) and the report is written at
 * the end, as NDJSON, TSV or Graphviz DOT (xo-journey(5), REPORTS):
 *   paths        the most frequent paths through a unit (a whole
 *                journey, a session or an episode)
 *   transitions  counts of consecutive node pairs: the transition matrix
 *                and the journey map
 *   funnels      conversion through ordered steps within a window, and
 *                the median time between steps
 * Memory grows with the distinct paths or node pairs seen, and for
 * funnels with the customers who reached step 2 or beyond (the medians
 * are exact). Each struct owns its tables; names are borrowed from the
 * event store and must outlive it.
 */
#ifndef XO_PATHSTATS_H
#define XO_PATHSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "intern.h"
#include "journey.h"
#include "jpattern.h"

enum xo_node_by { XO_BY_TOKEN, XO_BY_CHANNEL, XO_BY_TYPE };
enum xo_unit { XO_UNIT_JOURNEY, XO_UNIT_SESSION, XO_UNIT_EPISODE };
enum xo_report_format { XO_FMT_NDJSON, XO_FMT_TSV, XO_FMT_DOT };

/* Pseudo-nodes; real nodes are numbers in the store's names (>= 1). */
#define XO_NODE_START 0u
#define XO_NODE_END UINT32_MAX
#define XO_NODE_MORE (UINT32_MAX - 1)

struct xo_pathstats_opts {
	enum xo_node_by by;
	enum xo_unit unit;
	size_t max_len;      /* paths: nodes kept, then "(more)"; 0: all */
	int collapse;        /* repeated consecutive nodes count once */
	size_t top;          /* rows written; 0: all */
	uint64_t min_count;  /* rows with a smaller count are left out */
};

struct xo_pathstats {
	struct xo_pathstats_opts o;
	const struct xo_intern *names;  /* not owned */
	struct xo_intern keys;          /* paths, or node pairs */
	uint64_t *counts;               /* by key number */
	size_t cap_counts;
	uint64_t units;                 /* journeys, sessions or episodes seen */
	uint32_t *path;                 /* scratch */
	size_t cap_path;
};

void xo_pathstats_init(struct xo_pathstats *s, const struct xo_pathstats_opts *o,
		       const struct xo_intern *names);
void xo_paths_add(struct xo_pathstats *s, const struct xo_journey *j);
void xo_paths_write(struct xo_pathstats *s, enum xo_report_format fmt, struct xo_buf *out);
void xo_transitions_add(struct xo_pathstats *s, const struct xo_journey *j);
void xo_transitions_write(struct xo_pathstats *s, enum xo_report_format fmt,
			  struct xo_buf *out);
void xo_pathstats_free(struct xo_pathstats *s);

struct xo_funnelstats {
	const struct xo_jfunnel *f;     /* not owned */
	const struct xo_intern *names;  /* not owned */
	uint64_t *masks;                /* by token: bit k matches step k; bit 63 known */
	size_t cap_masks;
	uint64_t reached[XO_FUNNEL_MAX_STEPS];
	xo_time_t *gaps[XO_FUNNEL_MAX_STEPS]; /* gaps[k]: time from step k-1 to k */
	size_t n_gaps[XO_FUNNEL_MAX_STEPS], cap_gaps[XO_FUNNEL_MAX_STEPS];
	uint64_t limits;
};

void xo_funnelstats_init(struct xo_funnelstats *s, const struct xo_jfunnel *f,
			 const struct xo_intern *names);
void xo_funnel_add(struct xo_funnelstats *s, const struct xo_journey *j);
void xo_funnel_write(struct xo_funnelstats *s, enum xo_report_format fmt, struct xo_buf *out);
void xo_funnelstats_free(struct xo_funnelstats *s);

#endif
