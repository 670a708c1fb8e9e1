/* featspec: what a model reads from a record (xo-features(5)), and how
 * each value becomes columns of the model's design matrix.
 *
 * A spec is a list of items separated by commas or newlines, each
 * PATH[:TYPE], PATH in jpath syntax plus "[*]" for "every element"
 * (steps[*].token). TYPE:
 *   num    a number (or a numeric string): standardized (x - mean) / sd,
 *          mean and population sd of the training values
 *   log    a number, taken as sign(x) log(1 + |x|), then as num
 *   bool   true/false, 1/0, "yes"/"no", "true"/"false": as num
 *   cat    a value (text): one 0/1 column per level seen at least
 *          min_count times in training, the rest in "(other)"
 *   set    an array of values (or one): one 0/1 column per member
 *   count  an array of values: log(1 + occurrences) per member
 * A num/log/bool missing in some training records gets a 0/1 column
 * "(missing)" and is otherwise taken as its mean; a cat missing is the
 * level "(missing)". A spec in a file is given as @FILE; '#' starts a
 * comment there.
 *
 * struct xo_features owns everything in it; xo_features_free().
 */
#ifndef XO_FEATSPEC_H
#define XO_FEATSPEC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "jpath.h"
#include "strmap.h"

enum xo_ftype { XO_FT_NUM, XO_FT_LOG, XO_FT_BOOL, XO_FT_CAT, XO_FT_SET, XO_FT_COUNT };

#define XO_LEVEL_OTHER "(other)"
#define XO_LEVEL_MISSING "(missing)"

/* One model column: its feature, its name ("attrs.plan=gold") and the
 * mean of its encoded value in training (0 for standardized numbers). */
struct xo_column {
	size_t feature;
	char *name;
	double mean;
	double weight;
};

struct xo_feature {
	char *text;               /* the item's path as written */
	enum xo_ftype type;
	struct xo_path *path;     /* the whole path, or the part before [*] */
	struct xo_path *sub;      /* the part after "[*]." (NULL: the element) */
	int each;                 /* the path has [*] */
	/* Fitted: */
	double mean, sd;          /* num, log, bool */
	int value_col;            /* num, log, bool: its column */
	int missing_col;          /* -1 when none */
	int other_col;            /* cat, set, count: -1 when none */
	struct xo_strmap levels;  /* value -> column + 1 (as a pointer-sized int) */
};

struct xo_features {
	struct xo_feature *f;
	size_t n;
	struct xo_column *cols;
	size_t n_cols, cap_cols;
};

/* Parse a spec (or "@FILE"). 0, or -1 with err set. */
int xo_features_parse(struct xo_features *fs, const char *spec, struct xo_buf *err);
void xo_features_free(struct xo_features *fs);

const char *xo_ftype_name(enum xo_ftype t);
int xo_ftype_parse(const char *name, enum xo_ftype *t);

/* A raw value of a feature in one record. */
struct xo_fvalue {
	double x;         /* num, log, bool */
	const char *s;    /* cat, set, count: text (owned by the record or scratch) */
	size_t len;
};

/* Call visit for each value of feature i in rec: numbers for num, log
 * and bool (none when missing), texts for the others. 0, or -1 with why
 * set when a value has the wrong kind ("abc" for a num). scratch holds
 * the texts of non-string values until the next call. */
int xo_feature_values(const struct xo_features *fs, size_t i, const json_t *rec,
		      struct xo_buf *scratch,
		      void (*visit)(void *ctx, const struct xo_fvalue *v), void *ctx,
		      struct xo_buf *why);

/* Add a column for feature i named "TEXT" or "TEXT=LEVEL"; its index. */
int xo_features_add_column(struct xo_features *fs, size_t i, const char *level);

/* Encoded columns of one record: (col, value) pairs, sorted by col. */
struct xo_encoded {
	int *col;
	double *val;
	size_t n, cap;
};

/* Encode rec with the fitted features; 0 or -1 (why set) as above. */
int xo_features_encode(const struct xo_features *fs, const json_t *rec,
		       struct xo_encoded *out, struct xo_buf *scratch, struct xo_buf *why);
/* The same in steps, for values kept elsewhere (training data):
 * begin, then each value of each feature, then end (sorts and merges). */
void xo_encode_begin(struct xo_encoded *out);
void xo_encode_value(const struct xo_features *fs, size_t i, const struct xo_fvalue *v,
		     struct xo_encoded *out);
/* A num, log or bool feature without a value: its "(missing)" column
 * (when training had one). */
void xo_encode_missing(const struct xo_features *fs, size_t i, struct xo_encoded *out);
void xo_encode_end(const struct xo_features *fs, struct xo_encoded *out);
void xo_encoded_free(struct xo_encoded *e);

/* Fitting, from training data: a number feature's moments and missing
 * count, or a level feature's values and counts (levels below
 * min_count go to "(other)"). Columns are added in call order. */
struct xo_moments;
void xo_fit_number(struct xo_features *fs, size_t i, const struct xo_moments *m,
		   uint64_t missing, uint64_t rows);
void xo_fit_levels(struct xo_features *fs, size_t i, char *const *values,
		   const uint64_t *counts, size_t n, uint64_t min_count, uint64_t rows);
/* A binary outcome: 1 or 0, -1 when v cannot be one. With positive,
 * 1 when v's text equals it and 0 otherwise; without, true/false,
 * 1/0 and the strings "1"/"0", "true"/"false", "yes"/"no", "y"/"n"
 * (any case). text is scratch space. */
int xo_binary_of(const json_t *v, const char *positive, struct xo_buf *text);

/* The numeric transform of a type: log for XO_FT_LOG, x otherwise. */
double xo_ftransform(enum xo_ftype t, double x);

#endif
