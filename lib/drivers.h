/* drivers: which topics, journey patterns and attributes go with a worse
 * outcome, and by how much: the priority list of experience issues.
 *
 * Each record gives an outcome value y and a set of factors (present or
 * not). For each factor f, over the records with an outcome:
 *   with     mean y over the n1 records with f
 *   without  mean y over the n0 records without it
 *   diff     with - without
 *   prevalence  n1 / (n1 + n0)
 *   impact   diff x prevalence: how much the overall figure moves
 *            because of f (overall = prevalence with + (1 - prevalence)
 *            without; were the f group like the rest, it would be
 *            "without"), in the outcome's units
 *   test     Welch's t-test of with vs without (nps, csat, ces), or a
 *            two-proportion z-test (churn); p two-sided, q the
 *            Benjamini-Hochberg adjusted p over all factors reported
 * Outcomes: nps (y = 100 promoter, 0 passive, -100 detractor: means are
 * NPS), csat (y = 100 when 4-5: means are CSAT %), ces (y = the answer),
 * churn (y = 100 when the label is 1: means are churn rates in %).
 * Rows are ranked by harm: -impact for nps, csat and ces on the ease
 * scale, +impact for churn and ces on the effort scale.
 *
 * Factors: "topic:NAME" (the record's "topics" array, or its text
 * matched against a topic file), "step:TOKEN" and "path:TOKEN>TOKEN"
 * (each step token and each pair of consecutive tokens of a journey's
 * "steps"), "pattern:NAME" (each pattern of a journey's "matches", as
 * xo-journey --annotate writes them), and "PATH=VALUE" for each --by
 * path (each element when the value is an array).
 */
#ifndef XO_DRIVERS_H
#define XO_DRIVERS_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "cxmetrics.h"
#include "cxreport.h"
#include "jpath.h"
#include "strmap.h"
#include "topics.h"

enum xo_outcome { XO_OUTCOME_NPS, XO_OUTCOME_CSAT, XO_OUTCOME_CES, XO_OUTCOME_CHURN };

struct xo_drivers_opts {
	enum xo_outcome outcome;
	const char *value;         /* path of the outcome; NULL: cx.nps, cx.csat, cx.ces, churn */
	const char *positive;      /* churn: the value meaning 1 */
	const char *by;            /* comma-separated attribute paths, or NULL */
	struct xo_topics *topics;  /* for records with text but no "topics"; NULL: none. Not owned */
	const char *text;          /* path of the text; NULL: "text" */
	int steps;                 /* journey step, path and pattern factors */
	enum xo_ces_scale scale;
	uint64_t min_n;            /* a factor needs this many records with and without */
	double max_q;              /* report only q <= max_q (1: all) */
	uint64_t top;              /* at most this many rows (0: all) */
	int digits;
};

struct xo_drivers;

int xo_outcome_parse(const char *name, enum xo_outcome *out);
void xo_drivers_opts_default(struct xo_drivers_opts *o);
/* NULL with err set (a bad path). */
struct xo_drivers *xo_drivers_new(const struct xo_drivers_opts *o, struct xo_buf *err);
/* 1 counted, 0 no outcome (skipped), -1 to reject (why set). Topic
 * match-limit failures are appended to warn. */
int xo_drivers_add(struct xo_drivers *d, const json_t *rec, struct xo_buf *why,
		   struct xo_buf *warn);
/* Rank and write the rows to standard output; the number written. The
 * overall mean and record count in *overall and *n. */
uint64_t xo_drivers_write(struct xo_drivers *d, enum xo_report_format fmt,
			  double *overall, uint64_t *n);
void xo_drivers_free(struct xo_drivers *d);

#endif
