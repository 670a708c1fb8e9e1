/* rundata: the outputs of one run of the pipeline, read for a report.
 *
 * Each kind of input is the output of one xo tool (see xo-report(1) for
 * the exact formats):
 *   metrics      xo-score metrics, NDJSON
 *   journey-dot  xo-journey --map, Graphviz DOT (kept as a path: drawn later)
 *   paths        xo-journey --paths, NDJSON
 *   funnel       xo-journey --funnel, NDJSON
 *   drivers      xo-score drivers, NDJSON
 *   predictions  records with a probability (xo-score apply), NDJSON
 *   calibration  a model file (xo-model(5)) or xo-score train -f json
 *   decisions    xo-decide, NDJSON
 *   review       xo-decide review --list (text) or --export (NDJSON)
 *   rejected     reject streams (xo-rejects(5)) of the run
 * Readers are tolerant: unknown members are ignored and missing ones are
 * "no value" (NAN, NULL). A line that is not a JSON object, or whose
 * known members have the wrong type, goes to the reject stream given
 * (with file, line and reason) and is counted against its file. A file
 * that cannot be opened is recorded with the reason; the others are
 * still read. Lines of predictions and decisions, which may be whole
 * journeys with traces, are checked whole but only the members read are
 * built (lib/jscan.h); a prediction that does not make the list of those
 * most at risk builds nothing.
 *
 * struct xo_run owns everything in it; xo_run_free() releases it.
 */
#ifndef XO_RUNDATA_H
#define XO_RUNDATA_H

#include <stddef.h>

#include "rejects.h"
#include "tally.h"

enum xo_run_kind {
	XO_RUN_METRICS,
	XO_RUN_JOURNEY_DOT,
	XO_RUN_PATHS,
	XO_RUN_FUNNEL,
	XO_RUN_DRIVERS,
	XO_RUN_PREDICTIONS,
	XO_RUN_CALIBRATION,
	XO_RUN_DECISIONS,
	XO_RUN_REVIEW,
	XO_RUN_REJECTED,
	XO_RUN_KINDS
};

/* "metrics", "journey-dot", ... (also the option names). */
extern const char *const xo_run_kind_names[XO_RUN_KINDS];

struct xo_run_file {
	enum xo_run_kind kind;
	char *path;
	char *label;          /* drivers: the outcome; else NULL */
	long records;         /* records (lines) used */
	long bad;             /* lines rejected */
	char *error;          /* why it could not be read; NULL when read */
};

/* Survey measures of a metrics row. */
enum { XO_NPS, XO_CSAT, XO_CES, XO_MEASURES };
extern const char *const xo_measure_names[XO_MEASURES]; /* "nps", "csat", "ces" */

struct xo_metric {
	int present;
	double n, score, moe;  /* CES: score is the mean */
	double a, b, c;        /* NPS: promoters, passives, detractors; CSAT: satisfied;
				* CES: sd, low_effort, low_effort_moe */
};

struct xo_metrics_row {
	char *group;           /* "channel=phone, region=north"; "" without --by */
	char *period;          /* NULL: over the whole run */
	struct xo_metric m[XO_MEASURES];
};

struct xo_path_row {
	double rank, count, share, length;
	char *path;            /* nodes joined by " > " */
};

struct xo_funnel_step {
	char *funnel, *match;
	double step, customers, conversion, step_conversion, median_s;
};

struct xo_driver_row {
	double rank;
	char *factor, *kind;
	double n_with, n_without, prevalence, with, without, diff, impact, p, q;
};

struct xo_driver_set {
	char *outcome;         /* nps, csat, ces, churn; NULL when not told */
	char *path;
	struct xo_driver_row *rows;
	size_t n, cap;
};

/* The customers most at risk. */
struct xo_at_risk {
	char *xid;
	double p;
	char *why;             /* the top features, "tenure_days=12, plan=basic" */
};

struct xo_predictions {
	size_t n_bins;         /* equal-width bins of [0, 1] */
	double *bins;          /* counts */
	double records, missing, high, sum_p;
	struct xo_at_risk *top;
	size_t n_top, max_top;
};

struct xo_calib_bin {
	double from, to, n, mean_p, observed;
};

struct xo_calibration {
	int present;
	char *label, *trained_at;
	double records, positives, auc, log_loss, accuracy, brier;
	struct xo_calib_bin *bins;
	size_t n_bins;
};

struct xo_decisions {
	double records, with_decision, decisions, queued;
	struct xo_tally *action, *channel, *route, *status;
};

struct xo_review_item {
	char *id, *xid, *action, *channel, *queued, *why;
};

struct xo_review {
	int present;
	struct xo_tally *status;
	struct xo_review_item *pending;  /* the first max_top pending ones */
	size_t n_pending, cap_pending;
};

struct xo_reject_sample {
	char *source, *file_line, *reason, *raw; /* raw NULL: left out (--hash-ids) */
};

struct xo_rejected {
	double total;
	struct xo_tally *by_source;      /* the reject's "file" */
	struct xo_tally *by_reason;      /* "SOURCE\x1fREASON", quoted values as "…" */
	struct xo_reject_sample *samples; /* the first few of each source */
	size_t n_samples, cap_samples;
};

struct xo_run_opts {
	const char *risk_field;  /* path of the probability; "prediction.p" */
	double high_risk;        /* from this probability on: high risk */
	size_t risk_bins;        /* bins of the risk histogram */
	size_t top;              /* customers at risk and pending reviews kept */
	struct xo_rejects *rejects; /* unusable lines go here; may be NULL */
	int no_raw;              /* --hash-ids: reject samples keep neither the
				  * record as read nor quoted values */
};

struct xo_run {
	struct xo_run_opts opts;
	struct xo_run_file *files;
	size_t n_files, cap_files;
	long bad_lines;            /* over all files */
	int unreadable;            /* files that could not be read */

	struct xo_metrics_row *metrics;
	size_t n_metrics, cap_metrics;
	char **dot_paths;          /* journey maps (drawn by the report) */
	size_t n_dot, cap_dot;
	struct xo_path_row *paths;
	size_t n_paths, cap_paths;
	struct xo_funnel_step *funnel;
	size_t n_funnel, cap_funnel;
	struct xo_driver_set *drivers;
	size_t n_drivers, cap_drivers;
	struct xo_predictions predictions;
	struct xo_calibration calibration;
	struct xo_decisions decisions;
	struct xo_review review;
	struct xo_rejected rejected;
};

/* NULL with a reason in err when an option is wrong (risk_field). */
struct xo_run *xo_run_new(const struct xo_run_opts *opts, struct xo_buf *err);
void xo_run_free(struct xo_run *run);

/* Read one input of kind. label: the drivers' outcome (may be NULL). */
void xo_run_read(struct xo_run *run, enum xo_run_kind kind, const char *path, const char *label);

/* Which kinds had at least one file given (read or not). */
int xo_run_given(const struct xo_run *run, enum xo_run_kind kind);

/* The files a run directory holds for kind, by the names of xo-report(1)
 * (FILES), sorted; each path newly allocated in *paths (the caller frees
 * each and the array). The outcome of drivers-OUTCOME.ndjson goes to
 * (*labels)[i] (NULL otherwise); labels may be NULL for other kinds. */
size_t xo_run_dir_files(const char *dir, enum xo_run_kind kind, char ***paths, char ***labels);

#endif
