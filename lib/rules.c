#include "rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "mem.h"
#include "tz.h"

struct rparser {
	const char *name;
	const char *dir;
	struct xo_lex lx;
	struct xo_rules *r;
	struct xo_buf *err;
	struct xo_buf scratch;
	int failed;
	int cur_group;
	/* Lines where single-valued keys were first given, per block. */
	long seen_value, seen_propensity, seen_weight, seen_channel, seen_route,
	     seen_group, seen_note, seen_review, seen_cooldown, seen_quiet,
	     seen_timezone, seen_default_tz, seen_top;
};

static const struct xo_tok *tok(struct rparser *p)
{
	return &p->lx.tok;
}

static void fail(struct rparser *p, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(struct rparser *p, long line, long col, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	xo_buf_reset(p->err);
	xo_buf_printf(p->err, "%s:%ld:%ld: ", p->name, line, col);
	va_list ap;
	va_start(ap, fmt);
	xo_buf_vprintf(p->err, fmt, ap);
	va_end(ap);
}

static void expected(struct rparser *p, const char *what)
{
	const struct xo_tok *t = tok(p);
	if (t->type == XO_TOK_BAD)
		fail(p, t->line, t->col, "%s", xo_buf_str(&t->text));
	else
		fail(p, t->line, t->col, "expected %s, found %s", what,
		     xo_tok_describe(t, &p->scratch));
}

static int at_eol(struct rparser *p)
{
	return tok(p)->type == XO_TOK_NEWLINE || tok(p)->type == XO_TOK_EOF;
}

/* The statement must end here. */
static int end_of_statement(struct rparser *p)
{
	if (at_eol(p))
		return 0;
	expected(p, "end of line");
	return -1;
}

static char *take_name(struct rparser *p, const char *what)
{
	if (tok(p)->type != XO_TOK_IDENT) {
		expected(p, what);
		return NULL;
	}
	char *s = xo_strdup(xo_buf_str(&tok(p)->text));
	xo_lex_next(&p->lx);
	return s;
}

static int take_string(struct rparser *p, const char *what, char **out)
{
	if (tok(p)->type != XO_TOK_STRING) {
		expected(p, what);
		return -1;
	}
	*out = xo_strndup(tok(p)->text.data ? tok(p)->text.data : "", tok(p)->text.len);
	xo_lex_next(&p->lx);
	return 0;
}

static int take_count(struct rparser *p, long *n)
{
	const struct xo_tok *t = tok(p);
	if (t->type != XO_TOK_NUMBER || t->unit[0] || t->num < 0 || t->num > 1e9 ||
	    t->num != (double)(long)t->num) {
		expected(p, "a whole number");
		return -1;
	}
	*n = (long)t->num;
	xo_lex_next(&p->lx);
	return 0;
}

/* 48h, 30d, 2w, 90m, 45s */
static int take_duration(struct rparser *p, xo_time_t *out)
{
	const struct xo_tok *t = tok(p);
	static const struct { const char *unit; double sec; } units[] = {
		{ "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 604800 },
	};
	if (t->type == XO_TOK_NUMBER && t->num > 0) {
		for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
			if (strcmp(t->unit, units[i].unit) == 0 && t->num * units[i].sec < 1e10) {
				*out = (xo_time_t)(t->num * units[i].sec * 1e6);
				xo_lex_next(&p->lx);
				return 0;
			}
		}
	}
	expected(p, "a duration such as 48h, 30d or 2w");
	return -1;
}

static struct xo_expr *take_expr(struct rparser *p)
{
	if (at_eol(p)) {
		expected(p, "an expression");
		return NULL;
	}
	struct xo_buf err = XO_BUF_INIT;
	struct xo_expr *e = xo_expr_parse_lex(p->r->env, &p->lx, &err);
	if (!e) {
		/* The expression parser says "LINE:COL: ..." already. */
		if (!p->failed) {
			p->failed = 1;
			xo_buf_reset(p->err);
			xo_buf_printf(p->err, "%s:%s", p->name, xo_buf_str(&err));
		}
		xo_buf_free(&err);
		return NULL;
	}
	xo_buf_free(&err);
	if (end_of_statement(p) != 0) {
		xo_expr_free(e);
		return NULL;
	}
	return e;
}

/* An expression that may not read $variables (those belong to review). */
static struct xo_expr *take_plain_expr(struct rparser *p, const char *key)
{
	long line = tok(p)->line, col = tok(p)->col;
	struct xo_expr *e = take_expr(p);
	if (e && xo_expr_uses_vars(e)) {
		fail(p, line, col, "$variables can only be used in 'review', not in '%s'", key);
		xo_expr_free(e);
		return NULL;
	}
	return e;
}

/* "cap N per DURATION" after the word cap. */
static int take_cap(struct rparser *p, struct xo_cap **caps, size_t *n, long line)
{
	struct xo_cap cap = { 0, 0, NULL, line };
	if (take_count(p, &cap.n) != 0)
		return -1;
	if (tok(p)->type != XO_TOK_IDENT || strcmp(xo_buf_str(&tok(p)->text), "per") != 0) {
		expected(p, "'per'");
		return -1;
	}
	xo_lex_next(&p->lx);
	if (take_duration(p, &cap.window) != 0 || end_of_statement(p) != 0)
		return -1;
	*caps = xo_realloc(*caps, (*n + 1) * sizeof **caps);
	(*caps)[(*n)++] = cap;
	return 0;
}

/* A key that may appear once per block. */
static int once(struct rparser *p, long *seen, const char *key, long line, long col)
{
	if (*seen) {
		fail(p, line, col, "'%s' given twice (first on line %ld)", key, *seen);
		return -1;
	}
	*seen = line;
	return 0;
}

static int find_group(struct xo_rules *r, const char *name)
{
	for (size_t i = 0; i < r->n_groups; i++)
		if (strcmp(r->groups[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int add_group(struct xo_rules *r, const char *name, long line)
{
	int g = find_group(r, name);
	if (g >= 0)
		return g;
	r->groups = xo_realloc(r->groups, (r->n_groups + 1) * sizeof *r->groups);
	struct xo_group *grp = &r->groups[r->n_groups];
	memset(grp, 0, sizeof *grp);
	grp->name = xo_strdup(name);
	grp->line = line;
	return (int)r->n_groups++;
}

static int action_stmt(struct rparser *p, struct xo_action *a, const char *key, long line, long col)
{
	if (strcmp(key, "when") == 0) {
		struct xo_expr *e = take_plain_expr(p, key);
		if (!e)
			return -1;
		struct xo_expr **parts;
		size_t n;
		xo_expr_split_and(e, &parts, &n);
		a->conds = xo_realloc(a->conds, (a->n_conds + n) * sizeof *a->conds);
		memcpy(a->conds + a->n_conds, parts, n * sizeof *parts);
		a->n_conds += n;
		free(parts);
		return 0;
	}
	struct { const char *key; long *seen; struct xo_expr **slot; } exprs[] = {
		{ "value", &p->seen_value, &a->value },
		{ "propensity", &p->seen_propensity, &a->propensity },
		{ "weight", &p->seen_weight, &a->weight },
	};
	for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
		if (strcmp(key, exprs[i].key) == 0) {
			if (once(p, exprs[i].seen, key, line, col) != 0)
				return -1;
			*exprs[i].slot = take_plain_expr(p, key);
			return *exprs[i].slot ? 0 : -1;
		}
	}
	if (strcmp(key, "review") == 0) {
		if (once(p, &p->seen_review, key, line, col) != 0)
			return -1;
		a->review = take_expr(p);
		return a->review ? 0 : -1;
	}
	if (strcmp(key, "channel") == 0) {
		if (once(p, &p->seen_channel, key, line, col) != 0)
			return -1;
		a->channel = take_name(p, "a channel name such as email, sms or phone");
		return a->channel ? end_of_statement(p) : -1;
	}
	if (strcmp(key, "route") == 0) {
		if (once(p, &p->seen_route, key, line, col) != 0)
			return -1;
		const char *w = xo_buf_str(&tok(p)->text);
		if (tok(p)->type != XO_TOK_IDENT || (strcmp(w, "auto") != 0 && strcmp(w, "human") != 0)) {
			expected(p, "'auto' or 'human'");
			return -1;
		}
		a->route = strcmp(w, "human") == 0 ? XO_ROUTE_HUMAN : XO_ROUTE_AUTO;
		xo_lex_next(&p->lx);
		return end_of_statement(p);
	}
	if (strcmp(key, "group") == 0) {
		if (once(p, &p->seen_group, key, line, col) != 0)
			return -1;
		char *g = take_name(p, "a group name");
		if (!g)
			return -1;
		a->group = add_group(p->r, g, line);
		free(g);
		return end_of_statement(p);
	}
	if (strcmp(key, "note") == 0) {
		if (once(p, &p->seen_note, key, line, col) != 0)
			return -1;
		if (take_string(p, "a note in quotes", &a->note) != 0)
			return -1;
		return end_of_statement(p);
	}
	if (strcmp(key, "cap") == 0)
		return take_cap(p, &a->caps, &a->n_caps, line);
	fail(p, line, col, "unknown key '%s' in an action (expected when, value, propensity, "
	     "weight, channel, route, group, cap, review or note)", key);
	return -1;
}

/* "HH:MM" */
static int take_clock(struct rparser *p, int *minutes)
{
	const struct xo_tok *t = tok(p);
	unsigned h, m;
	char extra;
	if (t->type != XO_TOK_STRING ||
	    sscanf(xo_buf_str(&t->text), "%2u:%2u%c", &h, &m, &extra) != 2 || h > 23 || m > 59 ||
	    t->text.len != 5) {
		expected(p, "a time of day in quotes such as \"21:00\"");
		return -1;
	}
	*minutes = (int)(h * 60 + m);
	xo_lex_next(&p->lx);
	return 0;
}

static int load_suppress_list(struct rparser *p, const char *file, long line, long col)
{
	struct xo_policy *pol = &p->r->policy;
	struct xo_buf path = XO_BUF_INIT;
	if (file[0] != '/' && p->dir)
		xo_buf_printf(&path, "%s/", p->dir);
	xo_buf_adds(&path, file);
	struct xo_input in;
	if (xo_input_open(&in, xo_buf_str(&path)) != 0) {
		fail(p, line, col, "cannot read suppression list %s: %s", xo_buf_str(&path),
		     strerror(errno));
		xo_buf_free(&path);
		return -1;
	}
	if (!pol->suppressed)
		pol->suppressed = json_object();
	while (xo_input_getline(&in) >= 0) {
		char *s = in.buf, *e;
		while (*s == ' ' || *s == '\t')
			s++;
		for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		json_object_set_new(pol->suppressed, s, json_true());
	}
	xo_input_close(&in);
	pol->suppress_lists = xo_realloc(pol->suppress_lists,
					 (pol->n_suppress_lists + 1) * sizeof *pol->suppress_lists);
	/* Messages name the list as the rules file does. */
	pol->suppress_lists[pol->n_suppress_lists++] = xo_strdup(file);
	xo_buf_free(&path);
	return 0;
}

static struct xo_expr **push_expr(struct xo_expr **v, size_t *n, struct xo_expr *e)
{
	v = xo_realloc(v, (*n + 1) * sizeof *v);
	v[(*n)++] = e;
	return v;
}

static int policy_stmt(struct rparser *p, const char *key, long line, long col)
{
	struct xo_policy *pol = &p->r->policy;
	if (strcmp(key, "cooldown") == 0) {
		if (once(p, &p->seen_cooldown, key, line, col) != 0)
			return -1;
		return take_duration(p, &pol->cooldown) == 0 ? end_of_statement(p) : -1;
	}
	if (strcmp(key, "cap") == 0) {
		if (tok(p)->type == XO_TOK_IDENT && strcmp(xo_buf_str(&tok(p)->text), "channel") == 0) {
			xo_lex_next(&p->lx);
			char *ch = take_name(p, "a channel name");
			if (!ch)
				return -1;
			if (take_cap(p, &pol->channel_caps, &pol->n_channel_caps, line) != 0) {
				free(ch);
				return -1;
			}
			pol->channel_caps[pol->n_channel_caps - 1].channel = ch;
			return 0;
		}
		return take_cap(p, &pol->caps, &pol->n_caps, line);
	}
	if (strcmp(key, "quiet_hours") == 0) {
		if (once(p, &p->seen_quiet, key, line, col) != 0)
			return -1;
		if (take_clock(p, &pol->quiet_from) != 0 || take_clock(p, &pol->quiet_to) != 0)
			return -1;
		if (pol->quiet_from == pol->quiet_to) {
			fail(p, line, col, "quiet hours start and end at the same time");
			return -1;
		}
		while (!at_eol(p)) {
			char *ch = take_name(p, "a channel name or end of line");
			if (!ch)
				return -1;
			pol->quiet_channels = xo_realloc(pol->quiet_channels,
				(pol->n_quiet_channels + 1) * sizeof *pol->quiet_channels);
			pol->quiet_channels[pol->n_quiet_channels++] = ch;
		}
		return 0;
	}
	if (strcmp(key, "timezone") == 0) {
		if (once(p, &p->seen_timezone, key, line, col) != 0)
			return -1;
		pol->timezone = take_plain_expr(p, key);
		return pol->timezone ? 0 : -1;
	}
	if (strcmp(key, "default_timezone") == 0) {
		if (once(p, &p->seen_default_tz, key, line, col) != 0)
			return -1;
		long zl = tok(p)->line, zc = tok(p)->col;
		char *zone;
		if (take_string(p, "a time zone name in quotes such as \"Europe/Rome\"", &zone) != 0)
			return -1;
		const char *why;
		if (!xo_tz_get(zone, &why)) {
			fail(p, zl, zc, "unknown time zone \"%s\": %s", zone, why);
			free(zone);
			return -1;
		}
		free(pol->default_timezone);
		pol->default_timezone = zone;
		return end_of_statement(p);
	}
	if (strcmp(key, "suppress") == 0) {
		struct xo_expr *e = take_plain_expr(p, key);
		if (!e)
			return -1;
		pol->suppress = push_expr(pol->suppress, &pol->n_suppress, e);
		return 0;
	}
	if (strcmp(key, "suppress_list") == 0) {
		long fl = tok(p)->line, fc = tok(p)->col;
		char *file;
		if (take_string(p, "a file name in quotes", &file) != 0)
			return -1;
		int rc = load_suppress_list(p, file, fl, fc);
		free(file);
		return rc == 0 ? end_of_statement(p) : -1;
	}
	if (strcmp(key, "consent") == 0) {
		char *ch = take_name(p, "a channel name");
		if (!ch)
			return -1;
		for (size_t i = 0; i < pol->n_consents; i++) {
			if (strcmp(pol->consents[i].channel, ch) == 0) {
				fail(p, line, col, "consent for %s given twice", ch);
				free(ch);
				return -1;
			}
		}
		struct xo_expr *e = take_plain_expr(p, key);
		if (!e) {
			free(ch);
			return -1;
		}
		pol->consents = xo_realloc(pol->consents, (pol->n_consents + 1) * sizeof *pol->consents);
		pol->consents[pol->n_consents].channel = ch;
		pol->consents[pol->n_consents++].expr = e;
		return 0;
	}
	if (strcmp(key, "review") == 0) {
		struct xo_expr *e = take_expr(p);
		if (!e)
			return -1;
		pol->review = push_expr(pol->review, &pol->n_review, e);
		return 0;
	}
	if (strcmp(key, "top") == 0) {
		long n;
		if (once(p, &p->seen_top, key, line, col) != 0 || take_count(p, &n) != 0)
			return -1;
		if (n < 1 || n > 1000) {
			fail(p, line, col, "top must be from 1 to 1000");
			return -1;
		}
		pol->top = (int)n;
		return end_of_statement(p);
	}
	fail(p, line, col, "unknown key '%s' in the policy (expected cooldown, cap, quiet_hours, "
	     "timezone, default_timezone, suppress, suppress_list, consent, review or top)", key);
	return -1;
}

static int group_stmt(struct rparser *p, struct xo_group *g, const char *key, long line, long col)
{
	if (strcmp(key, "cap") == 0)
		return take_cap(p, &g->caps, &g->n_caps, line);
	fail(p, line, col, "unknown key '%s' in a group (expected cap)", key);
	return -1;
}

enum block { B_NONE, B_POLICY, B_ACTION, B_GROUP };

static void reset_seen(struct rparser *p)
{
	p->seen_value = p->seen_propensity = p->seen_weight = p->seen_channel = 0;
	p->seen_route = p->seen_group = p->seen_note = p->seen_review = 0;
}

static int check_action(struct rparser *p, const struct xo_action *a)
{
	if (!a->channel) {
		fail(p, a->line, 1, "action %s has no channel", a->name);
		return -1;
	}
	return 0;
}

static int start_block(struct rparser *p, const char *word, enum block *b, long line, long col)
{
	struct xo_rules *r = p->r;
	reset_seen(p);
	if (strcmp(word, "policy") == 0) {
		*b = B_POLICY;
		return end_of_statement(p);
	}
	if (strcmp(word, "action") == 0) {
		char *name = take_name(p, "an action name (letters, digits and _)");
		if (!name)
			return -1;
		const struct xo_action *old = xo_rules_action(r, name);
		if (old) {
			fail(p, line, col, "action %s defined twice (first on line %ld)", name, old->line);
			free(name);
			return -1;
		}
		r->actions = xo_realloc(r->actions, (r->n_actions + 1) * sizeof *r->actions);
		struct xo_action *a = &r->actions[r->n_actions++];
		memset(a, 0, sizeof *a);
		a->name = name;
		a->line = line;
		a->group = -1;
		*b = B_ACTION;
		return end_of_statement(p);
	}
	if (strcmp(word, "group") == 0) {
		char *name = take_name(p, "a group name");
		if (!name)
			return -1;
		int g = find_group(r, name);
		if (g >= 0 && r->groups[g].n_caps) {
			fail(p, line, col, "group %s defined twice (first on line %ld)", name,
			     r->groups[g].line);
			free(name);
			return -1;
		}
		g = add_group(r, name, line);
		r->groups[g].line = line;
		p->cur_group = g;
		free(name);
		*b = B_GROUP;
		return end_of_statement(p);
	}
	return 1; /* not a block keyword */
}

static int parse_file(struct rparser *p)
{
	enum block b = B_NONE;
	int group = -1;
	int seen_policy = 0;
	while (tok(p)->type != XO_TOK_EOF) {
		if (tok(p)->type == XO_TOK_NEWLINE) {
			xo_lex_next(&p->lx);
			continue;
		}
		if (tok(p)->type != XO_TOK_IDENT) {
			expected(p, b == B_NONE ? "'policy', 'action' or 'group'" : "a key");
			return -1;
		}
		long line = tok(p)->line, col = tok(p)->col;
		char *word = xo_strdup(xo_buf_str(&tok(p)->text));
		xo_lex_next(&p->lx);
		/* Block headers start in column 1; indented lines are keys, so
		 * an action's "group NAME" is a key, not a new group block. */
		int header = col == 1 && (strcmp(word, "policy") == 0 || strcmp(word, "action") == 0 ||
					  strcmp(word, "group") == 0);
		if (header && b == B_ACTION &&
		    check_action(p, &p->r->actions[p->r->n_actions - 1]) != 0) {
			free(word);
			return -1;
		}
		if (strcmp(word, "policy") == 0 && seen_policy) {
			fail(p, line, col, "a second policy block (the first is on line %d)", seen_policy);
			free(word);
			return -1;
		}
		int rc = header ? start_block(p, word, &b, line, col) : 1;
		if (rc == 0) {
			if (b == B_POLICY)
				seen_policy = (int)line;
			if (b == B_GROUP)
				group = p->cur_group;
		} else if (rc < 0) {
			free(word);
			return -1;
		} else if (b == B_NONE) {
			fail(p, line, col, "expected 'policy', 'action' or 'group' in column 1, found '%s'",
			     word);
			rc = -1;
		} else if (b == B_POLICY) {
			rc = policy_stmt(p, word, line, col);
		} else if (b == B_ACTION) {
			rc = action_stmt(p, &p->r->actions[p->r->n_actions - 1], word, line, col);
		} else {
			rc = group_stmt(p, &p->r->groups[group], word, line, col);
		}
		free(word);
		if (rc != 0)
			return -1;
	}
	if (b == B_ACTION && check_action(p, &p->r->actions[p->r->n_actions - 1]) != 0)
		return -1;
	return 0;
}

static void max_window(xo_time_t *h, const struct xo_cap *caps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (caps[i].window > *h)
			*h = caps[i].window;
}

struct xo_rules *xo_rules_parse(const char *name, const char *dir, const char *text,
				size_t len, struct xo_buf *err)
{
	struct xo_rules *r = xo_calloc(1, sizeof *r);
	r->path = xo_strdup(name);
	r->env = xo_expr_env_new();
	r->var_value = xo_expr_env_var(r->env, "value");
	r->var_propensity = xo_expr_env_var(r->env, "propensity");
	r->var_weight = xo_expr_env_var(r->env, "weight");
	r->var_priority = xo_expr_env_var(r->env, "priority");
	r->var_action = xo_expr_env_var(r->env, "action");
	r->var_channel = xo_expr_env_var(r->env, "channel");
	r->policy.quiet_from = r->policy.quiet_to = -1;
	r->policy.top = 1;
	r->policy.default_timezone = xo_strdup("UTC");

	struct rparser p = { 0 };
	p.name = name;
	p.dir = dir;
	p.r = r;
	p.err = err;
	if (memchr(text, '\0', len)) {
		xo_buf_reset(err);
		xo_buf_printf(err, "%s: a NUL byte in a rules file", name);
		xo_rules_free(r);
		return NULL;
	}
	xo_lex_init(&p.lx, text, len, 1);
	int rc = parse_file(&p);
	if (rc == 0 && r->n_actions == 0) {
		fail(&p, 1, 1, "no action defined (a rules file needs at least one 'action')");
		rc = -1;
	}
	xo_lex_free(&p.lx);
	xo_buf_free(&p.scratch);
	if (rc != 0) {
		xo_rules_free(r);
		return NULL;
	}
	struct xo_policy *pol = &r->policy;
	pol->horizon = pol->cooldown;
	max_window(&pol->horizon, pol->caps, pol->n_caps);
	max_window(&pol->horizon, pol->channel_caps, pol->n_channel_caps);
	for (size_t i = 0; i < r->n_actions; i++)
		max_window(&pol->horizon, r->actions[i].caps, r->actions[i].n_caps);
	for (size_t i = 0; i < r->n_groups; i++)
		max_window(&pol->horizon, r->groups[i].caps, r->groups[i].n_caps);
	return r;
}

struct xo_rules *xo_rules_load(const char *path, struct xo_buf *err)
{
	struct xo_buf text = XO_BUF_INIT;
	if (xo_buf_read_file(&text, path) != 0) {
		xo_buf_reset(err);
		xo_buf_printf(err, "%s: %s", path, strerror(errno));
		xo_buf_free(&text);
		return NULL;
	}
	char *dir = xo_strdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	struct xo_rules *r = xo_rules_parse(path, slash ? dir : NULL, xo_buf_str(&text),
					    text.len, err);
	free(dir);
	xo_buf_free(&text);
	return r;
}

const struct xo_action *xo_rules_action(const struct xo_rules *r, const char *name)
{
	for (size_t i = 0; i < r->n_actions; i++)
		if (strcmp(r->actions[i].name, name) == 0)
			return &r->actions[i];
	return NULL;
}

static void free_caps(struct xo_cap *caps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(caps[i].channel);
	free(caps);
}

static void free_exprs(struct xo_expr **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		xo_expr_free(v[i]);
	free(v);
}

void xo_rules_free(struct xo_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_actions; i++) {
		struct xo_action *a = &r->actions[i];
		free(a->name);
		free_exprs(a->conds, a->n_conds);
		xo_expr_free(a->value);
		xo_expr_free(a->propensity);
		xo_expr_free(a->weight);
		xo_expr_free(a->review);
		free(a->channel);
		free_caps(a->caps, a->n_caps);
		free(a->note);
	}
	free(r->actions);
	for (size_t i = 0; i < r->n_groups; i++) {
		free(r->groups[i].name);
		free_caps(r->groups[i].caps, r->groups[i].n_caps);
	}
	free(r->groups);
	struct xo_policy *pol = &r->policy;
	free_caps(pol->caps, pol->n_caps);
	free_caps(pol->channel_caps, pol->n_channel_caps);
	for (size_t i = 0; i < pol->n_quiet_channels; i++)
		free(pol->quiet_channels[i]);
	free(pol->quiet_channels);
	xo_expr_free(pol->timezone);
	free(pol->default_timezone);
	free_exprs(pol->suppress, pol->n_suppress);
	json_decref(pol->suppressed);
	for (size_t i = 0; i < pol->n_suppress_lists; i++)
		free(pol->suppress_lists[i]);
	free(pol->suppress_lists);
	for (size_t i = 0; i < pol->n_consents; i++) {
		free(pol->consents[i].channel);
		xo_expr_free(pol->consents[i].expr);
	}
	free(pol->consents);
	free_exprs(pol->review, pol->n_review);
	/* Expressions first: they refer to the environment. */
	xo_expr_env_free(r->env);
	free(r->path);
	free(r);
}
