/* decidestate: xo-decide's state file (SQLite through lib/db.h): the
 * contact history that caps and cooldowns count, and the review queue.
 *
 * Tables (schema 3; a file of schema 1 or 2 is upgraded when opened
 * for writing, and read as it is otherwise):
 *   contact(id, xid, ts, action, channel, grp, status, decision_id)
 *     status 'sent' (an automatic contact or an approved review) or
 *     'held' (waiting in the review queue; counts like a contact);
 *     indexed by (xid, ts), and the held ones apart
 *   review(id, decision_id, xid, action, channel, created, reason,
 *     decision, status, reviewer, verdict_ts, verdict_reason,
 *     new_action, new_channel, exported, contact_id)
 *     status 'pending', 'approved', 'rejected' or 'changed'
 *
 * Writers work inside xo_dstate_begin()/xo_dstate_commit(), which take
 * the write lock at once (BEGIN IMMEDIATE): what a writer reads there
 * is the latest state and stays so until it commits, which is what lets
 * two runs at once never contact a customer twice.
 *
 * A struct xo_dstate owns its database handle and statements; the
 * history it returns lives until the next call for another customer.
 */
#ifndef XO_DECIDESTATE_H
#define XO_DECIDESTATE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "xtime.h"

enum xo_dstate_mode {
	XO_DSTATE_WRITE,    /* create when absent; record contacts */
	XO_DSTATE_READ,     /* read-only (--dry-run, --as-of); an absent file
			     * is an empty history */
	XO_DSTATE_MEMORY,   /* no file: history lives for this run only */
};

struct xo_contact {
	xo_time_t ts;
	const char *action, *channel, *group; /* group "" for none */
	int held;                             /* waiting for review */
};

struct xo_history {
	struct xo_contact *v;
	size_t n, cap;
	struct xo_buf strings;                /* the names, NUL-separated */
};

struct xo_dstate;

struct xo_dstate *xo_dstate_open(const char *path, enum xo_dstate_mode mode, int busy_ms);
void xo_dstate_close(struct xo_dstate *s);
/* Commit without waiting for the disk (SQLite synchronous=NORMAL in WAL
 * mode): still atomic and consistent, and safe when the process dies,
 * but a power failure may undo the last transactions. For streams that
 * cannot wait for an fsync per record. */
void xo_dstate_fast_commits(struct xo_dstate *s);
/* Copy the log into the database (a checkpoint, which waits for the
 * disk) in xo_dstate_idle() rather than inside the commit that filled
 * the log, so that the wait falls after the output. */
void xo_dstate_defer_checkpoints(struct xo_dstate *s);
/* Between transactions, once their output is out: the work the commits
 * put off. */
void xo_dstate_idle(struct xo_dstate *s);
int xo_dstate_writable(const struct xo_dstate *s);
void xo_dstate_begin(struct xo_dstate *s);
void xo_dstate_commit(struct xo_dstate *s);

/* Contacts of xid with since < ts <= until, and every held one up to
 * until, oldest first, into h (reset first). */
void xo_dstate_history(struct xo_dstate *s, const char *xid, xo_time_t since,
		       xo_time_t until, struct xo_history *h);
void xo_history_free(struct xo_history *h);

/* Inside a transaction: read the histories of n customers (duplicates
 * allowed) at once, in one query. Until the transaction ends,
 * xo_dstate_history() with the same since and until gives theirs from
 * memory, contacts recorded since included, exactly as the file would.
 * If SQLite cannot take the list, each is read from the file as before. */
void xo_dstate_prefetch(struct xo_dstate *s, const char *const *xids, size_t n,
			xo_time_t since, xo_time_t until);

/* Record an automatic contact. It reaches the file with others in one
 * statement, at the latest when the transaction commits (and before
 * anything reads the file), in the order they were recorded. */
void xo_dstate_contact(struct xo_dstate *s, const char *xid, xo_time_t ts, const char *action,
		       const char *channel, const char *group, const char *decision_id);
/* Queue a decision for review and hold the contact; returns the review
 * id. Both rows wait with the contacts, in order, and are numbered
 * before they are written, as SQLite would number them. */
int64_t xo_dstate_queue(struct xo_dstate *s, const char *xid, xo_time_t ts, const char *action,
			const char *channel, const char *group, const char *decision_id,
			const char *reason, const char *decision_json);

/* ---- the review queue ---- */

struct xo_review {
	int64_t id;
	char *decision_id, *xid, *action, *channel, *reason, *decision, *status;
	char *reviewer, *verdict_reason, *new_action, *new_channel;
	xo_time_t created, verdict_ts;  /* verdict_ts 0: none */
	int exported;
};

/* Reviews with that status ("pending", "approved", ... or NULL for all),
 * oldest first; the caller frees with xo_reviews_free. */
struct xo_review *xo_dstate_reviews(struct xo_dstate *s, const char *status, size_t *n);
/* One review, or NULL when there is none with that id. */
struct xo_review *xo_dstate_review(struct xo_dstate *s, int64_t id);
void xo_reviews_free(struct xo_review *v, size_t n);

enum xo_verdict { XO_VERDICT_APPROVE, XO_VERDICT_REJECT, XO_VERDICT_CHANGE };

/* Store a verdict on a pending review, in its own transaction. Approve
 * and change turn the held contact into a contact at time now (change
 * with new_action/new_channel, either may be NULL); reject drops it.
 * 0, or -1 with why set when the review is absent or not pending. */
int xo_dstate_verdict(struct xo_dstate *s, int64_t id, enum xo_verdict v, const char *reviewer,
		      const char *reason, const char *new_action, const char *new_channel,
		      const char *new_group, xo_time_t now, struct xo_buf *why);
/* Mark approved reviews as exported. */
void xo_dstate_mark_exported(struct xo_dstate *s, int64_t id);

/* ---- retention ---- */

/* Delete the sent contacts from before that time (held ones stay), a
 * slice of the file at a time so that runs deciding meanwhile are held
 * up by one slice, not the whole; returns how many. A state opened
 * read-only is not changed: the answer is how many would go. The file
 * does not shrink; the runs after reuse its free pages. */
uint64_t xo_dstate_prune(struct xo_dstate *s, xo_time_t before);
/* The same for the reviews settled before that time: rejected ones, and
 * approved or changed ones once exported. Pending reviews and those
 * approved but not yet exported stay. */
uint64_t xo_dstate_prune_reviews(struct xo_dstate *s, xo_time_t before);

#endif
