/* rules: the rules file of xo-decide (xo-rules(5)): actions with their
 * eligibility, value, propensity, weight, channel, route, group and
 * caps; groups and their caps; and the contact policy.
 *
 * A file with any error is refused whole: xo_rules_load() returns NULL
 * and err holds "FILE:LINE:COL: expected ..., found ...".
 *
 * struct xo_rules owns everything in it, the expression environment
 * included; xo_rules_free() releases it all.
 */
#ifndef XO_RULES_H
#define XO_RULES_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "expr.h"
#include "xtime.h"

/* At most n contacts in any window of the given length. */
struct xo_cap {
	long n;
	xo_time_t window;
	char *channel;       /* policy channel caps only; else NULL */
	long line;
};

enum xo_route { XO_ROUTE_AUTO, XO_ROUTE_HUMAN };

struct xo_action {
	char *name;
	long line;
	struct xo_expr **conds;     /* all must hold: each 'when', split at 'and' */
	size_t n_conds;
	struct xo_expr *value;      /* NULL: 1 */
	struct xo_expr *propensity; /* NULL: 1 */
	struct xo_expr *weight;     /* NULL: 1 */
	struct xo_expr *review;     /* route to a person when true; may be NULL */
	char *channel;
	enum xo_route route;
	int group;                  /* index into groups, -1 for none */
	struct xo_cap *caps;
	size_t n_caps;
	char *note;                 /* NULL when none */
};

struct xo_group {
	char *name;
	long line;
	struct xo_cap *caps;
	size_t n_caps;
};

struct xo_consent {
	char *channel;
	struct xo_expr *expr;
};

struct xo_policy {
	xo_time_t cooldown;          /* 0: none */
	struct xo_cap *caps;         /* per customer, any action */
	size_t n_caps;
	struct xo_cap *channel_caps; /* per customer and channel */
	size_t n_channel_caps;
	int quiet_from, quiet_to;    /* minutes after local midnight; -1: none */
	char **quiet_channels;       /* none: every channel */
	size_t n_quiet_channels;
	struct xo_expr *timezone;    /* the customer's zone name; may be NULL */
	char *default_timezone;      /* "UTC" unless set */
	struct xo_expr **suppress;   /* a customer is suppressed when any holds */
	size_t n_suppress;
	json_t *suppressed;          /* xids from suppress_list files (an object used as a set) */
	char **suppress_lists;       /* their names as the rules file gives them */
	size_t n_suppress_lists;
	struct xo_consent *consents;
	size_t n_consents;
	struct xo_expr **review;     /* route to a person when any holds */
	size_t n_review;
	int top;                     /* decisions per record; 1 unless set */
	xo_time_t horizon;           /* the longest window any cap or cooldown looks back */
};

struct xo_rules {
	char *path;
	struct xo_expr_env *env;
	/* Variables of review expressions. */
	int var_value, var_propensity, var_weight, var_priority, var_action, var_channel;
	struct xo_action *actions;
	size_t n_actions;
	struct xo_group *groups;
	size_t n_groups;
	struct xo_policy policy;
};

/* Read and check a rules file; NULL with the first error in err. */
struct xo_rules *xo_rules_load(const char *path, struct xo_buf *err);
/* The same from text; name is used in messages, dir resolves
 * suppress_list paths (NULL: the current directory). */
struct xo_rules *xo_rules_parse(const char *name, const char *dir, const char *text,
				size_t len, struct xo_buf *err);
/* The action of that name, or NULL. */
const struct xo_action *xo_rules_action(const struct xo_rules *r, const char *name);
void xo_rules_free(struct xo_rules *r);

#endif
