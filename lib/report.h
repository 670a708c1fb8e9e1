/* report: the HTML page of a run (rundata.h), one self-contained file.
 *
 * The page has no scripts and loads nothing: its Content-Security-Policy
 * forbids both, its style sheet is inline, every chart is inline SVG
 * (svg.h) and the journey map is Graphviz's SVG filtered and inlined
 * (graphviz.h). Sections, in order, each with an id to link to:
 *   summary    headline figures
 *   metrics    NPS, CSAT and CES trends with their margins of error
 *   journeys   the journey map, top paths and funnels
 *   drivers    the ranked drivers of each outcome
 *   risk       the churn-risk distribution, the customers most at risk,
 *              and the model's calibration
 *   decisions  decisions by action, channel, route and status; the
 *              review queue
 *   rejects    rejected records per source
 *   inputs     the files read, with their records and problems
 * Chart ids are listed in xo-report(1). A section without input says
 * "No data" and why; nothing is left out silently.
 */
#ifndef XO_REPORT_H
#define XO_REPORT_H

#include "buf.h"
#include "rundata.h"

struct xo_report_opts {
	const char *title;       /* data; escaped */
	const char *generated;   /* when, RFC 3339 */
	const char *version;     /* of xo, for the footer */
	const char *dot_program; /* "dot" */
	int dot_timeout_ms;
	size_t top;              /* rows of top lists (paths, drivers, customers) */
	double high_risk;        /* as in xo_run_opts */
	const char *risk_field;
};

/* What went wrong while drawing, for the exit status and stderr. */
struct xo_report_status {
	int dot_missing;         /* dot is not installed: the page says so */
	int dot_failed;          /* dot failed on a map: the page says why */
};

void xo_report_html(struct xo_buf *out, const struct xo_run *run, const struct xo_report_opts *o,
		    struct xo_report_status *st);

#endif
