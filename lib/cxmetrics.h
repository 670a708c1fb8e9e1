/* cxmetrics: NPS, CSAT and CES from survey responses, with counts and
 * 95% margins of error, exactly as xo-score(1) documents them.
 *
 * Inputs are the "cx" object of events (xo-events(5)): nps 0..10,
 * csat 1..5, ces 1..7, whole numbers.
 *   NPS   promoters 9-10, passives 7-8, detractors 0-6;
 *         score = 100 (P - D), P and D the shares of responses;
 *         MOE = 100 * 1.96 * sqrt((P + D - (P - D)^2) / n)  (points)
 *   CSAT  satisfied = 4-5; score = 100 S; MOE = 100 * 1.96 * sqrt(S (1 - S) / n)
 *   CES   mean and sample sd (n - 1); MOE = 1.96 sd / sqrt(n) (scale units);
 *         low effort = 5-7 on the "ease" scale (7 = very easy, CES 2.0) or
 *         1-3 on the "effort" scale (1 = very low effort); its share and
 *         MOE as for CSAT.
 */
#ifndef XO_CXMETRICS_H
#define XO_CXMETRICS_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "stats.h"

#define XO_CX_Z95 1.96

enum xo_ces_scale {
	XO_CES_EASE,   /* 7 = very easy (CES 2.0 agreement) */
	XO_CES_EFFORT, /* 1 = very low effort */
};

/* One response's measures; -1 where absent. */
struct xo_cx_response {
	int nps, csat, ces;
};

/* Running totals of one group. */
struct xo_cx_totals {
	uint64_t nps_n, promoters, passives, detractors;
	uint64_t csat_n, satisfied;
	uint64_t ces_low;
	struct xo_moments ces;
};

/* Read rec's "cx" object. 1 when it holds at least one measure, 0 when
 * it holds none (no "cx", or an empty one), -1 when a measure is not a
 * whole number in range (the reason appended to why). */
int xo_cx_read(const json_t *rec, struct xo_cx_response *r, struct xo_buf *why);

/* Is ces a low-effort answer on the scale? */
int xo_ces_low_effort(int ces, enum xo_ces_scale scale);

void xo_cx_add(struct xo_cx_totals *t, const struct xo_cx_response *r,
	       enum xo_ces_scale scale);

/* The figures of one group, rounded to digits decimals. Values that
 * cannot be computed (a mean of nothing, an sd from one answer) are
 * NaN. */
struct xo_cx_figures {
	double nps, nps_moe;
	double csat, csat_moe;
	double ces_mean, ces_sd, ces_moe, ces_low, ces_low_moe;
};

void xo_cx_compute(const struct xo_cx_totals *t, int digits, struct xo_cx_figures *f);

/* {"nps":{"n":..,"score":..,"moe":..,"promoters":..,"passives":..,
 *  "detractors":..},"csat":{...},"ces":{...}} added to obj; NaN
 * figures become null. */
void xo_cx_json(json_t *obj, const struct xo_cx_totals *t, const struct xo_cx_figures *f);

#endif
