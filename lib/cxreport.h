/* cxreport: NPS/CSAT/CES by groups of fields and calendar periods, the
 * report of `xo-score metrics`.
 *
 * Groups are the distinct combinations of the values of the --by paths
 * (an absent field is a group of its own, shown as null) and, with a
 * period, of the bucket of the event's "ts". Rows come out sorted by
 * group values (bytes, absent first) and then by period.
 */
#ifndef XO_CXREPORT_H
#define XO_CXREPORT_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "cxmetrics.h"
#include "jpath.h"
#include "period.h"
#include "strmap.h"
#include "u64map.h"

enum xo_report_format { XO_FORMAT_NDJSON, XO_FORMAT_TSV };

struct xo_cxreport {
	struct xo_path **by;       /* owned, n_by of them */
	int n_by;
	enum xo_period period;
	const struct xo_tz *tz;    /* period boundaries; not owned */
	enum xo_ces_scale scale;
	int digits;
	uint64_t min_n;            /* rows with fewer responses are left out */
	struct xo_strmap groups;   /* key -> struct group */
	struct xo_buf key;         /* scratch */
	struct xo_u64map seen;     /* events counted, by id, ts and source */
	uint64_t responses, no_cx;
	uint64_t repeats;          /* responses seen before, not counted again */
};

/* by: comma-separated paths (NULL for none). 0, or -1 with err set. */
int xo_cxreport_init(struct xo_cxreport *r, const char *by, struct xo_buf *err);
/* Count one event. 1 when it held a response, 0 when none (or when the
 * same event, by id, ts and source, was counted before: an export read
 * twice must not count twice), -1 when it must be rejected (reason
 * appended to why). */
int xo_cxreport_add(struct xo_cxreport *r, const json_t *event, struct xo_buf *why);
/* Write every row to standard output; returns the number of rows. */
uint64_t xo_cxreport_write(struct xo_cxreport *r, enum xo_report_format fmt);
void xo_cxreport_free(struct xo_cxreport *r);

/* Compile a comma-separated list of paths into a new array (*n set);
 * NULL with err set on a bad path. */
struct xo_path **xo_paths_compile(const char *list, int *n, struct xo_buf *err);
void xo_paths_free(struct xo_path **paths, int n);

#endif
