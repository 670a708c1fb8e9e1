#include "policy.h"

#include <string.h>

static const char *const block_names[] = {
	[XO_BLOCK_NONE] = "none",
	[XO_BLOCK_SUPPRESSED] = "suppressed",
	[XO_BLOCK_CONSENT] = "consent",
	[XO_BLOCK_QUIET_HOURS] = "quiet_hours",
	[XO_BLOCK_PENDING_REVIEW] = "pending_review",
	[XO_BLOCK_COOLDOWN] = "cooldown",
	[XO_BLOCK_CAP] = "cap",
	[XO_BLOCK_CHANNEL_CAP] = "channel_cap",
	[XO_BLOCK_ACTION_CAP] = "action_cap",
	[XO_BLOCK_GROUP_CAP] = "group_cap",
	[XO_BLOCK_GROUP] = "group",
	[XO_BLOCK_TOP] = "top",
};

const char *xo_block_name(enum xo_block b)
{
	return block_names[b];
}

void xo_duration_text(struct xo_buf *out, xo_time_t d)
{
	static const struct { const char *unit; xo_time_t usec; } units[] = {
		{ "d", 86400 * XO_USEC_PER_SEC }, { "h", 3600 * XO_USEC_PER_SEC },
		{ "m", 60 * XO_USEC_PER_SEC }, { "s", XO_USEC_PER_SEC },
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (d % units[i].usec == 0) {
			xo_buf_printf(out, "%lld%s", (long long)(d / units[i].usec), units[i].unit);
			return;
		}
	}
	xo_buf_printf(out, "%.3fs", (double)d / 1e6);
}

void xo_policy_run_init(struct xo_policy_run *run, const struct xo_rules *rules,
			struct xo_expr_ctx *ctx, const char *xid, xo_time_t now,
			const struct xo_history *history)
{
	struct xo_buf why = run->suppress_why, note = run->tz_note;
	memset(run, 0, sizeof *run);
	run->rules = rules;
	run->ctx = ctx;
	run->xid = xid;
	run->now = now;
	run->history = history;
	run->suppressed = -1;
	xo_buf_reset(&why);
	xo_buf_reset(&note);
	run->suppress_why = why;
	run->tz_note = note;
}

void xo_policy_run_free(struct xo_policy_run *run)
{
	xo_buf_free(&run->suppress_why);
	xo_buf_free(&run->tz_note);
}

static int holds(struct xo_policy_run *run, const struct xo_expr *e, struct xo_buf *err)
{
	xo_expr_ctx_clear_error(run->ctx);
	struct xo_val v = xo_expr_eval(e, run->ctx);
	if (v.type == XO_VAL_ERROR) {
		xo_buf_printf(err, " (error: %s)", xo_expr_ctx_error(run->ctx));
		return 0;
	}
	return xo_val_truthy(&v);
}

static int is_suppressed(struct xo_policy_run *run)
{
	if (run->suppressed >= 0)
		return run->suppressed;
	const struct xo_policy *pol = &run->rules->policy;
	run->suppressed = 0;
	if (pol->suppressed && json_object_get(pol->suppressed, run->xid)) {
		run->suppressed = 1;
		xo_buf_printf(&run->suppress_why, "on the suppression list");
		for (size_t i = 0; i < pol->n_suppress_lists; i++)
			xo_buf_printf(&run->suppress_why, "%s %s", i ? "," : "", pol->suppress_lists[i]);
		return 1;
	}
	for (size_t i = 0; i < pol->n_suppress; i++) {
		struct xo_buf err = XO_BUF_INIT;
		if (holds(run, pol->suppress[i], &err)) {
			run->suppressed = 1;
			xo_buf_printf(&run->suppress_why, "suppress %s", xo_expr_text(pol->suppress[i]));
			xo_buf_free(&err);
			return 1;
		}
		xo_buf_free(&err);
	}
	return 0;
}

static const struct xo_tz *customer_zone(struct xo_policy_run *run)
{
	if (run->tz)
		return run->tz;
	const struct xo_policy *pol = &run->rules->policy;
	const char *why = NULL;
	if (pol->timezone) {
		xo_expr_ctx_clear_error(run->ctx);
		struct xo_val v = xo_expr_eval(pol->timezone, run->ctx);
		if (v.type == XO_VAL_STR) {
			struct xo_buf name = XO_BUF_INIT;
			xo_buf_add(&name, v.str, v.len);
			run->tz = xo_tz_get(xo_buf_str(&name), &why);
			if (!run->tz)
				xo_buf_printf(&run->tz_note, "; zone \"%s\" unknown (%s), used %s",
					      xo_buf_str(&name), why, pol->default_timezone);
			xo_buf_free(&name);
		} else {
			xo_buf_printf(&run->tz_note, "; no zone in %s, used %s",
				      xo_expr_text(pol->timezone), pol->default_timezone);
		}
	}
	if (!run->tz)
		run->tz = xo_tz_get(pol->default_timezone, &why);
	if (!run->tz)
		run->tz = xo_tz_utc();
	return run->tz;
}

static void clock_text(struct xo_buf *out, int minutes)
{
	xo_buf_printf(out, "%02d:%02d", minutes / 60, minutes % 60);
}

static int quiet_now(struct xo_policy_run *run, const struct xo_action *a, struct xo_buf *why)
{
	const struct xo_policy *pol = &run->rules->policy;
	if (pol->quiet_from < 0)
		return 0;
	if (pol->n_quiet_channels) {
		size_t i;
		for (i = 0; i < pol->n_quiet_channels; i++)
			if (strcmp(pol->quiet_channels[i], a->channel) == 0)
				break;
		if (i == pol->n_quiet_channels)
			return 0;
	}
	const struct xo_tz *tz = customer_zone(run);
	int64_t sec = run->now / XO_USEC_PER_SEC;
	if (run->now % XO_USEC_PER_SEC < 0)
		sec--;
	int64_t local = sec + xo_tz_offset_at(tz, sec);
	int minute = (int)(((local % 86400) + 86400) % 86400 / 60);
	int from = pol->quiet_from, to = pol->quiet_to;
	int quiet = from < to ? minute >= from && minute < to : minute >= from || minute < to;
	if (!quiet)
		return 0;
	xo_buf_adds(why, "quiet hours ");
	clock_text(why, from);
	xo_buf_addc(why, '-');
	clock_text(why, to);
	xo_buf_printf(why, " in %s (local time ", xo_tz_name(tz));
	clock_text(why, minute);
	xo_buf_printf(why, ")%s", xo_buf_str(&run->tz_note));
	return 1;
}

static int consent_missing(struct xo_policy_run *run, const struct xo_action *a, struct xo_buf *why)
{
	const struct xo_policy *pol = &run->rules->policy;
	for (size_t i = 0; i < pol->n_consents; i++) {
		if (strcmp(pol->consents[i].channel, a->channel) != 0)
			continue;
		struct xo_buf err = XO_BUF_INIT;
		int ok = holds(run, pol->consents[i].expr, &err);
		if (!ok)
			xo_buf_printf(why, "no consent for %s: %s does not hold%s", a->channel,
				      xo_expr_text(pol->consents[i].expr), xo_buf_str(&err));
		xo_buf_free(&err);
		return !ok;
	}
	return 0;
}

/* Which contacts a cap counts. */
enum scope { ANY, CHANNEL, ACTION, GROUP };

static int in_scope(enum scope sc, const char *key, const char *action, const char *channel,
		    const char *group)
{
	switch (sc) {
	case ANY: return 1;
	case CHANNEL: return strcmp(channel, key) == 0;
	case ACTION: return strcmp(action, key) == 0;
	default: return group && strcmp(group, key) == 0;
	}
}

static const char *group_name(const struct xo_rules *r, const struct xo_action *a)
{
	return a->group >= 0 ? r->groups[a->group].name : "";
}

/* 1 when the cap is reached, with why. */
static int cap_reached(struct xo_policy_run *run, const struct xo_cap *cap, enum scope sc,
		       const char *key, struct xo_buf *why)
{
	long count = 0;
	xo_time_t since = run->now - cap->window;
	for (size_t i = 0; i < run->history->n; i++) {
		const struct xo_contact *c = &run->history->v[i];
		if (c->ts > since && in_scope(sc, key, c->action, c->channel, c->group))
			count++;
	}
	for (size_t i = 0; i < run->n_chosen; i++) {
		const struct xo_action *c = run->chosen[i];
		if (in_scope(sc, key, c->name, c->channel, group_name(run->rules, c)))
			count++;
	}
	if (count < cap->n)
		return 0;
	static const char *const what[] = { "contact", "%s contact", "%s", "contact from group %s" };
	xo_buf_printf(why, "%ld ", count);
	xo_buf_printf(why, what[sc], key);
	if (count != 1 && sc != ACTION)
		xo_buf_addc(why, 's');
	xo_buf_adds(why, " in the last ");
	xo_duration_text(why, cap->window);
	xo_buf_printf(why, "; cap %ld per ", cap->n);
	xo_duration_text(why, cap->window);
	return 1;
}

static enum xo_block check_caps(struct xo_policy_run *run, const struct xo_action *a,
				struct xo_buf *why)
{
	const struct xo_rules *r = run->rules;
	const struct xo_policy *pol = &r->policy;
	for (size_t i = 0; i < pol->n_caps; i++)
		if (cap_reached(run, &pol->caps[i], ANY, "", why))
			return XO_BLOCK_CAP;
	for (size_t i = 0; i < pol->n_channel_caps; i++)
		if (strcmp(pol->channel_caps[i].channel, a->channel) == 0 &&
		    cap_reached(run, &pol->channel_caps[i], CHANNEL, a->channel, why))
			return XO_BLOCK_CHANNEL_CAP;
	for (size_t i = 0; i < a->n_caps; i++)
		if (cap_reached(run, &a->caps[i], ACTION, a->name, why))
			return XO_BLOCK_ACTION_CAP;
	if (a->group >= 0) {
		const struct xo_group *g = &r->groups[a->group];
		for (size_t i = 0; i < g->n_caps; i++)
			if (cap_reached(run, &g->caps[i], GROUP, g->name, why))
				return XO_BLOCK_GROUP_CAP;
	}
	return XO_BLOCK_NONE;
}

enum xo_block xo_policy_check(struct xo_policy_run *run, const struct xo_action *a,
			      struct xo_buf *why)
{
	const struct xo_rules *r = run->rules;
	const struct xo_history *h = run->history;
	if (is_suppressed(run)) {
		xo_buf_adds(why, xo_buf_str(&run->suppress_why));
		return XO_BLOCK_SUPPRESSED;
	}
	if (consent_missing(run, a, why))
		return XO_BLOCK_CONSENT;
	if (quiet_now(run, a, why))
		return XO_BLOCK_QUIET_HOURS;
	for (size_t i = 0; i < h->n; i++) {
		if (h->v[i].held && strcmp(h->v[i].action, a->name) == 0) {
			char ts[XO_TIME_BUFSIZE];
			xo_time_format(h->v[i].ts, ts);
			xo_buf_printf(why, "already waiting for review since %s", ts);
			return XO_BLOCK_PENDING_REVIEW;
		}
	}
	xo_time_t cooldown = r->policy.cooldown;
	if (cooldown > 0 && h->n > 0) {
		const struct xo_contact *last = &h->v[h->n - 1];
		if (last->ts > run->now - cooldown) {
			char ts[XO_TIME_BUFSIZE];
			xo_time_format(last->ts, ts);
			xo_buf_printf(why, "last contact %s (%s by %s) is within the ", ts,
				      last->action, last->channel);
			xo_duration_text(why, cooldown);
			xo_buf_adds(why, " cooldown");
			return XO_BLOCK_COOLDOWN;
		}
	}
	enum xo_block b = check_caps(run, a, why);
	if (b != XO_BLOCK_NONE)
		return b;
	if (a->group >= 0) {
		for (size_t i = 0; i < run->n_chosen; i++) {
			if (run->chosen[i]->group == a->group) {
				xo_buf_printf(why, "group %s already has %s in this decision",
					      r->groups[a->group].name, run->chosen[i]->name);
				return XO_BLOCK_GROUP;
			}
		}
	}
	return XO_BLOCK_NONE;
}

int xo_policy_needs_review(struct xo_policy_run *run, const struct xo_action *a,
			   struct xo_buf *why)
{
	if (a->route == XO_ROUTE_HUMAN) {
		xo_buf_adds(why, "route human");
		return 1;
	}
	/* A review condition that cannot be evaluated sends the decision to
	 * a person too: when in doubt, ask. */
	struct xo_buf err = XO_BUF_INIT;
	const struct xo_expr *hit = NULL;
	if (a->review && (holds(run, a->review, &err) || err.len))
		hit = a->review;
	const struct xo_policy *pol = &run->rules->policy;
	for (size_t i = 0; !hit && i < pol->n_review; i++)
		if (holds(run, pol->review[i], &err) || err.len)
			hit = pol->review[i];
	if (hit)
		xo_buf_printf(why, "review %s%s", xo_expr_text(hit), xo_buf_str(&err));
	xo_buf_free(&err);
	return hit != NULL;
}
