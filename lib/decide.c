#include "decide.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "mem.h"
#include "policy.h"

/* K_UNTRIED: conditions not evaluated, as no trace shows them and the
 * top K were chosen before (decide_best_first). */
enum kind { K_ELIGIBLE, K_FAILED, K_ERROR, K_UNSCORED, K_UNTRIED };

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

/* A constant piece of output, made once, with its length. */
struct text {
	char *s;
	size_t len;
};

/* Appending short pieces is most of the trace's cost: these are
 * inline (the buffer stays NUL-terminated, as xo_buf promises). */
static inline void put(struct xo_buf *b, const void *s, size_t n)
{
	xo_buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void put1(struct xo_buf *b, char c)
{
	xo_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

#define ADD_LIT(b, lit) put((b), (lit), sizeof(lit) - 1)

/* The paths each condition reads, to show their values when it fails,
 * with their JSON keys made once. */
struct cond_paths {
	size_t *slots;
	const char **names;
	struct text *keys;    /* "PATH": */
	size_t n;
	struct text fail;     /* {"action":"NAME","line":N,"condition":"TEXT" */
	size_t same;          /* the first condition written the same way */
};

/* What a condition gave for the current record: conditions written the
 * same way in several actions are evaluated once. */
struct cond_result {
	unsigned gen;         /* the record's; else unknown */
	int holds;            /* 1, 0, or -1 for an error */
	size_t msg;           /* the error, in notes */
};

/* An action to try, with what ranks it (see ranks_before). */
struct candidate {
	double priority;
	uint32_t name_rank;
	uint32_t action;
};

/* Actions whose value and weight are constants and whose propensity is
 * one expression they share: for a propensity above 0 they rank in the
 * order of value x weight, made once. Each record checks that order
 * (rounding, or a propensity of 0 or less, can change it); when it does
 * not hold, the heap takes them. */
struct shared_run {
	uint32_t *actions;    /* best first for a propensity of 1 */
	size_t n;
	size_t next;          /* the next to try in this record */
};

/* The constant parts of an action's JSON, escaped once. */
struct action_json {
	struct text action;   /* "action":"NAME" */
	struct text decision; /* ,"action":"NAME","channel":"CHANNEL" */
	struct text tail;     /* ,"group":"G","note":"N"} */
	struct text unscored; /* {"action":"NAME","line":N,"unscored": */
};

/* Numbers written lately, by their bits: values and weights are mostly
 * constants and propensities often one field of the record, so most
 * scores in a trace were written before. */
struct num_memo {
	double v;
	unsigned char len;    /* 0: empty */
	char s[31];
};

#define NUM_MEMOS 256

/* A score whose expression is a constant number, worked out once; or
 * the number of its value in the current record (score_memo), shared
 * by the scores written the same way (in the bench's rules, half the
 * actions have "propensity prediction.p"). */
struct fixed_score {
	int known;
	double v;
	size_t same;
};

struct score_memo {
	unsigned gen;         /* the record's; else unknown */
	struct xo_val v;
	size_t msg;           /* the error, in notes */
};

/* The JSON text of a path's value in the current record (trace values
 * of failed conditions), made once per record. */
struct slot_text {
	unsigned gen;
	size_t off, len;      /* in the decider's values buffer */
};

struct xo_decider {
	const struct xo_rules *rules;
	struct xo_dstate *state;
	struct xo_decide_opts opts;
	struct xo_expr_ctx *ctx;
	struct outcome *out;         /* one per action */
	size_t *ranked;              /* eligible actions, best first */
	size_t n_ranked;
	uint32_t *name_rank;         /* [action]: its place in the order of names */
	struct candidate *heap;      /* decide_best_first's candidates */
	struct candidate *fixed_order; /* the actions whose scores are all fixed, best first */
	size_t n_fixed_order;
	struct shared_run *runs;     /* the actions sharing a propensity */
	size_t n_runs;
	uint32_t *varying;           /* the others, ranked with a heap */
	size_t n_varying;
	struct cond_paths **paths;   /* [action][condition] */
	struct action_json *js;      /* [action] */
	const struct xo_action **chosen;
	struct xo_history history;
	struct xo_policy_run run;
	struct xo_buf notes;         /* messages of the current record, NUL-separated */
	struct xo_buf tmp;
	struct xo_buf review_line;   /* the decision a review keeps; reused */
	struct num_memo *memo;       /* [NUM_MEMOS] */
	struct fixed_score (*fixed)[3]; /* [action][propensity, value, weight] */
	const struct xo_expr **score_exprs; /* every score not known, once */
	struct score_memo *score_memo;  /* [fixed_score.same] */
	size_t n_scores;
	struct text *top_notes;      /* [rank - 1]: "ranked K; only the top N are taken" */
	const struct xo_expr **conds; /* every condition once, by cond_paths.same */
	uint32_t *same;              /* cond_paths.same of every condition, action by action */
	uint32_t *first_same;        /* [action]: its first in same */
	struct cond_result *results;  /* [cond_paths.same] */
	size_t n_conds;
	struct slot_text *slot_text; /* [path slot] */
	size_t n_slot_text;
	struct xo_buf values;        /* the texts of slot_text */
	unsigned gen;                /* of the current record, for slot_text */
	xo_time_t at_time;           /* the time in at_text */
	char at_text[XO_TIME_BUFSIZE];
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

/* What was built in b, as a text; b is empty after. */
static struct text steal_text(struct xo_buf *b)
{
	struct text t = { NULL, b->len };
	t.s = b->len ? xo_buf_steal(b) : xo_strdup("");
	return t;
}

static void add_text(struct xo_buf *b, const struct text *t)
{
	put(b, t->s, t->len);
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
	cp->keys[cp->n++] = steal_text(&key);
}

static void make_json(const struct xo_rules *r, const struct xo_action *a, struct action_json *js,
		      struct cond_paths *cps)
{
	struct xo_buf b = XO_BUF_INIT;
	char *name = json_text(a->name);
	xo_buf_printf(&b, "\"action\":%s", name);
	js->action = steal_text(&b);
	char *ch = json_text(a->channel);
	xo_buf_printf(&b, ",\"action\":%s,\"channel\":%s", name, ch);
	js->decision = steal_text(&b);
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
	js->tail = steal_text(&b);
	xo_buf_printf(&b, "{\"action\":%s,\"line\":%ld,\"unscored\":", name, a->line);
	js->unscored = steal_text(&b);
	for (size_t j = 0; j < a->n_conds; j++) {
		char *text = json_text(xo_expr_text(a->conds[j]));
		xo_buf_printf(&b, "{\"action\":%s,\"line\":%ld,\"condition\":%s", name,
			      xo_expr_line(a->conds[j]), text);
		cps[j].fail = steal_text(&b);
		free(text);
	}
	free(name);
	free(ch);
}

/* The number of e among the n in *list, written the same way at the
 * same column (so that their errors read the same); added when new. */
static size_t same_expr(const struct xo_expr ***list, size_t *n, const struct xo_expr *e)
{
	for (size_t k = 0; k < *n; k++)
		if (xo_expr_col((*list)[k]) == xo_expr_col(e) &&
		    strcmp(xo_expr_text((*list)[k]), xo_expr_text(e)) == 0)
			return k;
	*list = xo_realloc(*list, (*n + 1) * sizeof **list);
	(*list)[*n] = e;
	return (*n)++;
}

/* Scores written as constant numbers ("value 400", "weight 1.5") are
 * worked out once; others, errors included, at each record. */
static void fix_scores(struct xo_decider *d)
{
	xo_expr_ctx_reset_scanned(d->ctx, NULL, NULL, 0);
	for (size_t i = 0; i < d->rules->n_actions; i++) {
		const struct xo_action *a = &d->rules->actions[i];
		const struct xo_expr *e[3] = { a->propensity, a->value, a->weight };
		for (int k = 0; k < 3; k++) {
			if (!e[k] || !xo_expr_is_const(e[k]))
				continue;
			xo_expr_ctx_clear_error(d->ctx);
			struct xo_val v = xo_expr_eval(e[k], d->ctx);
			if (v.type == XO_VAL_NUM)
				d->fixed[i][k].v = v.num;
			else if (v.type != XO_VAL_STR || xo_str_to_num(v.str, v.len, &d->fixed[i][k].v) != 0)
				continue;
			d->fixed[i][k].known = 1;
		}
	}
	for (size_t i = 0; i < d->rules->n_actions; i++) {
		const struct xo_action *a = &d->rules->actions[i];
		const struct xo_expr *e[3] = { a->propensity, a->value, a->weight };
		for (int k = 0; k < 3; k++)
			if (e[k] && !d->fixed[i][k].known)
				d->fixed[i][k].same = same_expr(&d->score_exprs, &d->n_scores, e[k]);
	}
	d->score_memo = xo_calloc(d->n_scores ? d->n_scores : 1, sizeof *d->score_memo);
}

/* Number the conditions, sharing a number between those written the
 * same way at the same column (so their errors read the same) that
 * read no $variable. */
static void share_conds(struct xo_decider *d)
{
	const struct xo_rules *r = d->rules;
	for (size_t i = 0; i < r->n_actions; i++) {
		for (size_t j = 0; j < r->actions[i].n_conds; j++) {
			const struct xo_expr *e = r->actions[i].conds[j];
			size_t k = 0;
			if (!xo_expr_uses_vars(e))
				for (; k < d->n_conds; k++)
					if (!xo_expr_uses_vars(d->conds[k]) &&
					    xo_expr_col(d->conds[k]) == xo_expr_col(e) &&
					    strcmp(xo_expr_text(d->conds[k]), xo_expr_text(e)) == 0)
						break;
			if (xo_expr_uses_vars(e) || k == d->n_conds) {
				d->conds = xo_realloc(d->conds, (d->n_conds + 1) * sizeof *d->conds);
				k = d->n_conds++;
				d->conds[k] = e;
			}
			d->paths[i][j].same = k;
		}
	}
	size_t total = 0;
	d->first_same = xo_calloc(r->n_actions + 1, sizeof *d->first_same);
	for (size_t i = 0; i < r->n_actions; i++) {
		d->first_same[i] = (uint32_t)total;
		total += r->actions[i].n_conds;
	}
	d->same = xo_calloc(total ? total : 1, sizeof *d->same);
	for (size_t i = 0; i < r->n_actions; i++)
		for (size_t j = 0; j < r->actions[i].n_conds; j++)
			d->same[d->first_same[i] + j] = (uint32_t)d->paths[i][j].same;
	d->results = xo_calloc(d->n_conds ? d->n_conds : 1, sizeof *d->results);
}

struct named {
	const char *name;
	uint32_t action;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* Each action's place in the order of names (strcmp), so that ties of
 * priority are broken without comparing strings. */
static void rank_names(struct xo_decider *d)
{
	size_t n = d->rules->n_actions;
	struct named *order = xo_calloc(n ? n : 1, sizeof *order);
	d->name_rank = xo_calloc(n ? n : 1, sizeof *d->name_rank);
	for (size_t i = 0; i < n; i++) {
		order[i].name = d->rules->actions[i].name;
		order[i].action = (uint32_t)i;
	}
	qsort(order, n, sizeof *order, by_name);
	for (size_t k = 0; k < n; k++) /* the same name, the same place */
		d->name_rank[order[k].action] = k > 0 && by_name(&order[k - 1], &order[k]) == 0
						? d->name_rank[order[k - 1].action] : (uint32_t)k;
	free(order);
}

static inline int before(const struct candidate *a, const struct candidate *b);
static struct candidate candidate(const struct xo_decider *d, size_t i);
static int score_action(struct xo_decider *d, size_t i);

static int fixed_before(const void *a, const void *b)
{
	return before(b, a) - before(a, b);
}

/* A score known for every record: a constant, or none (1). */
static int score_known(const struct xo_expr *e, const struct fixed_score *f)
{
	return !e || f->known;
}

/* Its number. */
static double known_score(const struct xo_expr *e, const struct fixed_score *f)
{
	return e ? f->v : 1;
}

/* The run of the actions whose propensity is score_memo[same], made
 * when new. */
static struct shared_run *run_of(struct xo_decider *d, size_t same, size_t *run_same)
{
	for (size_t k = 0; k < d->n_runs; k++)
		if (run_same[k] == same)
			return &d->runs[k];
	run_same[d->n_runs] = same;
	struct shared_run *r = &d->runs[d->n_runs++];
	r->actions = xo_calloc(d->rules->n_actions, sizeof *r->actions);
	return r;
}

/* The actions whose scores are all constants rank the same for every
 * record: sorted once, with their scores in their outcome for good.
 * Those sharing a propensity are sorted for a propensity of 1. */
static void order_actions(struct xo_decider *d)
{
	size_t n = d->rules->n_actions;
	d->fixed_order = xo_calloc(n ? n : 1, sizeof *d->fixed_order);
	d->varying = xo_calloc(n ? n : 1, sizeof *d->varying);
	d->runs = xo_calloc(n ? n : 1, sizeof *d->runs);
	size_t *run_same = xo_calloc(n ? n : 1, sizeof *run_same);
	struct candidate *tmp = xo_calloc(n ? n : 1, sizeof *tmp);
	for (size_t i = 0; i < n; i++) {
		const struct xo_action *a = &d->rules->actions[i];
		const struct fixed_score *f = d->fixed[i];
		int rest = score_known(a->value, &f[1]) && score_known(a->weight, &f[2]);
		if (rest && score_known(a->propensity, &f[0]) && score_action(d, i) == 0) {
			d->fixed_order[d->n_fixed_order++] = candidate(d, i);
		} else if (rest && a->propensity) {
			struct shared_run *r = run_of(d, f[0].same, run_same);
			r->actions[r->n++] = (uint32_t)i;
		} else {
			d->varying[d->n_varying++] = (uint32_t)i;
		}
	}
	qsort(d->fixed_order, d->n_fixed_order, sizeof *d->fixed_order, fixed_before);
	for (size_t k = 0; k < d->n_runs; k++) {
		struct shared_run *r = &d->runs[k];
		for (size_t j = 0; j < r->n; j++) {
			size_t i = r->actions[j];
			const struct xo_action *a = &d->rules->actions[i];
			tmp[j].priority = known_score(a->value, &d->fixed[i][1]) *
					  known_score(a->weight, &d->fixed[i][2]);
			tmp[j].name_rank = d->name_rank[i];
			tmp[j].action = (uint32_t)i;
		}
		qsort(tmp, r->n, sizeof *tmp, fixed_before);
		for (size_t j = 0; j < r->n; j++)
			r->actions[j] = tmp[j].action;
	}
	free(tmp);
	free(run_same);
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
	d->heap = xo_calloc(rules->n_actions ? rules->n_actions : 1, sizeof *d->heap);
	rank_names(d);
	d->chosen = xo_calloc(rules->n_actions, sizeof *d->chosen);
	d->paths = xo_calloc(rules->n_actions, sizeof *d->paths);
	d->js = xo_calloc(rules->n_actions, sizeof *d->js);
	d->memo = xo_calloc(NUM_MEMOS, sizeof *d->memo);
	d->fixed = xo_calloc(rules->n_actions ? rules->n_actions : 1, sizeof *d->fixed);
	d->top_notes = xo_calloc(rules->n_actions ? rules->n_actions : 1, sizeof *d->top_notes);
	fix_scores(d);
	for (size_t i = 0; i < rules->n_actions; i++) {
		const struct xo_action *a = &rules->actions[i];
		d->paths[i] = xo_calloc(a->n_conds ? a->n_conds : 1, sizeof **d->paths);
		for (size_t j = 0; j < a->n_conds; j++)
			xo_expr_each_path(a->conds[j], add_path, &d->paths[i][j]);
		make_json(rules, a, &d->js[i], d->paths[i]);
	}
	share_conds(d);
	order_actions(d);
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
				free(cp->keys[k].s);
			free(cp->keys);
			free(cp->slots);
			free(cp->names);
			free(cp->fail.s);
		}
		free(d->paths[i]);
		free(d->js[i].action.s);
		free(d->js[i].decision.s);
		free(d->js[i].tail.s);
		free(d->js[i].unscored.s);
	}
	free(d->memo);
	free(d->fixed);
	free(d->score_exprs);
	free(d->score_memo);
	for (size_t i = 0; i < d->rules->n_actions; i++)
		free(d->top_notes[i].s);
	free(d->top_notes);
	free(d->conds);
	free(d->same);
	free(d->first_same);
	free(d->results);
	free(d->slot_text);
	xo_buf_free(&d->values);
	free(d->paths);
	free(d->js);
	xo_expr_ctx_free(d->ctx);
	free(d->out);
	free(d->ranked);
	free(d->heap);
	free(d->fixed_order);
	for (size_t k = 0; k < d->n_runs; k++)
		free(d->runs[k].actions);
	free(d->runs);
	free(d->varying);
	free(d->name_rank);
	free(d->chosen);
	xo_history_free(&d->history);
	xo_policy_run_free(&d->run);
	xo_buf_free(&d->notes);
	xo_buf_free(&d->tmp);
	xo_buf_free(&d->review_line);
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
static int score(struct xo_decider *d, const struct xo_expr *e, const struct fixed_score *f,
		 const char *what, double *out, struct outcome *o)
{
	if (!e || f->known) {
		*out = e ? f->v : 1;
		return 0;
	}
	struct score_memo *m = &d->score_memo[f->same];
	if (m->gen != d->gen) {
		xo_expr_ctx_clear_error(d->ctx);
		m->v = xo_expr_eval(e, d->ctx);
		m->gen = d->gen;
		if (m->v.type == XO_VAL_ERROR)
			m->msg = note(d, xo_expr_ctx_error(d->ctx));
	}
	struct xo_val v = m->v;
	xo_buf_reset(&d->tmp);
	if (v.type == XO_VAL_ERROR) {
		xo_buf_printf(&d->tmp, "%s %s: %s", what, xo_expr_text(e), note_text(d, m->msg));
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

/* Does a condition hold for the current record? Once per record for
 * each way of writing it. */
static const struct cond_result *holds(struct xo_decider *d, size_t same)
{
	struct cond_result *r = &d->results[same];
	if (r->gen == d->gen)
		return r;
	xo_expr_ctx_clear_error(d->ctx);
	struct xo_val v = xo_expr_eval(d->conds[same], d->ctx);
	r->gen = d->gen;
	if (v.type == XO_VAL_ERROR) {
		r->holds = -1;
		r->msg = note(d, xo_expr_ctx_error(d->ctx));
	} else {
		r->holds = xo_val_truthy(&v);
	}
	return r;
}

/* Only what later stages read before they write it. */
static void reset_outcome(struct outcome *o)
{
	o->msg = o->review_msg = 0;
	o->block = XO_BLOCK_NONE;
	o->chosen = o->human = 0;
	o->review_id = 0;
}

/* Do all conditions of action i hold? If not, which failed and why. */
static int conditions_hold(struct xo_decider *d, size_t i)
{
	struct outcome *o = &d->out[i];
	const uint32_t *same = d->same + d->first_same[i];
	for (size_t j = 0; j < d->rules->actions[i].n_conds; j++) {
		const struct cond_result *r = holds(d, same[j]);
		if (r->holds == 1)
			continue;
		o->kind = r->holds < 0 ? K_ERROR : K_FAILED;
		o->cond = j;
		o->msg = r->msg;
		return 0;
	}
	return 1;
}

/* The scores and priority of action i: 0, or -1 (K_UNSCORED) when one
 * is not a number. */
static int score_action(struct xo_decider *d, size_t i)
{
	const struct xo_action *a = &d->rules->actions[i];
	struct outcome *o = &d->out[i];
	const struct fixed_score *f = d->fixed[i];
	if (score(d, a->propensity, &f[0], "propensity", &o->propensity, o) != 0 ||
	    score(d, a->value, &f[1], "value", &o->value, o) != 0 ||
	    score(d, a->weight, &f[2], "weight", &o->weight, o) != 0)
		return -1;
	o->priority = o->propensity * o->value * o->weight;
	return 0;
}

static void evaluate(struct xo_decider *d, size_t i)
{
	reset_outcome(&d->out[i]);
	if (conditions_hold(d, i) && score_action(d, i) == 0)
		d->out[i].kind = K_ELIGIBLE;
}

/* Does a rank before b? Higher priority first, then by name: a total
 * order (a priority that is not a number, as inf x 0 gives, last), so
 * the ranking is the same however it is made. */
static inline int before(const struct candidate *a, const struct candidate *b)
{
	int a_nan = isnan(a->priority), b_nan = isnan(b->priority);
	if (!(a_nan | b_nan) && a->priority != b->priority)
		return a->priority > b->priority;
	if (a_nan != b_nan)
		return b_nan;
	return a->name_rank < b->name_rank;
}

static struct candidate candidate(const struct xo_decider *d, size_t i)
{
	struct candidate c = { d->out[i].priority, d->name_rank[i], (uint32_t)i };
	return c;
}

static int ranks_before(const struct xo_decider *d, size_t i, size_t j)
{
	struct candidate a = candidate(d, i), b = candidate(d, j);
	return before(&a, &b);
}

static void rank(struct xo_decider *d)
{
	/* Insertion in file order: few actions are eligible at once. */
	d->n_ranked = 0;
	for (size_t i = 0; i < d->rules->n_actions; i++) {
		if (d->out[i].kind != K_ELIGIBLE)
			continue;
		size_t k = d->n_ranked++;
		while (k > 0 && ranks_before(d, i, d->ranked[k - 1])) {
			d->ranked[k] = d->ranked[k - 1];
			k--;
		}
		d->ranked[k] = i;
	}
}

/* ---- policy and routing ---- */

static void set_vars(struct xo_decider *d, size_t i)
{
	const struct xo_rules *r = d->rules;
	const struct xo_action *a = &r->actions[i];
	const struct outcome *o = &d->out[i];
	struct xo_val v = { XO_VAL_NUM, 0, 0, NULL, 0 };
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
	xo_hasher_init(&h, &XO_HASH_PUBLIC);
	xo_hasher_add(&h, d->xid, strlen(d->xid) + 1);
	xo_hasher_add(&h, d->rules->actions[i].name, strlen(d->rules->actions[i].name) + 1);
	/* "NOW/N": the time and the length of the history it saw. */
	xo_buf_reset(&d->tmp);
	xo_buf_add_int(&d->tmp, d->now);
	xo_buf_addc(&d->tmp, '/');
	xo_buf_add_int(&d->tmp, (long long)d->history.n);
	xo_hasher_add(&h, d->tmp.data, d->tmp.len);
	out[0] = 'd';
	xo_hash_hex(xo_hasher_end(&h), out + 1);
}

/* "ranked K; only the top N are taken" (N 1: "is"): most eligible actions of most
 * records get it, so each is made once. */
static size_t top_note(struct xo_decider *d, size_t k)
{
	struct text *t = &d->top_notes[k - 1];
	if (!t->s) {
		struct xo_buf b = XO_BUF_INIT;
		ADD_LIT(&b, "ranked ");
		xo_buf_add_int(&b, (long long)k);
		ADD_LIT(&b, "; only the top ");
		xo_buf_add_int(&b, d->opts.top);
		if (d->opts.top == 1)
			ADD_LIT(&b, " is taken");
		else
			ADD_LIT(&b, " are taken");
		*t = steal_text(&b);
	}
	size_t at = d->notes.len;
	put(&d->notes, t->s, t->len + 1); /* with its NUL */
	return at;
}

/* The history the policy looks at starts here. */
static xo_time_t history_since(const struct xo_decider *d, xo_time_t now)
{
	return now - d->rules->policy.horizon;
}

/* ... and ends here: at now, but before it for a replay, which sees what
 * was known when a run at that moment began, not what that run recorded
 * (in a writing run, a customer's second record in a batch must see
 * what the first one got, at the same now). */
static xo_time_t history_until(const struct xo_decider *d, xo_time_t now)
{
	return d->opts.replay ? now - 1 : now;
}

void xo_decider_batch(struct xo_decider *d, const char *const *xids, size_t n, xo_time_t now)
{
	xo_dstate_prefetch(d->state, xids, n, history_since(d, now), history_until(d, now));
}

/* The customer's history, for the policy: read once an action is
 * eligible (a record with none needs no history). */
static void start_policy(struct xo_decider *d)
{
	xo_dstate_history(d->state, d->xid, history_since(d, d->now), history_until(d, d->now),
			  &d->history);
	xo_policy_run_init(&d->run, d->rules, d->ctx, d->xid, d->now, &d->history);
}

/* The policy for the k-th eligible action, when n_chosen are chosen
 * before it: chosen (and routed), or blocked with the reason. */
static void consider(struct xo_decider *d, size_t k, size_t *n_chosen)
{
	size_t i = d->ranked[k];
	const struct xo_action *a = &d->rules->actions[i];
	struct outcome *o = &d->out[i];
	d->run.chosen = d->chosen;
	d->run.n_chosen = *n_chosen;
	if ((int)*n_chosen >= d->opts.top) {
		o->block = XO_BLOCK_TOP;
		o->msg = top_note(d, k + 1);
		return;
	}
	xo_buf_reset(&d->tmp);
	o->block = xo_policy_check(&d->run, a, &d->tmp);
	if (o->block != XO_BLOCK_NONE) {
		o->msg = note(d, xo_buf_str(&d->tmp));
		return;
	}
	d->chosen[(*n_chosen)++] = a;
	o->chosen = (int)*n_chosen;
	set_vars(d, i);
	xo_buf_reset(&d->tmp);
	o->human = xo_policy_needs_review(&d->run, a, &d->tmp);
	if (o->human)
		o->review_msg = note(d, xo_buf_str(&d->tmp));
	decision_id(d, i, o->decision_id);
}

static int apply_policy(struct xo_decider *d)
{
	size_t n_chosen = 0;
	if (d->n_ranked == 0)
		return 0;
	start_policy(d);
	for (size_t k = 0; k < d->n_ranked; k++)
		consider(d, k, &n_chosen);
	return (int)n_chosen;
}

/* Every action evaluated, ranked and put to the policy: what the trace
 * shows. Returns the number of decisions. */
static int decide_every(struct xo_decider *d)
{
	for (size_t i = 0; i < d->rules->n_actions; i++)
		evaluate(d, i);
	rank(d);
	return apply_policy(d);
}

/* A heap of candidates, the best on top. */
static void heap_down(struct candidate *h, size_t n, size_t at)
{
	for (;;) {
		size_t best = at, l = 2 * at + 1, r = l + 1;
		if (l < n && before(&h[l], &h[best]))
			best = l;
		if (r < n && before(&h[r], &h[best]))
			best = r;
		if (best == at)
			return;
		struct candidate t = h[at];
		h[at] = h[best];
		h[best] = t;
		at = best;
	}
}

/* Score a run's actions for this record. When they are not best first
 * in the order made once (or one is unscored), the scored ones go to
 * the heap h of *n instead, and the run is left empty. */
static void score_run(struct xo_decider *d, struct shared_run *r, struct candidate *h, size_t *n)
{
	int in_order = 1;
	for (size_t j = 0; j < r->n; j++) {
		size_t i = r->actions[j];
		reset_outcome(&d->out[i]);
		if (score_action(d, i) != 0) {
			in_order = 0;
			continue;
		}
		if (j > 0 && in_order) {
			struct candidate a = candidate(d, r->actions[j - 1]), b = candidate(d, i);
			in_order = !before(&b, &a);
		}
	}
	r->next = 0;
	if (in_order)
		return;
	for (size_t j = 0; j < r->n; j++)
		if (d->out[r->actions[j]].kind != K_UNSCORED)
			h[(*n)++] = candidate(d, r->actions[j]);
	r->next = r->n;
}

/* The next action to try, best first, from the fixed order, the runs
 * and the heap h of *n; -1 when none is left. */
static long next_best(struct xo_decider *d, size_t *next_fixed, struct candidate *h, size_t *n)
{
	struct candidate best;
	struct shared_run *from = NULL;
	int have = 0;
	if (*next_fixed < d->n_fixed_order) {
		best = d->fixed_order[*next_fixed];
		have = 1;
	}
	for (size_t k = 0; k < d->n_runs; k++) {
		struct shared_run *r = &d->runs[k];
		if (r->next == r->n)
			continue;
		struct candidate c = candidate(d, r->actions[r->next]);
		if (!have || before(&c, &best)) {
			best = c;
			from = r;
			have = 1;
		}
	}
	if (*n > 0 && (!have || before(&h[0], &best))) {
		size_t i = h[0].action;
		h[0] = h[--*n];
		heap_down(h, *n, 0);
		return (long)i;
	}
	if (!have)
		return -1;
	if (from) {
		from->next++;
	} else {
		(*next_fixed)++;
		reset_outcome(&d->out[best.action]);
	}
	return (long)best.action;
}

/* Without a trace, the same decisions with less work: the actions are
 * tried best first (those of fixed scores in their order made once,
 * merged with the runs sharing a propensity and a heap of the others,
 * both scored for this record), each through its conditions and the
 * policy, until the top K are chosen. Whether an action is eligible and
 * what the policy says of it depend only on the record, the history and
 * the actions chosen before it, as in decide_every, which tries the
 * eligible ones in the same order; the actions after the K-th are left
 * K_UNTRIED. Returns the number of decisions. */
static int decide_best_first(struct xo_decider *d)
{
	struct candidate *h = d->heap;
	size_t n = 0, n_chosen = 0, next_fixed = 0;
	for (size_t i = 0; i < d->rules->n_actions; i++)
		d->out[i].kind = K_UNTRIED;
	for (size_t k = 0; k < d->n_runs; k++)
		score_run(d, &d->runs[k], h, &n);
	for (size_t k = 0; k < d->n_varying; k++) {
		size_t i = d->varying[k];
		reset_outcome(&d->out[i]);
		if (score_action(d, i) == 0)
			h[n++] = candidate(d, i);
	}
	for (size_t k = n / 2; k-- > 0;)
		heap_down(h, n, k);
	d->n_ranked = 0;
	while ((int)n_chosen < d->opts.top) {
		long next = next_best(d, &next_fixed, h, &n);
		if (next < 0)
			break;
		size_t i = (size_t)next;
		if (!conditions_hold(d, i))
			continue;
		d->out[i].kind = K_ELIGIBLE;
		d->ranked[d->n_ranked++] = i;
		if (d->n_ranked == 1)
			start_policy(d);
		consider(d, d->n_ranked - 1, &n_chosen);
	}
	return (int)n_chosen;
}

/* Is one of the decisions for a person? */
static int any_human(const struct xo_decider *d)
{
	for (size_t k = 0; k < d->n_ranked; k++)
		if (d->out[d->ranked[k]].human)
			return 1;
	return 0;
}

/* ---- NDJSON ---- */

static void json_key(struct xo_buf *b, const char *key)
{
	xo_buf_add_json_string(b, key, strlen(key));
	put1(b, ':');
}

static void json_str_member(struct xo_buf *b, const char *key, const char *s)
{
	json_key(b, key);
	xo_buf_add_json_string(b, s, strlen(s));
}

/* A literal with its length. */
struct lit {
	const char *s;
	size_t len;
};

#define LIT(s) { (s), sizeof(s) - 1 }

/* A score, from the memos when it was written lately. */
static void add_score(struct xo_decider *d, struct xo_buf *b, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	struct num_memo *m = &d->memo[(bits ^ bits >> 29 ^ bits >> 47) % NUM_MEMOS];
	if (m->len && m->v == v) {
		put(b, m->s, m->len);
		return;
	}
	size_t at = b->len;
	xo_num_to_json(b, v);
	size_t n = b->len - at;
	m->len = 0;
	if (n < sizeof m->s) {
		memcpy(m->s, b->data + at, n);
		m->len = (unsigned char)n;
		m->v = v;
	}
}

/* The four scores of action i, each after its label. */
static void scores(struct xo_decider *d, struct xo_buf *b, size_t i, const struct lit labels[4])
{
	const struct outcome *o = &d->out[i];
	const double v[4] = { o->priority, o->propensity, o->value, o->weight };
	for (int k = 0; k < 4; k++) {
		put(b, labels[k].s, labels[k].len);
		add_score(d, b, v[k]);
	}
}

/* ,"priority":P,"propensity":P,"value":V,"weight":W */
static void json_scores(struct xo_decider *d, struct xo_buf *b, size_t i)
{
	static const struct lit labels[4] = {
		LIT(",\"priority\":"), LIT(",\"propensity\":"), LIT(",\"value\":"), LIT(",\"weight\":"),
	};
	scores(d, b, i, labels);
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
	ADD_LIT(b, "{\"rank\":");
	xo_buf_add_int(b, o->chosen);
	add_text(b, &d->js[i].decision);
	if (o->human)
		ADD_LIT(b, ",\"route\":\"human\"");
	else
		ADD_LIT(b, ",\"route\":\"auto\"");
	ADD_LIT(b, ",\"status\":\"");
	xo_buf_adds(b, status_of(d, o));
	ADD_LIT(b, "\",\"decision_id\":\"");
	put(b, o->decision_id, sizeof o->decision_id - 1);
	put1(b, '"');
	if (o->human) {
		if (with_review_id && o->review_id > 0) {
			ADD_LIT(b, ",\"review_id\":");
			xo_num_to_json(b, (double)o->review_id);
		}
		put1(b, ',');
		json_str_member(b, "review_reason", note_text(d, o->review_msg));
	}
	json_scores(d, b, i);
	add_text(b, &d->js[i].tail);
}

/* A path's value as the trace shows it. */
static void value_json(struct xo_decider *d, struct xo_buf *b, const struct xo_val *v)
{
	if (v->type != XO_VAL_JSON) {
		xo_val_to_json(b, v);
		return;
	}
	/* Whole arrays and objects would drown the trace. */
	xo_buf_reset(&d->tmp);
	xo_buf_printf(&d->tmp, "(%s of %zu)", xo_val_is_array(v) ? "array" : "object",
		      xo_val_count(v));
	xo_buf_add_json_string(b, d->tmp.data, d->tmp.len);
}

/* The value of path slot, made once per record: many failed conditions
 * show the same few fields. */
static void add_value(struct xo_decider *d, struct xo_buf *b, size_t slot)
{
	if (slot >= d->n_slot_text) {
		size_t old = d->n_slot_text;
		d->slot_text = xo_grow(d->slot_text, &d->n_slot_text, slot + 1, sizeof *d->slot_text);
		memset(d->slot_text + old, 0, (d->n_slot_text - old) * sizeof *d->slot_text);
	}
	struct slot_text *t = &d->slot_text[slot];
	if (t->gen != d->gen) {
		struct xo_val v = xo_expr_ctx_path(d->ctx, slot);
		t->off = d->values.len;
		value_json(d, &d->values, &v);
		t->len = d->values.len - t->off;
		t->gen = d->gen;
	}
	put(b, d->values.data + t->off, t->len);
}

static void json_values(struct xo_decider *d, struct xo_buf *b, const struct cond_paths *cp)
{
	ADD_LIT(b, ",\"values\":{");
	for (size_t k = 0; k < cp->n; k++) {
		if (k)
			put1(b, ',');
		add_text(b, &cp->keys[k]);
		add_value(d, b, cp->slots[k]);
	}
	put1(b, '}');
}

static void json_failed(struct xo_decider *d, struct xo_buf *b)
{
	int first = 1;
	for (size_t i = 0; i < d->rules->n_actions; i++) {
		const struct outcome *o = &d->out[i];
		if (o->kind == K_ELIGIBLE)
			continue;
		if (!first)
			put1(b, ',');
		first = 0;
		if (o->kind == K_UNSCORED) {
			add_text(b, &d->js[i].unscored);
			const char *why = note_text(d, o->msg);
			xo_buf_add_json_string(b, why, strlen(why));
		} else {
			const struct cond_paths *cp = &d->paths[i][o->cond];
			add_text(b, &cp->fail);
			if (o->kind == K_ERROR) {
				put1(b, ',');
				json_str_member(b, "error", note_text(d, o->msg));
			}
			json_values(d, b, cp);
		}
		put1(b, '}');
	}
}

static void json_removed(struct xo_decider *d, struct xo_buf *b)
{
	int first = 1;
	for (size_t k = 0; k < d->n_ranked; k++) {
		size_t i = d->ranked[k];
		const struct outcome *o = &d->out[i];
		if (o->chosen)
			continue;
		if (first)
			put1(b, '{');
		else
			ADD_LIT(b, ",{");
		first = 0;
		add_text(b, &d->js[i].action);
		/* Policy names are plain words: no escaping needed. */
		ADD_LIT(b, ",\"policy\":\"");
		xo_buf_adds(b, xo_block_name(o->block));
		ADD_LIT(b, "\",\"why\":");
		const char *why = note_text(d, o->msg);
		if (o->block == XO_BLOCK_TOP) { /* plain ASCII: nothing to escape */
			put1(b, '"');
			put(b, why, strlen(why));
			ADD_LIT(b, "\"}");
			continue;
		}
		xo_buf_add_json_string(b, why, strlen(why));
		put1(b, '}');
	}
}

static void json_trace(struct xo_decider *d, struct xo_buf *b)
{
	ADD_LIT(b, ",\"trace\":{\"eligible\":[");
	for (size_t k = 0; k < d->n_ranked; k++) {
		size_t i = d->ranked[k];
		if (k)
			ADD_LIT(b, ",{");
		else
			put1(b, '{');
		add_text(b, &d->js[i].action);
		json_scores(d, b, i);
		put1(b, '}');
	}
	ADD_LIT(b, "],\"failed\":[");
	json_failed(d, b);
	ADD_LIT(b, "],\"removed\":[");
	json_removed(d, b);
	ADD_LIT(b, "]}");
}

/* The decision time as text: the same for a whole batch. */
static const char *at_text(struct xo_decider *d)
{
	if (d->at_text[0] == '\0' || d->at_time != d->now) {
		xo_time_format(d->now, d->at_text);
		d->at_time = d->now;
	}
	return d->at_text;
}

static void json_record(struct xo_decider *d, struct xo_buf *b, int with_review_ids, int trace)
{
	ADD_LIT(b, "{\"xid\":");
	xo_buf_add_json_string(b, d->xid, strlen(d->xid));
	ADD_LIT(b, ",\"at\":");
	const char *at = at_text(d);
	xo_buf_add_json_string(b, at, strlen(at));
	ADD_LIT(b, ",\"decisions\":[");
	int first = 1;
	for (int rank_no = 1; rank_no <= d->opts.top; rank_no++) {
		for (size_t k = 0; k < d->n_ranked; k++) {
			size_t i = d->ranked[k];
			if (d->out[i].chosen != rank_no)
				continue;
			if (!first)
				put1(b, ',');
			first = 0;
			json_decision(d, b, i, with_review_ids);
		}
	}
	put1(b, ']');
	if (trace)
		json_trace(d, b);
	put1(b, '}');
}

/* ---- text for people (--explain) ---- */

static void text_scores(struct xo_decider *d, struct xo_buf *b, size_t i)
{
	static const struct lit labels[4] = {
		LIT("priority "), LIT(" = propensity "), LIT(" x value "), LIT(" x weight "),
	};
	scores(d, b, i, labels);
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
			text_scores(d, b, i);
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
			text_scores(d, b, i);
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
				xo_buf_adds(b, xo_val_is_array(&v) ? "(array)" : "(object)");
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
	struct xo_buf *line = &d->review_line;
	xo_buf_reset(line);
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
		if (line->len == 0)
			json_record(d, line, 0, 1);
		o->review_id = xo_dstate_queue(d->state, d->xid, d->now, a->name, a->channel, group,
					       o->decision_id, note_text(d, o->review_msg),
					       xo_buf_str(line));
		d->stats.queued++;
	}
}

/* Decide for the record the context was reset on, for d->xid. */
static int decide(struct xo_decider *d, xo_time_t now, struct xo_buf *out)
{
	d->now = now;
	xo_buf_reset(&d->notes);
	xo_buf_reset(&d->values);
	if (++d->gen == 0) { /* after 2^32 records: forget what was remembered */
		memset(d->slot_text, 0, d->n_slot_text * sizeof *d->slot_text);
		memset(d->results, 0, (d->n_conds ? d->n_conds : 1) * sizeof *d->results);
		memset(d->score_memo, 0, (d->n_scores ? d->n_scores : 1) * sizeof *d->score_memo);
		d->gen = 1;
	}
	d->history.n = 0;
	int n;
	if (d->opts.trace || d->opts.explain) {
		n = decide_every(d);
	} else {
		n = decide_best_first(d);
		/* A review keeps the decision with its whole trace: the same
		 * decisions again, every action tried (conditions already
		 * evaluated are remembered). */
		if (n > 0 && d->opts.record && any_human(d)) {
			d->history.n = 0; /* the notes stay: remembered results point there */
			n = decide_every(d);
		}
	}
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

static void no_xid(struct xo_buf *why, int present)
{
	xo_buf_reset(why);
	xo_buf_adds(why, present ? "\"xid\" is not a non-empty string" : "no \"xid\"");
}

int xo_decide(struct xo_decider *d, const json_t *rec, xo_time_t now, struct xo_buf *out,
	      struct xo_buf *why)
{
	const json_t *xid = json_object_get(rec, "xid");
	if (!json_is_string(xid) || json_string_length(xid) == 0) {
		no_xid(why, xid != NULL);
		return -1;
	}
	d->xid = json_string_value(xid);
	xo_expr_ctx_reset(d->ctx, rec, now);
	return decide(d, now, out);
}

int xo_decide_xid(const char *text, const struct xo_jindex *ix, struct xo_buf *xid,
		  struct xo_buf *why)
{
	size_t node = xo_jindex_get(text, ix, 0, "xid", 3);
	struct xo_jval v = xo_jnode_val(text, &ix->nodes[node]);
	/* Not empty once decoded: an escape is one character. */
	if (node == 0 || v.type != XO_J_STRING || v.len == 0) {
		no_xid(why, node != 0);
		return -1;
	}
	if (xid) {
		xo_buf_reset(xid);
		xo_jscan_string(&v, xid);
	}
	return 0;
}

int xo_decide_scanned(struct xo_decider *d, const char *text, const struct xo_jindex *ix,
		      const char *xid, xo_time_t now, struct xo_buf *out)
{
	d->xid = xid;
	xo_expr_ctx_reset_scanned(d->ctx, text, ix, now);
	return decide(d, now, out);
}
