#include "decide.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "mem.h"
#include "policy.h"

enum kind { K_ELIGIBLE, K_FAILED, K_ERROR, K_UNSCORED };

/* What happened to one action for the current record. */
struct outcome {
	enum kind kind;
	size_t cond;          /* K_FAILED, K_ERROR: which condition */
	size_t msg;           /* offset of a message in notes (K_ERROR, K_UNSCORED, block) */
	double value, propensity, weight, priority;
	enum xo_block block;
	int chosen;           /* rank from 1, 0 when not chosen */
	int human;
	size_t review_msg;
	int64_t review_id;
	char decision_id[18];
};

/* The paths each condition reads, to show their values when it fails,
 * with their JSON keys made once. */
struct cond_paths {
	size_t *slots;
	const char **names;
	char **keys;          /* "PATH": */
	size_t n;
	char *fail;           /* {"action":"NAME","line":N,"condition":"TEXT" */
};

/* The constant parts of an action's JSON, escaped once. */
struct action_json {
	char *action;         /* "action":"NAME" */
	char *decision;       /* ,"action":"NAME","channel":"CHANNEL" */
	char *tail;           /* ,"group":"G","note":"N"} */
	char *unscored;       /* {"action":"NAME","line":N,"unscored": */
};

struct xo_decider {
	const struct xo_rules *rules;
	struct xo_dstate *state;
	struct xo_decide_opts opts;
	struct xo_expr_ctx *ctx;
	struct outcome *out;         /* one per action */
	size_t *ranked;              /* eligible actions, best first */
	size_t n_ranked;
	struct cond_paths **paths;   /* [action][condition] */
	struct action_json *js;      /* [action] */
	const struct xo_action **chosen;
	struct xo_history history;
	struct xo_policy_run run;
	struct xo_buf notes;         /* messages of the current record, NUL-separated */
	struct xo_buf tmp;
	struct xo_decide_stats stats;
	const char *xid;
	xo_time_t now;
};

static char *json_text(const char *s)
{
	struct xo_buf b = XO_BUF_INIT;
	xo_buf_add_json_string(&b, s, strlen(s));
	return xo_buf_steal(&b);
}

static void add_path(const char *path, size_t slot, void *arg)
{
	struct cond_paths *cp = arg;
	cp->slots = xo_realloc(cp->slots, (cp->n + 1) * sizeof *cp->slots);
	cp->names = xo_realloc(cp->names, (cp->n + 1) * sizeof *cp->names);
	cp->keys = xo_realloc(cp->keys, (cp->n + 1) * sizeof *cp->keys);
	cp->slots[cp->n] = slot;
	cp->names[cp->n] = path;
	struct xo_buf key = XO_BUF_INIT;
	xo_buf_add_json_string(&key, path, strlen(path));
	xo_buf_addc(&key, ':');
	cp->keys[cp->n++] = xo_buf_steal(&key);
}

static void make_json(const struct xo_rules *r, const struct xo_action *a, struct action_json *js,
		      struct cond_paths *cps)
{
	struct xo_buf b = XO_BUF_INIT;
	char *name = json_text(a->name);
	xo_buf_printf(&b, "\"action\":%s", name);
	js->action = xo_buf_steal(&b);
	char *ch = json_text(a->channel);
	xo_buf_printf(&b, ",\"action\":%s,\"channel\":%s", name, ch);
	js->decision = xo_buf_steal(&b);
	if (a->group >= 0) {
		char *g = json_text(r->groups[a->group].name);
		xo_buf_printf(&b, ",\"group\":%s", g);
		free(g);
	}
	if (a->note) {
		char *n = json_text(a->note);
		xo_buf_printf(&b, ",\"note\":%s", n);
		free(n);
	}
	xo_buf_addc(&b, '}');
	js->tail = xo_buf_steal(&b);
	xo_buf_printf(&b, "{\"action\":%s,\"line\":%ld,\"unscored\":", name, a->line);
	js->unscored = xo_buf_steal(&b);
	for (size_t j = 0; j < a->n_conds; j++) {
		char *text = json_text(xo_expr_text(a->conds[j]));
		xo_buf_printf(&b, "{\"action\":%s,\"line\":%ld,\"condition\":%s", name,
			      xo_expr_line(a->conds[j]), text);
		cps[j].fail = xo_buf_steal(&b);
		free(text);
	}
	free(name);
	free(ch);
}

struct xo_decider *xo_decider_new(const struct xo_rules *rules, struct xo_dstate *state,
				  const struct xo_decide_opts *opts)
{
	struct xo_decider *d = xo_calloc(1, sizeof *d);
	d->rules = rules;
	d->state = state;
	d->opts = *opts;
	if (d->opts.top <= 0)
		d->opts.top = rules->policy.top;
	d->ctx = xo_expr_ctx_new(rules->env);
	d->out = xo_calloc(rules->n_actions, sizeof *d->out);
	d->ranked = xo_calloc(rules->n_actions, sizeof *d->ranked);
	d->chosen = xo_calloc(rules->n_actions, sizeof *d->chosen);
	d->paths = xo_calloc(rules->n_actions, sizeof *d->paths);
	d->js = xo_calloc(rules->n_actions, sizeof *d->js);
	for (size_t i = 0; i < rules->n_actions; i++) {
		const struct xo_action *a = &rules->actions[i];
		d->paths[i] = xo_calloc(a->n_conds ? a->n_conds : 1, sizeof **d->paths);
		for (size_t j = 0; j < a->n_conds; j++)
			xo_expr_each_path(a->conds[j], add_path, &d->paths[i][j]);
		make_json(rules, a, &d->js[i], d->paths[i]);
	}
	return d;
}

void xo_decider_free(struct xo_decider *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->rules->n_actions; i++) {
		size_t n = d->rules->actions[i].n_conds;
		for (size_t j = 0; j < n; j++) {
			struct cond_paths *cp = &d->paths[i][j];
			for (size_t k = 0; k < cp->n; k++)
				free(cp->keys[k]);
			free(cp->keys);
			free(cp->slots);
			free(cp->names);
			free(cp->fail);
		}
		free(d->paths[i]);
		free(d->js[i].action);
		free(d->js[i].decision);
		free(d->js[i].tail);
		free(d->js[i].unscored);
	}
	free(d->paths);
	free(d->js);
	xo_expr_ctx_free(d->ctx);
	free(d->out);
	free(d->ranked);
	free(d->chosen);
	xo_history_free(&d->history);
	xo_policy_run_free(&d->run);
	xo_buf_free(&d->notes);
	xo_buf_free(&d->tmp);
	free(d);
}

const struct xo_decide_stats *xo_decider_stats(const struct xo_decider *d)
{
	return &d->stats;
}

static size_t note(struct xo_decider *d, const char *s)
{
	size_t at = d->notes.len;
	xo_buf_adds(&d->notes, s);
	xo_buf_addc(&d->notes, '\0');
	return at;
}

static const char *note_text(const struct xo_decider *d, size_t at)
{
	return d->notes.data + at;
}

/* ---- eligibility and scores ---- */

/* A score: a number (or a string holding one); 1 when absent. */
static int score(struct xo_decider *d, const struct xo_expr *e, const char *what, double *out,
		 struct outcome *o)
{
	if (!e) {
		*out = 1;
		return 0;
	}
	xo_expr_ctx_clear_error(d->ctx);
	struct xo_val v = xo_expr_eval(e, d->ctx);
	xo_buf_reset(&d->tmp);
	if (v.type == XO_VAL_ERROR) {
		xo_buf_printf(&d->tmp, "%s %s: %s", what, xo_expr_text(e), xo_expr_ctx_error(d->ctx));
	} else if (v.type == XO_VAL_NUM) {
		*out = v.num;
		return 0;
	} else if (v.type == XO_VAL_STR) {
		if (xo_str_to_num(v.str, v.len, out) == 0)
			return 0;
		xo_buf_printf(&d->tmp, "%s %s is not a number", what, xo_expr_text(e));
	} else {
		xo_buf_printf(&d->tmp, "%s %s is %s", what, xo_expr_text(e),
			      v.type == XO_VAL_NULL ? "null" : "not a number");
	}
	o->kind = K_UNSCORED;
	o->msg = note(d, xo_buf_str(&d->tmp));
	return -1;
}

static void evaluate(struct xo_decider *d, size_t i)
{
	const struct xo_action *a = &d->rules->actions[i];
	struct outcome *o = &d->out[i];
	memset(o, 0, sizeof *o);
	for (size_t j = 0; j < a->n_conds; j++) {
		xo_expr_ctx_clear_error(d->ctx);
		struct xo_val v = xo_expr_eval(a->conds[j], d->ctx);
		if (v.type == XO_VAL_ERROR) {
			o->kind = K_ERROR;
			o->cond = j;
			o->msg = note(d, xo_expr_ctx_error(d->ctx));
			return;
		}
		if (!xo_val_truthy(&v)) {
			o->kind = K_FAILED;
			o->cond = j;
			return;
		}
	}
	if (score(d, a->propensity, "propensity", &o->propensity, o) != 0 ||
	    score(d, a->value, "value", &o->value, o) != 0 ||
	    score(d, a->weight, "weight", &o->weight, o) != 0)
		return;
	o->priority = o->propensity * o->value * o->weight;
	o->kind = K_ELIGIBLE;
}

static const struct xo_decider *sort_decider;

static int by_priority(const void *x, const void *y)
{
	const struct xo_decider *d = sort_decider;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	double pi = d->out[i].priority, pj = d->out[j].priority;
	if (pi != pj)
		return pi > pj ? -1 : 1;
	return strcmp(d->rules->actions[i].name, d->rules->actions[j].name);
}

static void rank(struct xo_decider *d)
{
	d->n_ranked = 0;
	for (size_t i = 0; i < d->rules->n_actions; i++)
		if (d->out[i].kind == K_ELIGIBLE)
			d->ranked[d->n_ranked++] = i;
	sort_decider = d;
	qsort(d->ranked, d->n_ranked, sizeof *d->ranked, by_priority);
	sort_decider = NULL;
}

/* ---- policy and routing ---- */

static void set_vars(struct xo_decider *d, size_t i)
{
	const struct xo_rules *r = d->rules;
	const struct xo_action *a = &r->actions[i];
	const struct outcome *o = &d->out[i];
	struct xo_val v = { XO_VAL_NUM, 0, 0, NULL, 0, NULL };
	v.num = o->value;
	xo_expr_ctx_set_var(d->ctx, r->var_value, v);
	v.num = o->propensity;
	xo_expr_ctx_set_var(d->ctx, r->var_propensity, v);
	v.num = o->weight;
	xo_expr_ctx_set_var(d->ctx, r->var_weight, v);
	v.num = o->priority;
	xo_expr_ctx_set_var(d->ctx, r->var_priority, v);
	v.type = XO_VAL_STR;
	v.str = a->name;
	v.len = strlen(a->name);
	xo_expr_ctx_set_var(d->ctx, r->var_action, v);
	v.str = a->channel;
	v.len = strlen(a->channel);
	xo_expr_ctx_set_var(d->ctx, r->var_channel, v);
}

static void decision_id(struct xo_decider *d, size_t i, char out[18])
{
	struct xo_hasher h;
	char num[32];
	xo_hasher_init(&h, &XO_HASH_PUBLIC);
	xo_hasher_add(&h, d->xid, strlen(d->xid) + 1);
	xo_hasher_add(&h, d->rules->actions[i].name, strlen(d->rules->actions[i].name) + 1);
	int n = snprintf(num, sizeof num, "%lld/%zu", (long long)d->now, d->history.n);
	xo_hasher_add(&h, num, (size_t)n);
	out[0] = 'd';
	xo_hash_hex(xo_hasher_end(&h), out + 1);
}

static int apply_policy(struct xo_decider *d)
{
	size_t n_chosen = 0;
	if (d->n_ranked == 0)
		return 0;
	xo_time_t since = d->now - d->rules->policy.horizon;
	xo_dstate_history(d->state, d->xid, since, d->now, &d->history);
	xo_policy_run_init(&d->run, d->rules, d->ctx, d->xid, d->now, &d->history);
	for (size_t k = 0; k < d->n_ranked; k++) {
		size_t i = d->ranked[k];
		const struct xo_action *a = &d->rules->actions[i];
		struct outcome *o = &d->out[i];
		d->run.chosen = d->chosen;
		d->run.n_chosen = n_chosen;
		xo_buf_reset(&d->tmp);
		if ((int)n_chosen >= d->opts.top) {
			o->block = XO_BLOCK_TOP;
			xo_buf_printf(&d->tmp, "ranked %zu; only the top %d are taken", k + 1, d->opts.top);
		} else {
			o->block = xo_policy_check(&d->run, a, &d->tmp);
		}
		if (o->block != XO_BLOCK_NONE) {
			o->msg = note(d, xo_buf_str(&d->tmp));
			continue;
		}
		d->chosen[n_chosen++] = a;
		o->chosen = (int)n_chosen;
		set_vars(d, i);
		xo_buf_reset(&d->tmp);
		o->human = xo_policy_needs_review(&d->run, a, &d->tmp);
		if (o->human)
			o->review_msg = note(d, xo_buf_str(&d->tmp));
		decision_id(d, i, o->decision_id);
	}
	return (int)n_chosen;
}

/* ---- NDJSON ---- */

static void json_key(struct xo_buf *b, const char *key)
{
	xo_buf_add_json_string(b, key, strlen(key));
	xo_buf_addc(b, ':');
}

static void json_str_member(struct xo_buf *b, const char *key, const char *s)
{
	json_key(b, key);
	xo_buf_add_json_string(b, s, strlen(s));
}

/* The four scores, each after its label. */
static void scores(struct xo_buf *b, const struct outcome *o, const char *const labels[4])
{
	const double v[4] = { o->priority, o->propensity, o->value, o->weight };
	for (int i = 0; i < 4; i++) {
		xo_buf_adds(b, labels[i]);
		xo_num_to_json(b, v[i]);
	}
}

/* ,"priority":P,"propensity":P,"value":V,"weight":W */
static void json_scores(struct xo_buf *b, const struct outcome *o)
{
	static const char *const labels[4] = {
		",\"priority\":", ",\"propensity\":", ",\"value\":", ",\"weight\":",
	};
	scores(b, o, labels);
}

static const char *status_of(const struct xo_decider *d, const struct outcome *o)
{
	if (!d->opts.record)
		return "dry_run";
	return o->human ? "queued" : "sent";
}

static void json_decision(struct xo_decider *d, struct xo_buf *b, size_t i, int with_review_id)
{
	const struct outcome *o = &d->out[i];
	xo_buf_adds(b, "{\"rank\":");
	xo_num_to_json(b, o->chosen);
	xo_buf_adds(b, d->js[i].decision);
	xo_buf_adds(b, o->human ? ",\"route\":\"human\"" : ",\"route\":\"auto\"");
	xo_buf_adds(b, ",\"status\":\"");
	xo_buf_adds(b, status_of(d, o));
	xo_buf_adds(b, "\",\"decision_id\":\"");
	xo_buf_adds(b, o->decision_id);
	xo_buf_addc(b, '"');
	if (o->human) {
		if (with_review_id && o->review_id > 0) {
			xo_buf_adds(b, ",\"review_id\":");
			xo_num_to_json(b, (double)o->review_id);
		}
		xo_buf_addc(b, ',');
		json_str_member(b, "review_reason", note_text(d, o->review_msg));
	}
	json_scores(b, o);
	xo_buf_adds(b, d->js[i].tail);
}

static void json_values(struct xo_decider *d, struct xo_buf *b, const struct cond_paths *cp)
{
	xo_buf_adds(b, ",\"values\":{");
	for (size_t k = 0; k < cp->n; k++) {
		if (k)
			xo_buf_addc(b, ',');
		xo_buf_adds(b, cp->keys[k]);
		struct xo_val v = xo_expr_ctx_path(d->ctx, cp->slots[k]);
		if (v.type == XO_VAL_JSON) {
			/* Whole arrays and objects would drown the trace. */
			size_t n = json_is_array(v.json) ? json_array_size(v.json) : json_object_size(v.json);
			xo_buf_reset(&d->tmp);
			xo_buf_printf(&d->tmp, "(%s of %zu)", json_is_array(v.json) ? "array" : "object", n);
			xo_buf_add_json_string(b, d->tmp.data, d->tmp.len);
		} else {
			xo_val_to_json(b, &v);
		}
	}
	xo_buf_addc(b, '}');
}

static void json_trace(struct xo_decider *d, struct xo_buf *b)
{
	const struct xo_rules *r = d->rules;
	xo_buf_adds(b, ",\"trace\":{\"eligible\":[");
	for (size_t k = 0; k < d->n_ranked; k++) {
		size_t i = d->ranked[k];
		xo_buf_adds(b, k ? ",{" : "{");
		xo_buf_adds(b, d->js[i].action);
		json_scores(b, &d->out[i]);
		xo_buf_addc(b, '}');
	}
	xo_buf_adds(b, "],\"failed\":[");
	int first = 1;
	for (size_t i = 0; i < r->n_actions; i++) {
		const struct outcome *o = &d->out[i];
		if (o->kind == K_ELIGIBLE)
			continue;
		if (!first)
			xo_buf_addc(b, ',');
		first = 0;
		if (o->kind == K_UNSCORED) {
			xo_buf_adds(b, d->js[i].unscored);
			const char *why = note_text(d, o->msg);
			xo_buf_add_json_string(b, why, strlen(why));
		} else {
			const struct cond_paths *cp = &d->paths[i][o->cond];
			xo_buf_adds(b, cp->fail);
			if (o->kind == K_ERROR) {
				xo_buf_addc(b, ',');
				json_str_member(b, "error", note_text(d, o->msg));
			}
			json_values(d, b, cp);
		}
		xo_buf_addc(b, '}');
	}
	xo_buf_adds(b, "],\"removed\":[");
	first = 1;
	for (size_t k = 0; k < d->n_ranked; k++) {
		size_t i = d->ranked[k];
		const struct outcome *o = &d->out[i];
		if (o->chosen)
			continue;
		xo_buf_adds(b, first ? "{" : ",{");
		first = 0;
		xo_buf_adds(b, d->js[i].action);
		xo_buf_addc(b, ',');
		json_str_member(b, "policy", xo_block_name(o->block));
		xo_buf_addc(b, ',');
		json_str_member(b, "why", note_text(d, o->msg));
		xo_buf_addc(b, '}');
	}
	xo_buf_adds(b, "]}");
}

static void json_record(struct xo_decider *d, struct xo_buf *b, int with_review_ids, int trace)
{
	char at[XO_TIME_BUFSIZE];
	xo_time_format(d->now, at);
	xo_buf_addc(b, '{');
	json_str_member(b, "xid", d->xid);
	xo_buf_addc(b, ',');
	json_str_member(b, "at", at);
	xo_buf_adds(b, ",\"decisions\":[");
	int first = 1;
	for (int rank_no = 1; rank_no <= d->opts.top; rank_no++) {
		for (size_t k = 0; k < d->n_ranked; k++) {
			size_t i = d->ranked[k];
			if (d->out[i].chosen != rank_no)
				continue;
			if (!first)
				xo_buf_addc(b, ',');
			first = 0;
			json_decision(d, b, i, with_review_ids);
		}
	}
	xo_buf_addc(b, ']');
	if (trace)
		json_trace(d, b);
	xo_buf_addc(b, '}');
}

/* ---- text for people (--explain) ---- */

static void text_scores(struct xo_buf *b, const struct outcome *o)
{
	static const char *const labels[4] = {
		"priority ", " = propensity ", " x value ", " x weight ",
	};
	scores(b, o, labels);
}

static void explain(struct xo_decider *d, struct xo_buf *b, int n_chosen)
{
	const struct xo_rules *r = d->rules;
	char at[XO_TIME_BUFSIZE];
	xo_time_format(d->now, at);
	xo_buf_printf(b, "%s at %s: %d decision%s\n", d->xid, at, n_chosen, n_chosen == 1 ? "" : "s");
	for (int rank_no = 1; rank_no <= n_chosen; rank_no++) {
		for (size_t k = 0; k < d->n_ranked; k++) {
			size_t i = d->ranked[k];
			const struct outcome *o = &d->out[i];
			if (o->chosen != rank_no)
				continue;
			const struct xo_action *a = &r->actions[i];
			xo_buf_printf(b, "  %d. %s by %s", rank_no, a->name, a->channel);
			if (o->human) {
				xo_buf_adds(b, ", to a person for review");
				if (o->review_id > 0)
					xo_buf_printf(b, " (review %lld)", (long long)o->review_id);
				xo_buf_printf(b, ": %s", note_text(d, o->review_msg));
			}
			xo_buf_printf(b, "%s\n     ", d->opts.record ? "" : " [dry run]");
			text_scores(b, o);
			xo_buf_addc(b, '\n');
			if (a->note)
				xo_buf_printf(b, "     note: %s\n", a->note);
		}
	}
	if (d->n_ranked) {
		xo_buf_adds(b, "  eligible, best first:\n");
		for (size_t k = 0; k < d->n_ranked; k++) {
			size_t i = d->ranked[k];
			xo_buf_printf(b, "    %s: ", r->actions[i].name);
			text_scores(b, &d->out[i]);
			xo_buf_addc(b, '\n');
		}
	}
	int header = 0;
	for (size_t k = 0; k < d->n_ranked; k++) {
		const struct outcome *o = &d->out[d->ranked[k]];
		if (o->chosen)
			continue;
		if (!header++)
			xo_buf_adds(b, "  removed by policy:\n");
		xo_buf_printf(b, "    %s: %s: %s\n", r->actions[d->ranked[k]].name,
			      xo_block_name(o->block), note_text(d, o->msg));
	}
	header = 0;
	for (size_t i = 0; i < r->n_actions; i++) {
		const struct outcome *o = &d->out[i];
		const struct xo_action *a = &r->actions[i];
		if (o->kind == K_ELIGIBLE)
			continue;
		if (!header++)
			xo_buf_adds(b, "  not eligible:\n");
		if (o->kind == K_UNSCORED) {
			xo_buf_printf(b, "    %s (line %ld): cannot score: %s\n", a->name, a->line,
				      note_text(d, o->msg));
			continue;
		}
		const struct xo_expr *c = a->conds[o->cond];
		xo_buf_printf(b, "    %s (line %ld): %s %s", a->name, xo_expr_line(c),
			      xo_expr_text(c), o->kind == K_ERROR ? "failed: " : "does not hold");
		if (o->kind == K_ERROR)
			xo_buf_adds(b, note_text(d, o->msg));
		const struct cond_paths *cp = &d->paths[i][o->cond];
		for (size_t k = 0; k < cp->n; k++) {
			struct xo_val v = xo_expr_ctx_path(d->ctx, cp->slots[k]);
			xo_buf_printf(b, "%s%s = ", k ? ", " : " [", cp->names[k]);
			if (v.type == XO_VAL_JSON)
				xo_buf_adds(b, json_is_array(v.json) ? "(array)" : "(object)");
			else
				xo_val_to_json(b, &v);
		}
		xo_buf_adds(b, cp->n ? "]\n" : "\n");
	}
}

/* ---- recording ---- */

static void record(struct xo_decider *d)
{
	const struct xo_rules *r = d->rules;
	struct xo_buf line = XO_BUF_INIT;
	for (size_t k = 0; k < d->n_ranked; k++) {
		size_t i = d->ranked[k];
		struct outcome *o = &d->out[i];
		const struct xo_action *a = &r->actions[i];
		const char *group = a->group >= 0 ? r->groups[a->group].name : "";
		if (!o->chosen)
			continue;
		if (!o->human) {
			xo_dstate_contact(d->state, d->xid, d->now, a->name, a->channel, group,
					  o->decision_id);
			continue;
		}
		if (line.len == 0)
			json_record(d, &line, 0, 1);
		o->review_id = xo_dstate_queue(d->state, d->xid, d->now, a->name, a->channel, group,
					       o->decision_id, note_text(d, o->review_msg),
					       xo_buf_str(&line));
		d->stats.queued++;
	}
	xo_buf_free(&line);
}

int xo_decide(struct xo_decider *d, const json_t *rec, xo_time_t now, struct xo_buf *out,
	      struct xo_buf *why)
{
	const json_t *xid = json_object_get(rec, "xid");
	if (!json_is_string(xid) || json_string_length(xid) == 0) {
		xo_buf_reset(why);
		xo_buf_adds(why, xid ? "\"xid\" is not a non-empty string" : "no \"xid\"");
		return -1;
	}
	d->xid = json_string_value(xid);
	d->now = now;
	xo_buf_reset(&d->notes);
	d->history.n = 0;
	xo_expr_ctx_reset(d->ctx, rec, now);
	for (size_t i = 0; i < d->rules->n_actions; i++)
		evaluate(d, i);
	rank(d);
	int n = apply_policy(d);
	if (n > 0 && d->opts.record)
		record(d);
	if (d->opts.explain) {
		explain(d, out, n);
		xo_buf_addc(out, '\n');
	}
	else {
		json_record(d, out, 1, d->opts.trace);
		xo_buf_addc(out, '\n');
	}
	d->stats.records++;
	d->stats.decisions += (uint64_t)n;
	if (n == 0)
		d->stats.without++;
	return n;
}
