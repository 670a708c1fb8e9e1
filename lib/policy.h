/* policy: the contact policy of a rules file applied to one customer
 * at one moment: suppression, channel consent, quiet hours in the
 * customer's zone, a review already pending, the cooldown after any
 * contact, caps per customer (overall, per channel, per action, per
 * group) over sliding windows, and mutual exclusion within a group.
 *
 * Caps count the customer's history (contacts and held reviews) plus
 * the actions already chosen in this same decision; the cooldown looks
 * at the history only, so --top K can still pick K actions at once.
 *
 * A struct xo_policy_run borrows everything it points to; the caller
 * owns the record context, the history and the chosen list.
 */
#ifndef XO_POLICY_H
#define XO_POLICY_H

#include "buf.h"
#include "decidestate.h"
#include "expr.h"
#include "rules.h"
#include "tz.h"

enum xo_block {
	XO_BLOCK_NONE,
	XO_BLOCK_SUPPRESSED,
	XO_BLOCK_CONSENT,
	XO_BLOCK_QUIET_HOURS,
	XO_BLOCK_PENDING_REVIEW,
	XO_BLOCK_COOLDOWN,
	XO_BLOCK_CAP,
	XO_BLOCK_CHANNEL_CAP,
	XO_BLOCK_ACTION_CAP,
	XO_BLOCK_GROUP_CAP,
	XO_BLOCK_GROUP,          /* another action of its group was chosen */
	XO_BLOCK_TOP,            /* ranked below the top K */
};

/* "cooldown", "channel_cap", ...: the names the trace uses. */
const char *xo_block_name(enum xo_block b);

struct xo_policy_run {
	const struct xo_rules *rules;
	struct xo_expr_ctx *ctx;      /* reset on the customer's record */
	const char *xid;
	xo_time_t now;
	const struct xo_history *history;
	const struct xo_action **chosen;
	size_t n_chosen;
	/* Filled lazily. */
	int suppressed;               /* -1 unknown, 0, 1 */
	struct xo_buf suppress_why;
	const struct xo_tz *tz;
	struct xo_buf tz_note;
};

void xo_policy_run_init(struct xo_policy_run *run, const struct xo_rules *rules,
			struct xo_expr_ctx *ctx, const char *xid, xo_time_t now,
			const struct xo_history *history);
void xo_policy_run_free(struct xo_policy_run *run);

/* May this action be taken now? XO_BLOCK_NONE, or the first policy that
 * stops it with the reason in why. Does not check XO_BLOCK_TOP. */
enum xo_block xo_policy_check(struct xo_policy_run *run, const struct xo_action *a,
			      struct xo_buf *why);

/* Must a person review it? 1 with the reason in why. The review
 * expressions see $value, $propensity, $weight, $priority, $action and
 * $channel, which the caller has set in the context. */
int xo_policy_needs_review(struct xo_policy_run *run, const struct xo_action *a,
			   struct xo_buf *why);

/* "48h", "30d", "90m": a window as people write it. */
void xo_duration_text(struct xo_buf *out, xo_time_t d);

#endif
