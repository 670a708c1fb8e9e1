#include "model.h"

#include <linear.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hash.h"
#include "mem.h"
#include "stats.h"
#include "strmap.h"

#define NO_SYMBOL UINT32_MAX

void xo_train_opts_default(struct xo_train_opts *o)
{
	memset(o, 0, sizeof *o);
	o->holdout = 0.2;
	o->seed = 1;
	o->id_field = "xid";
	o->C = 1.0;
	o->tol = 1e-4; /* scikit-learn's default */
	o->class_weight = XO_CW_NONE;
	o->positive_weight = 1;
	o->min_count = 5;
	o->threshold = 0.5;
	o->bins = 10;
}

/* One value of one feature of one record: a number or an interned text. */
struct cell {
	uint32_t feature;
	uint32_t sym;
	double x;
};

struct xo_trainer {
	struct xo_train_opts o;
	struct xo_features fs;
	struct xo_path *label, *split, *id;
	struct cell *cells;
	size_t n_cells, cap_cells;
	size_t *row_start;          /* n_rows + 1 offsets into cells */
	signed char *y;
	unsigned char *test;
	size_t n_rows, cap_rows;
	struct xo_strmap syms;      /* text -> id + 1 */
	char **sym_names;
	size_t n_syms, cap_syms;
	struct xo_buf scratch, idtext;
	size_t adding_feature;
};

struct xo_trainer *xo_trainer_new(const struct xo_train_opts *o, struct xo_buf *err)
{
	struct xo_trainer *t = xo_calloc(1, sizeof *t);
	t->o = *o;
	xo_strmap_init(&t->syms);
	if (xo_features_parse(&t->fs, o->features, err) != 0 ||
	    !(t->label = xo_path_compile(o->label, err)) ||
	    (o->split_field && !(t->split = xo_path_compile(o->split_field, err))) ||
	    !(t->id = xo_path_compile(o->id_field, err))) {
		xo_trainer_free(t);
		return NULL;
	}
	t->row_start = xo_malloc(sizeof *t->row_start);
	t->row_start[0] = 0;
	return t;
}

static int in_holdout(struct xo_trainer *t, const json_t *rec, struct xo_buf *why)
{
	if (t->split) {
		const json_t *v = xo_path_get(t->split, rec);
		if (json_is_boolean(v))
			return json_is_true(v);
		if (json_is_string(v)) {
			const char *s = json_string_value(v);
			if (strcmp(s, "test") == 0 || strcmp(s, "holdout") == 0)
				return 1;
			if (strcmp(s, "train") == 0)
				return 0;
		}
		xo_buf_printf(why, "%s: expected \"train\", \"test\", \"holdout\" or a boolean",
			      xo_path_text(t->split));
		return -1;
	}
	if (t->o.holdout <= 0)
		return 0;
	xo_buf_reset(&t->idtext);
	const json_t *id = xo_path_get(t->id, rec);
	if (id && !json_is_null(id))
		xo_json_text(&t->idtext, id);
	else
		xo_buf_printf(&t->idtext, "#%zu", t->n_rows); /* no id: the record's place */
	struct xo_hash_key key = { t->o.seed, UINT64_C(0x786f2d73706c6974) };
	uint64_t h = xo_siphash(&key, t->idtext.data ? t->idtext.data : "", t->idtext.len);
	return (double)(h >> 11) * 0x1.0p-53 < t->o.holdout;
}

static uint32_t intern(struct xo_trainer *t, const char *s, size_t len)
{
	int added;
	void **slot = xo_strmap_slot(&t->syms, s, len, &added);
	if (added) {
		t->sym_names = xo_grow(t->sym_names, &t->cap_syms, t->n_syms + 1, sizeof *t->sym_names);
		t->sym_names[t->n_syms] = xo_strndup(s, len);
		*slot = (void *)(uintptr_t)(++t->n_syms);
	}
	return (uint32_t)((uintptr_t)*slot - 1);
}

static void keep_value(void *ctx, const struct xo_fvalue *v)
{
	struct xo_trainer *t = ctx;
	t->cells = xo_grow(t->cells, &t->cap_cells, t->n_cells + 1, sizeof *t->cells);
	struct cell *c = &t->cells[t->n_cells++];
	c->feature = (uint32_t)t->adding_feature;
	c->sym = v->s ? intern(t, v->s, v->len) : NO_SYMBOL;
	c->x = v->s ? 0 : v->x;
}

int xo_trainer_add(struct xo_trainer *t, const json_t *rec, struct xo_buf *why)
{
	const json_t *lv = xo_path_get(t->label, rec);
	if (!lv || json_is_null(lv)) {
		xo_buf_printf(why, "no label at %s", xo_path_text(t->label));
		return -1;
	}
	int y = xo_binary_of(lv, t->o.positive, &t->scratch);
	if (y < 0) {
		xo_buf_printf(why, "%s: not a binary label (true/false, 1/0, yes/no; or use --positive)",
			      xo_path_text(t->label));
		return -1;
	}
	int test = in_holdout(t, rec, why);
	if (test < 0)
		return -1;
	size_t mark = t->n_cells;
	for (size_t i = 0; i < t->fs.n; i++) {
		t->adding_feature = i;
		if (xo_feature_values(&t->fs, i, rec, &t->scratch, keep_value, t, why) != 0) {
			t->n_cells = mark;
			return -1;
		}
	}
	if (t->n_rows + 1 >= t->cap_rows) {
		t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 1024;
		t->row_start = xo_realloc(t->row_start, (t->cap_rows + 1) * sizeof *t->row_start);
		t->y = xo_realloc(t->y, t->cap_rows * sizeof *t->y);
		t->test = xo_realloc(t->test, t->cap_rows * sizeof *t->test);
	}
	t->y[t->n_rows] = (signed char)y;
	t->test[t->n_rows] = (unsigned char)test;
	t->row_start[++t->n_rows] = t->n_cells;
	return 0;
}

/* --- fitting the encoders ------------------------------------------ */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void fit_encoders(struct xo_trainer *t, uint64_t train_rows)
{
	uint64_t *count = xo_calloc(t->n_syms + 1, sizeof *count);
	size_t *last_row = xo_malloc((t->n_syms + 1) * sizeof *last_row);
	for (size_t i = 0; i < t->fs.n; i++) {
		const struct xo_feature *f = &t->fs.f[i];
		int numeric = f->type == XO_FT_NUM || f->type == XO_FT_LOG || f->type == XO_FT_BOOL;
		struct xo_moments m = XO_MOMENTS_INIT;
		uint64_t missing = 0;
		memset(count, 0, (t->n_syms + 1) * sizeof *count);
		for (size_t s = 0; s <= t->n_syms; s++)
			last_row[s] = SIZE_MAX;
		for (size_t r = 0; r < t->n_rows; r++) {
			if (t->test[r])
				continue;
			int seen = 0;
			for (size_t k = t->row_start[r]; k < t->row_start[r + 1]; k++) {
				const struct cell *c = &t->cells[k];
				if (c->feature != i)
					continue;
				seen = 1;
				if (numeric) {
					xo_moments_add(&m, xo_ftransform(f->type, c->x));
				} else if (last_row[c->sym] != r) {
					last_row[c->sym] = r; /* rows, not occurrences */
					count[c->sym]++;
				}
			}
			missing += numeric && !seen;
		}
		if (numeric) {
			xo_fit_number(&t->fs, i, &m, missing, train_rows);
			continue;
		}
		size_t n = 0;
		char **names = xo_malloc((t->n_syms + 1) * sizeof *names);
		for (size_t s = 0; s < t->n_syms; s++)
			if (count[s])
				names[n++] = t->sym_names[s];
		qsort(names, n, sizeof *names, by_name);
		uint64_t *counts = xo_malloc((n + 1) * sizeof *counts);
		for (size_t k = 0; k < n; k++)
			counts[k] = count[(uintptr_t)xo_strmap_get(&t->syms, names[k], strlen(names[k])) - 1];
		xo_fit_levels(&t->fs, i, names, counts, n, t->o.min_count, train_rows);
		free(names);
		free(counts);
	}
	free(count);
	free(last_row);
}

/* Encode row r of the training data with the fitted features fs. */
static void encode_row(const struct xo_trainer *t, const struct xo_features *fs, size_t r,
		       struct xo_encoded *enc)
{
	xo_encode_begin(enc);
	size_t k = t->row_start[r], end = t->row_start[r + 1];
	for (size_t i = 0; i < fs->n; i++) {
		int seen = 0;
		for (size_t j = k; j < end; j++) {
			const struct cell *c = &t->cells[j];
			if (c->feature != i)
				continue;
			seen = 1;
			struct xo_fvalue v = { c->x, NULL, 0 };
			if (c->sym != NO_SYMBOL) {
				v.s = t->sym_names[c->sym];
				v.len = strlen(v.s);
			}
			xo_encode_value(fs, i, &v, enc);
		}
		if (!seen)
			xo_encode_missing(fs, i, enc);
	}
	xo_encode_end(fs, enc);
}

static void quiet_print(const char *s)
{
	(void)s;
}

static double sigmoid(double z)
{
	return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

static double linear(const struct xo_model *m, const struct xo_encoded *e)
{
	double z = m->intercept;
	for (size_t k = 0; k < e->n; k++)
		z += m->fs.cols[e->col[k]].weight * e->val[k];
	return z;
}

static void compute_baseline(struct xo_model *m)
{
	free(m->baseline);
	m->baseline = xo_calloc(m->fs.n ? m->fs.n : 1, sizeof *m->baseline);
	for (size_t c = 0; c < m->fs.n_cols; c++)
		m->baseline[m->fs.cols[c].feature] -= m->fs.cols[c].weight * m->fs.cols[c].mean;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fit LIBLINEAR on the training rows; weights into the model's columns. */
static int fit_liblinear(struct xo_trainer *t, struct xo_model *m, uint64_t n_train,
			 uint64_t n_pos, struct xo_buf *err)
{
	int n_cols = (int)m->fs.n_cols;
	struct problem prob;
	prob.l = (int)n_train;
	prob.n = n_cols + 1; /* the bias column is the last */
	prob.bias = 1;
	prob.y = xo_malloc(n_train * sizeof *prob.y);
	prob.x = xo_malloc(n_train * sizeof *prob.x);
	size_t *start = xo_malloc((n_train + 1) * sizeof *start);
	struct feature_node *nodes = NULL;
	size_t n_nodes = 0, cap_nodes = 0;
	struct xo_encoded enc = { 0 };
	size_t l = 0;
	/* Column means of the encoded training rows, the reference of
	 * each feature's contribution at prediction time. */
	double *sum = xo_calloc((size_t)n_cols + 1, sizeof *sum);
	for (size_t r = 0; r < t->n_rows; r++) {
		if (t->test[r])
			continue;
		encode_row(t, &m->fs, r, &enc);
		for (size_t k = 0; k < enc.n; k++)
			sum[enc.col[k]] += enc.val[k];
		nodes = xo_grow(nodes, &cap_nodes, n_nodes + enc.n + 2, sizeof *nodes);
		start[l] = n_nodes;
		for (size_t k = 0; k < enc.n; k++)
			nodes[n_nodes++] = (struct feature_node){ enc.col[k] + 1, enc.val[k] };
		nodes[n_nodes++] = (struct feature_node){ n_cols + 1, 1.0 };
		nodes[n_nodes++] = (struct feature_node){ -1, 0 };
		prob.y[l++] = t->y[r] ? 1 : -1;
	}
	for (size_t i = 0; i < l; i++)
		prob.x[i] = nodes + start[i]; /* nodes no longer moves */
	for (int c = 0; c < n_cols; c++)
		m->fs.cols[c].mean = l ? sum[c] / (double)l : 0;
	free(sum);
	xo_encoded_free(&enc);

	struct parameter param;
	memset(&param, 0, sizeof param);
	param.solver_type = L2R_LR;
	param.eps = t->o.tol;
	param.C = t->o.C;
	int labels[2] = { 1, -1 };
	double weights[2] = { 1, 1 };
	double n_neg = (double)(n_train - n_pos);
	if (t->o.class_weight == XO_CW_BALANCED) {
		weights[0] = (double)n_train / (2.0 * (double)n_pos);
		weights[1] = (double)n_train / (2.0 * n_neg);
	} else if (t->o.class_weight == XO_CW_POSITIVE) {
		weights[0] = t->o.positive_weight;
	}
	param.nr_weight = 2;
	param.weight_label = labels;
	param.weight = weights;
	set_print_string_function(quiet_print);
	const char *bad = check_parameter(&prob, &param);
	int rc = 0;
	if (bad) {
		xo_buf_printf(err, "LIBLINEAR: %s", bad);
		rc = -1;
	} else {
		struct model *lm = train(&prob, &param);
		/* LIBLINEAR's first label is the first class met in the data;
		 * its decision values favour that label. */
		double sign = lm->label[0] == 1 ? 1 : -1;
		for (int c = 0; c < n_cols; c++)
			m->fs.cols[c].weight = sign * lm->w[c];
		m->intercept = sign * lm->w[n_cols] * prob.bias;
		free_and_destroy_model(&lm);
	}
	free(nodes);
	free(start);
	free(prob.x);
	free(prob.y);
	return rc;
}

static void evaluate(struct xo_trainer *t, struct xo_model *m, struct xo_holdout_report *rep)
{
	size_t n = rep->holdout;
	double *p = xo_malloc((n ? n : 1) * sizeof *p);
	int *y = xo_malloc((n ? n : 1) * sizeof *y);
	struct xo_encoded enc = { 0 };
	size_t k = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (!t->test[r])
			continue;
		encode_row(t, &m->fs, r, &enc);
		p[k] = sigmoid(linear(m, &enc));
		y[k++] = t->y[r];
	}
	xo_encoded_free(&enc);
	rep->auc = xo_auc(p, y, n);
	rep->log_loss = xo_log_loss(p, y, n);
	double right = 0, brier = 0;
	rep->n_bins = t->o.bins;
	rep->bins = xo_calloc((size_t)rep->n_bins, sizeof *rep->bins);
	for (int b = 0; b < rep->n_bins; b++) {
		rep->bins[b].from = (double)b / rep->n_bins;
		rep->bins[b].to = (double)(b + 1) / rep->n_bins;
	}
	for (size_t i = 0; i < n; i++) {
		right += (p[i] >= t->o.threshold) == (y[i] == 1);
		brier += (p[i] - y[i]) * (p[i] - y[i]);
		int b = (int)(p[i] * rep->n_bins);
		if (b >= rep->n_bins)
			b = rep->n_bins - 1;
		rep->bins[b].n++;
		rep->bins[b].mean_p += p[i];
		rep->bins[b].observed += y[i];
	}
	for (int b = 0; b < rep->n_bins; b++) {
		double c = (double)rep->bins[b].n;
		rep->bins[b].mean_p = c ? rep->bins[b].mean_p / c : NAN;
		rep->bins[b].observed = c ? rep->bins[b].observed / c : NAN;
	}
	rep->accuracy = n ? right / (double)n : NAN;
	rep->brier = n ? brier / (double)n : NAN;
	free(p);
	free(y);
}

struct xo_model *xo_trainer_fit(struct xo_trainer *t, struct xo_holdout_report *rep,
				struct xo_buf *err)
{
	memset(rep, 0, sizeof *rep);
	rep->records = t->n_rows;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (t->test[r]) {
			rep->holdout++;
			rep->holdout_positives += t->y[r] == 1;
		} else {
			rep->train++;
			rep->train_positives += t->y[r] == 1;
		}
	}
	if (rep->train_positives == 0 || rep->train_positives == rep->train) {
		xo_buf_printf(err, "the training part (%llu records) holds only one class",
			      (unsigned long long)rep->train);
		return NULL;
	}
	fit_encoders(t, rep->train);
	struct xo_model *m = xo_calloc(1, sizeof *m);
	m->fs = t->fs;
	memset(&t->fs, 0, sizeof t->fs); /* the model owns the features now */
	m->label = xo_strdup(t->o.label);
	m->positive = t->o.positive ? xo_strdup(t->o.positive) : NULL;
	double t0 = now_seconds();
	if (fit_liblinear(t, m, rep->train, rep->train_positives, err) != 0) {
		xo_model_free(m);
		return NULL;
	}
	rep->seconds_fit = now_seconds() - t0;
	compute_baseline(m);
	if (rep->holdout)
		evaluate(t, m, rep);
	else
		rep->auc = rep->log_loss = rep->accuracy = rep->brier = NAN;
	return m;
}

void xo_trainer_free(struct xo_trainer *t)
{
	if (!t)
		return;
	xo_features_free(&t->fs);
	xo_path_free(t->label);
	xo_path_free(t->split);
	xo_path_free(t->id);
	free(t->cells);
	free(t->row_start);
	free(t->y);
	free(t->test);
	for (size_t s = 0; s < t->n_syms; s++)
		free(t->sym_names[s]);
	free(t->sym_names);
	xo_strmap_free(&t->syms, NULL);
	xo_buf_free(&t->scratch);
	xo_buf_free(&t->idtext);
	free(t);
}

/* --- the model file ------------------------------------------------ */

static json_t *real_or_null(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

json_t *xo_model_json(const struct xo_model *m)
{
	json_t *root = json_object();
	json_object_set_new(root, "format", json_string("xo-model"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "kind", json_string("logistic"));
	json_object_set_new(root, "label", json_string(m->label));
	json_object_set_new(root, "positive", m->positive ? json_string(m->positive) : json_null());
	json_object_set_new(root, "intercept", json_real(m->intercept));
	json_t *features = json_array();
	for (size_t i = 0; i < m->fs.n; i++) {
		const struct xo_feature *f = &m->fs.f[i];
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(f->text));
		json_object_set_new(o, "type", json_string(xo_ftype_name(f->type)));
		if (f->value_col >= 0) {
			json_object_set_new(o, "mean", json_real(f->mean));
			json_object_set_new(o, "sd", json_real(f->sd));
		}
		json_array_append_new(features, o);
	}
	json_object_set_new(root, "features", features);
	json_t *cols = json_array();
	for (size_t c = 0; c < m->fs.n_cols; c++) {
		const struct xo_column *col = &m->fs.cols[c];
		const struct xo_feature *f = &m->fs.f[col->feature];
		json_t *o = json_object();
		json_object_set_new(o, "feature", json_integer((json_int_t)col->feature));
		const char *eq = strlen(col->name) > strlen(f->text) ? col->name + strlen(f->text) + 1 : NULL;
		json_object_set_new(o, "level", eq ? json_string(eq) : json_null());
		json_object_set_new(o, "weight", json_real(col->weight));
		json_object_set_new(o, "mean", json_real(col->mean));
		json_array_append_new(cols, o);
	}
	json_object_set_new(root, "columns", cols);
	if (m->info)
		json_object_update(root, m->info);
	return root;
}

static int load_error(struct xo_buf *err, const char *path, const char *why)
{
	xo_buf_printf(err, "%s: not an xo model: %s", path, why);
	return -1;
}

static int load_columns(struct xo_model *m, const json_t *cols, const char *path,
			struct xo_buf *err)
{
	size_t c;
	const json_t *o;
	json_array_foreach(cols, c, o) {
		const json_t *fi = json_object_get(o, "feature"), *lv = json_object_get(o, "level");
		const json_t *w = json_object_get(o, "weight"), *mean = json_object_get(o, "mean");
		if (!json_is_integer(fi) || json_integer_value(fi) < 0 ||
		    (size_t)json_integer_value(fi) >= m->fs.n || !json_is_number(w) ||
		    !json_is_number(mean) || !(json_is_null(lv) || json_is_string(lv)))
			return load_error(err, path, "a bad entry in \"columns\"");
		size_t i = (size_t)json_integer_value(fi);
		struct xo_feature *f = &m->fs.f[i];
		const char *level = json_is_string(lv) ? json_string_value(lv) : NULL;
		int col = xo_features_add_column(&m->fs, i, level);
		m->fs.cols[col].weight = json_number_value(w);
		m->fs.cols[col].mean = json_number_value(mean);
		int numeric = f->type == XO_FT_NUM || f->type == XO_FT_LOG || f->type == XO_FT_BOOL;
		int *slot = NULL, added = 1;
		if (numeric && !level)
			slot = &f->value_col;
		else if (numeric && strcmp(level, XO_LEVEL_MISSING) == 0)
			slot = &f->missing_col;
		else if (numeric || !level)
			return load_error(err, path, "a column that does not fit its feature");
		else if (strcmp(level, XO_LEVEL_OTHER) == 0)
			slot = &f->other_col;
		else
			*xo_strmap_slot(&f->levels, level, strlen(level), &added) = (void *)(intptr_t)(col + 1);
		if (!added || (slot && *slot >= 0))
			return load_error(err, path, "a column given twice");
		if (slot)
			*slot = col;
	}
	/* Encoding a number needs its column. */
	for (size_t i = 0; i < m->fs.n; i++)
		if (m->fs.f[i].value_col < 0 && (m->fs.f[i].type == XO_FT_NUM ||
		    m->fs.f[i].type == XO_FT_LOG || m->fs.f[i].type == XO_FT_BOOL))
			return load_error(err, path, "a number feature without its column");
	return 0;
}

struct xo_model *xo_model_load(const char *path, struct xo_buf *err)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		xo_buf_printf(err, "%s:%d: %s", path, jerr.line, jerr.text);
		return NULL;
	}
	struct xo_model *m = xo_calloc(1, sizeof *m);
	const json_t *features = json_object_get(root, "features");
	const json_t *cols = json_object_get(root, "columns");
	const json_t *label = json_object_get(root, "label");
	const json_t *icpt = json_object_get(root, "intercept");
	const json_t *pos = json_object_get(root, "positive");
	int rc = 0;
	if (!json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), "xo-model") != 0)
		rc = load_error(err, path, "no \"format\": \"xo-model\"");
	else if (json_integer_value(json_object_get(root, "version")) != 1)
		rc = load_error(err, path, "version is not 1 (made by a newer xo?)");
	else if (!json_is_array(features) || !json_is_array(cols) || !json_is_string(label) ||
		 !json_is_number(icpt) || !(json_is_null(pos) || json_is_string(pos) || !pos))
		rc = load_error(err, path, "missing features, columns, label or intercept");
	if (rc == 0) {
		struct xo_buf spec = XO_BUF_INIT;
		size_t i;
		const json_t *f;
		json_array_foreach(features, i, f) {
			const json_t *p = json_object_get(f, "path"), *t = json_object_get(f, "type");
			if (!json_is_string(p) || !json_is_string(t)) {
				rc = load_error(err, path, "a feature without path or type");
				break;
			}
			xo_buf_printf(&spec, "%s%s:%s", i ? "\n" : "", json_string_value(p),
				      json_string_value(t));
		}
		struct xo_buf why = XO_BUF_INIT;
		if (rc == 0 && xo_features_parse(&m->fs, spec.data ? spec.data : "", &why) != 0)
			rc = load_error(err, path, xo_buf_str(&why));
		xo_buf_free(&why);
		xo_buf_free(&spec);
		/* A path the spec syntax reads otherwise (a ',', a '#') would
		 * give other features than the file's. */
		if (rc == 0 && m->fs.n != json_array_size(features))
			rc = load_error(err, path, "a feature path that is not one path");
		for (i = 0; rc == 0 && i < m->fs.n; i++)
			if (strcmp(m->fs.f[i].text,
				   json_string_value(json_object_get(json_array_get(features, i), "path"))) != 0)
				rc = load_error(err, path, "a feature path that is not one path");
	}
	if (rc == 0) {
		size_t i;
		const json_t *f;
		json_array_foreach(features, i, f) {
			m->fs.f[i].mean = json_number_value(json_object_get(f, "mean"));
			double sd = json_number_value(json_object_get(f, "sd"));
			m->fs.f[i].sd = sd > 0 ? sd : 1;
		}
		rc = load_columns(m, cols, path, err);
	}
	if (rc != 0) {
		json_decref(root);
		xo_model_free(m);
		return NULL;
	}
	m->label = xo_strdup(json_string_value(label));
	m->positive = json_is_string(pos) ? xo_strdup(json_string_value(pos)) : NULL;
	m->intercept = json_number_value(icpt);
	m->info = json_object();
	json_object_set(m->info, "trained", json_object_get(root, "trained"));
	json_object_set(m->info, "holdout", json_object_get(root, "holdout"));
	json_decref(root);
	compute_baseline(m);
	return m;
}

void xo_model_free(struct xo_model *m)
{
	if (!m)
		return;
	xo_features_free(&m->fs);
	free(m->label);
	free(m->positive);
	free(m->baseline);
	json_decref(m->info);
	free(m);
}

/* --- prediction ---------------------------------------------------- */

int xo_model_predict(const struct xo_model *m, const json_t *rec, struct xo_encoded *enc,
		     struct xo_buf *scratch, double *p, struct xo_contribution *top,
		     int n_top, int *got, struct xo_buf *why)
{
	if (xo_features_encode(&m->fs, rec, enc, scratch, why) != 0)
		return -1;
	*p = sigmoid(linear(m, enc));
	if (!top)
		return 0;
	/* Each feature's contribution: sum over its columns of
	 * w (x - mean) = baseline + sum over present columns of w x. */
	double contribution[64];
	double *c = m->fs.n <= 64 ? contribution : xo_malloc(m->fs.n * sizeof *c);
	memcpy(c, m->baseline, m->fs.n * sizeof *c);
	for (size_t k = 0; k < enc->n; k++) {
		const struct xo_column *col = &m->fs.cols[enc->col[k]];
		c[col->feature] += col->weight * enc->val[k];
	}
	*got = 0;
	for (int t = 0; t < n_top; t++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < m->fs.n; i++) {
			int taken = 0;
			for (int j = 0; j < *got; j++)
				taken |= top[j].feature == i;
			if (!taken && c[i] > 1e-12 && (best == SIZE_MAX || c[i] > c[best]))
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		top[(*got)++] = (struct xo_contribution){ best, c[best] };
	}
	if (c != contribution)
		free(c);
	return 0;
}

json_t *xo_holdout_json(const struct xo_holdout_report *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "records", json_integer((json_int_t)r->holdout));
	json_object_set_new(o, "positives", json_integer((json_int_t)r->holdout_positives));
	json_object_set_new(o, "auc", real_or_null(r->auc));
	json_object_set_new(o, "log_loss", real_or_null(r->log_loss));
	json_object_set_new(o, "accuracy", real_or_null(r->accuracy));
	json_object_set_new(o, "brier", real_or_null(r->brier));
	json_t *bins = json_array();
	for (int b = 0; b < r->n_bins; b++) {
		json_t *bin = json_object();
		json_object_set_new(bin, "from", json_real(r->bins[b].from));
		json_object_set_new(bin, "to", json_real(r->bins[b].to));
		json_object_set_new(bin, "n", json_integer((json_int_t)r->bins[b].n));
		json_object_set_new(bin, "mean_p", real_or_null(r->bins[b].mean_p));
		json_object_set_new(bin, "observed", real_or_null(r->bins[b].observed));
		json_array_append_new(bins, bin);
	}
	json_object_set_new(o, "calibration", bins);
	return o;
}

void xo_holdout_free(struct xo_holdout_report *r)
{
	free(r->bins);
	r->bins = NULL;
}
