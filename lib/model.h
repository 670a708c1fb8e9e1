/* model: logistic regression of a binary outcome (churn, ...) on the
 * features of a spec (lib/featspec.h), fitted by LIBLINEAR (L2-
 * regularized logistic regression, primal trust-region Newton solver,
 * bias term 1, as scikit-learn's solver="liblinear"), evaluated on a
 * holdout part, saved as JSON (xo-model(5)) and applied to records with
 * the features that moved each probability most.
 *
 * A trainer keeps the training records' feature values compactly (not
 * the records); a model owns its fitted features. Free both.
 */
#ifndef XO_MODEL_H
#define XO_MODEL_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "featspec.h"
#include "jpath.h"

enum xo_class_weight { XO_CW_NONE, XO_CW_BALANCED, XO_CW_POSITIVE };

struct xo_train_opts {
	const char *label;        /* path of the outcome */
	const char *positive;     /* the value that means 1; NULL: true/1/"yes"... */
	const char *features;     /* spec, or @FILE */
	double holdout;           /* fraction held out, 0..<1 */
	uint64_t seed;            /* of the hash split */
	const char *split_field;  /* path saying "test"/"holdout"/true per record, or NULL */
	const char *id_field;     /* path hashed for the split; "xid" */
	double C;                 /* inverse regularization strength, as LIBLINEAR and sklearn */
	double tol;               /* LIBLINEAR's eps */
	enum xo_class_weight class_weight;
	double positive_weight;   /* XO_CW_POSITIVE: weight of class 1 (class 0 has 1) */
	uint64_t min_count;       /* fewer training rows than this: level goes to (other) */
	double threshold;         /* for accuracy */
	int bins;                 /* calibration bins */
};

void xo_train_opts_default(struct xo_train_opts *o);

struct xo_model {
	struct xo_features fs;
	double intercept;
	char *label;
	char *positive;           /* NULL when none */
	double *baseline;         /* per feature: -sum(w_c mean_c) over its columns */
	json_t *info;             /* "trained" and "holdout" as read or made */
};

struct xo_calibration_bin {
	double from, to, mean_p, observed;
	uint64_t n;
};

struct xo_holdout_report {
	uint64_t records, train, holdout, train_positives, holdout_positives;
	double auc, log_loss, accuracy, brier;
	struct xo_calibration_bin *bins;
	int n_bins;
	double seconds_fit;
};

struct xo_trainer;

/* NULL with err set (a bad spec or path). */
struct xo_trainer *xo_trainer_new(const struct xo_train_opts *o, struct xo_buf *err);
/* Keep one record. 0, or -1 with why set (no label, a bad value). */
int xo_trainer_add(struct xo_trainer *t, const json_t *rec, struct xo_buf *why);
/* Fit and evaluate. The model (caller frees) or NULL with err set (too
 * little data, one class only). rep filled; its bins are the caller's. */
struct xo_model *xo_trainer_fit(struct xo_trainer *t, struct xo_holdout_report *rep,
				struct xo_buf *err);
void xo_trainer_free(struct xo_trainer *t);

/* The model as xo-model(5) JSON (a new reference). */
json_t *xo_model_json(const struct xo_model *m);
/* Load a model file; NULL with "FILE: reason" in err. */
struct xo_model *xo_model_load(const char *path, struct xo_buf *err);
void xo_model_free(struct xo_model *m);

/* One feature's share of a prediction, in log-odds against the
 * training average. */
struct xo_contribution {
	size_t feature;
	double c;
};

/* The probability for rec, and (when top is not NULL) the n_top
 * features with the largest positive contributions, largest first (*got
 * says how many). 0, or -1 with why set. enc and scratch are the
 * caller's scratch space. */
int xo_model_predict(const struct xo_model *m, const json_t *rec, struct xo_encoded *enc,
		     struct xo_buf *scratch, double *p, struct xo_contribution *top,
		     int n_top, int *got, struct xo_buf *why);

/* The report as JSON (a new reference). */
json_t *xo_holdout_json(const struct xo_holdout_report *r);
void xo_holdout_free(struct xo_holdout_report *r);

#endif
