/* journey: one customer's journey, built from their events, and the
 * context figures every later stage reads (xo-journey(5) defines each).
 *
 * A struct xo_jbuilder holds the settings (struct xo_jconfig) and the
 * per-token facts worked out once per distinct token (is it a contact,
 * which episode patterns it matches). xo_journey_build() orders a
 * customer's events and fills a struct xo_journey, whose arrays the
 * journey owns and reuses from customer to customer; its steps point at
 * the events, which must outlive it.
 */
#ifndef XO_JOURNEY_H
#define XO_JOURNEY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "evstore.h"
#include "intern.h"
#include "jsonw.h"
#include "rx.h"
#include "xtime.h"

#define XO_JOURNEY_MAX_KINDS 32
#define XO_USEC_PER_DAY (INT64_C(86400) * XO_USEC_PER_SEC)

/* An episode kind: from a step matching start to one matching end. */
struct xo_episode_kind {
	char *name;             /* owned */
	struct xo_rx *start;    /* owned */
	struct xo_rx *end;      /* owned */
	xo_time_t timeout;
};

struct xo_jconfig {
	xo_time_t as_of;
	xo_time_t gap;               /* session inactivity gap */
	xo_time_t repeat_window;     /* repeat contacts */
	struct xo_rx *contact;       /* owned: which tokens are contacts */
	struct xo_episode_kind kinds[XO_JOURNEY_MAX_KINDS]; /* [0] is "issue" */
	size_t n_kinds;
	size_t max_steps;            /* steps written; 0: all */
};

/* The defaults of xo-journey(5), with the built-in "issue" kind. */
void xo_jconfig_init(struct xo_jconfig *c);
/* Add or (same name) replace a kind; the config takes start and end.
 * -1 when there are too many kinds. */
int xo_jconfig_kind(struct xo_jconfig *c, const char *name, struct xo_rx *start,
		    struct xo_rx *end, xo_time_t timeout);
void xo_jconfig_free(struct xo_jconfig *c);

enum xo_episode_status { XO_EP_OPEN, XO_EP_RESOLVED, XO_EP_TIMEOUT };

struct xo_jstep {
	const struct xo_event *ev;
	uint32_t session;
	uint32_t issue;      /* in the builder's issue keys; 0 for non-contacts */
	uint8_t contact, repeat;
};

struct xo_jsession {
	uint32_t first, last;
};

struct xo_jepisode {
	uint32_t kind;
	uint32_t key;        /* in the builder's issue keys */
	enum xo_episode_status status;
	uint32_t first, last, repeats;
	xo_time_t start, end;
};

struct xo_jcx {
	uint32_t name;       /* in the store's names */
	uint32_t n;
	double last, prev, sum;
	xo_time_t last_ts;
};

struct xo_jkind_stats {
	uint32_t started, resolved, timeout, open;
	double ttr_sum_days, ttr_last_days; /* over resolved */
	xo_time_t oldest_open;              /* start; valid when open > 0 */
};

struct xo_jchannel {
	uint32_t channel, steps;
};

struct xo_jcontext {
	uint32_t active_days, contacts, contacts_7d, contacts_30d, contacts_90d;
	uint32_t channel_switches, first_contacts, repeat_contacts, fcr_failed;
	xo_time_t last_contact;              /* valid when contacts > 0 */
	struct xo_jkind_stats kinds[XO_JOURNEY_MAX_KINDS];
	struct xo_jchannel *channels;        /* most used first */
	size_t n_channels, cap_channels;
	struct xo_jcx *cx;                   /* by name */
	size_t n_cx, cap_cx;
};

struct xo_journey {
	const char *xid;             /* not owned */
	size_t xid_len;
	xo_time_t as_of;
	struct xo_jstep *steps;
	size_t n_steps, cap_steps;
	struct xo_jsession *sessions;
	size_t n_sessions, cap_sessions;
	struct xo_jepisode *episodes;
	size_t n_episodes, cap_episodes;
	struct xo_jcontext ctx;
};

/* What a builder knows about one token. */
struct xo_jtoken {
	uint8_t known, contact;
	uint32_t starts, ends;       /* bit k: matches kind k's start, end */
};

struct xo_jbuilder {
	const struct xo_jconfig *cfg;     /* not owned */
	const struct xo_evstore *store;   /* not owned: names and issues */
	struct xo_jtoken *tokens;         /* by token number */
	size_t cap_tokens;
	struct xo_intern keys;            /* this customer's issue keys */
	xo_time_t *key_last;              /* by key: last contact */
	uint8_t *key_failed;              /* by key: the chain has a repeat */
	size_t cap_keys;
	size_t *open;                     /* indices of open episodes */
	size_t n_open, cap_open;
	const struct xo_event **sort_tmp;
	size_t cap_sort_tmp;
	struct xo_buf scratch;
	uint64_t rx_limits;               /* pattern limits hit */
	uint64_t duplicates;              /* events dropped as repeats of an id */
};

void xo_jbuilder_init(struct xo_jbuilder *b, const struct xo_jconfig *cfg,
		      const struct xo_evstore *store);
void xo_jbuilder_free(struct xo_jbuilder *b);
/* The facts of a token (computed on first use). */
const struct xo_jtoken *xo_jbuilder_token(struct xo_jbuilder *b, uint32_t token);
/* The text of an issue key. */
const char *xo_jbuilder_key(const struct xo_jbuilder *b, uint32_t key, size_t *len);

/* Sort evs[0..n) (see xo_event_cmp) and build the journey of xid. */
void xo_journey_build(struct xo_jbuilder *b, const char *xid, size_t xid_len,
		      const struct xo_event **evs, size_t n, struct xo_journey *j);
void xo_journey_free(struct xo_journey *j);

/* Days between two instants, rounded to three decimals. */
double xo_days(xo_time_t from, xo_time_t to);

#endif
