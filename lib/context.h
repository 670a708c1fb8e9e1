/* context: per-customer experience figures added to journey records
 * (xo-journey(5)) under "score", and the health score.
 *
 * From the steps of a journey (their "cx" measures and "text", or a
 * "sentiment" already scored) and its "context" figures (where
 * context.cx.nps/csat/ces give n, last and prev, those win over the
 * steps, which --max-steps may have cut):
 *   sentiment  n, mean (texts in the window), last, prev, trend = last - prev
 *   cx         the last nps, csat and ces, and their level and trend:
 *                level = mean of nps/10, (csat-1)/4, ease(ces) over the
 *                last value of each measure; ease(ces) = (ces-1)/6 on the
 *                ease scale, (7-ces)/6 on the effort scale
 *                trend = mean of (last - prev)/10, /4, /6 (ease sign)
 *                over the measures given at least twice
 *   effort     ces (the last), contacts_30d and open_issues (from
 *              "context"), and its value: the mean of ease(ces) and
 *              1 - min(contacts_30d + open_issues, 6)/6 (each when known)
 *   health     100 * sum(w_k C_k) / sum(w_k) over the known components
 *              C_cx = cx level, C_sentiment = (mean + 1)/2,
 *              C_effort = effort value,
 *              C_trend = (1 + clamp(mean of cx trend and sentiment
 *              trend/2, -1, 1))/2
 *              weights 0.35, 0.25, 0.25, 0.15 by default; null when
 *              neither C_cx nor C_sentiment is known (no survey answer,
 *              no text) or every known component has weight 0.
 */
#ifndef XO_CONTEXT_H
#define XO_CONTEXT_H

#include <jansson.h>

#include "buf.h"
#include "cxmetrics.h"
#include "textscore.h"
#include "xtime.h"

enum { XO_HEALTH_CX, XO_HEALTH_SENTIMENT, XO_HEALTH_EFFORT, XO_HEALTH_TREND, XO_HEALTH_PARTS };

struct xo_context_opts {
	double weight[XO_HEALTH_PARTS];
	xo_time_t window;          /* texts older than as_of - window leave the mean */
	enum xo_ces_scale scale;
	int digits;
	const char *field;         /* where the figures go; "score" */
};

void xo_context_opts_default(struct xo_context_opts *o);
/* "cx=0.4,sentiment=0.2,effort=0.3,trend=0.1" (any subset): 0 or -1. */
int xo_context_weights(struct xo_context_opts *o, const char *spec, struct xo_buf *err);

/* Add the figures to journey. ts (may be NULL: texts not scored) scores
 * step texts that carry no "sentiment". 0, or -1 with why set when the
 * record is not a journey (no steps array, a step without a valid ts). */
int xo_context_add(const struct xo_context_opts *o, struct xo_textscore *ts,
		   json_t *journey, struct xo_buf *why);

#endif
