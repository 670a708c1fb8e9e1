/* evstore: events held compactly, for tools that must keep millions.
 *
 * xo-journey keeps every event of a customer (or of the whole input)
 * until it can put them in order. A JSON tree costs a kilobyte an
 * event; a struct xo_event costs 48 bytes plus its id and extras in an
 * arena. Only what a journey step needs is kept: ts, id, channel, type,
 * their token, source, survey measures (cx), the issue value, the text
 * (unless asked not to) and any --keep attributes.
 *
 * Reading is two calls so that a caller streaming grouped input can see
 * the customer of an event before anything is stored:
 * xo_evstore_next() reads and checks the next line (bad ones go to the
 * reject stream), xo_evstore_take() stores it. The store owns its names,
 * issues and arena; a struct xo_event points into them.
 */
#ifndef XO_EVSTORE_H
#define XO_EVSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "input.h"
#include "intern.h"
#include "jpath.h"
#include "jscan.h"
#include "progress.h"
#include "pseudo.h"
#include "rejects.h"
#include "shard.h"
#include "xtime.h"

/* Flags in the low bits of xo_event.extra. */
#define XO_EV_ID_STR 1u   /* id.str holds the id (else id.hex, 16 hex digits) */
#define XO_EV_NO_ID 2u    /* the event had no id */
#define XO_EV_FLAGS 7u

struct xo_cx_value {
	uint32_t name;   /* in the store's names */
	double value;
};

/* What only some events have; allocated in the store's arena. */
struct xo_event_extra {
	const char *text;   /* NULL when none (or --no-text) */
	const char *keep;   /* the --keep values as a JSON object text, or NULL */
	uint32_t text_len, keep_len;
	uint32_t n_cx;
	struct xo_cx_value cx[];
};

struct xo_event {
	xo_time_t ts;
	union {
		uint64_t hex;     /* 16 lower-case hex digits as a number */
		const char *str;  /* otherwise, NUL-terminated in the arena */
	} id;
	uintptr_t extra;      /* struct xo_event_extra * | XO_EV_ flags */
	uint32_t cust;        /* the caller's customer number */
	uint32_t channel, type, token, source; /* in names; source 0 when absent */
	uint32_t issue;       /* in issues; 0 when the event had none */
};

static inline const struct xo_event_extra *xo_event_extra(const struct xo_event *e)
{
	return (const struct xo_event_extra *)(e->extra & ~(uintptr_t)XO_EV_FLAGS);
}

#define XO_EV_TOKEN_CACHE 256

struct xo_evstore {
	struct xo_intern names;   /* channels, types, tokens, sources, cx names */
	struct xo_intern issues;  /* issue values */
	struct xo_arena arena;    /* ids and extras */
	/* Settings, filled by the caller before reading. */
	xo_time_t as_of;          /* later events are skipped and counted */
	const struct xo_path *const *issue; /* not owned: the first present wins */
	size_t n_issue;
	const struct xo_path *const *keep;  /* not owned */
	size_t n_keep;
	int keep_text;
	const struct xo_pseudo *pseudo; /* not owned: --hash-ids pseudonymizes kept ids */
	/* Counts. */
	uint64_t read, rejected, after_as_of;
	/* Input. */
	char *const *paths;
	int n_paths, next_path, open;
	struct xo_input in;
	struct xo_progress progress;
	struct xo_rejects *rejects; /* not owned */
	struct xo_shard shard;      /* events of other shards are skipped */
	unsigned long long other_shards;
	/* The line last read by xo_evstore_next, checked. */
	struct xo_jmembers m;
	int at[8];                  /* member index of each known key, -1 */
	xo_time_t ts;
	struct xo_buf xid, scratch, why;
	struct xo_token_cache {
		uint32_t channel, type, token;
	} token_cache[XO_EV_TOKEN_CACHE];
};

/* paths[0..n) or stdin; rejects may be NULL (counted and warned). */
void xo_evstore_init(struct xo_evstore *s, char *const *paths, int n,
		     struct xo_rejects *rejects);
/* Read the next usable event: 1, with its customer in *xid (valid
 * until the next call); 0 at the end of all input. */
int xo_evstore_next(struct xo_evstore *s, const char **xid, size_t *xid_len);
/* Store the event last read by xo_evstore_next into *ev. */
void xo_evstore_take(struct xo_evstore *s, struct xo_event *ev);
/* Where the event last read came from, for messages. */
const char *xo_evstore_file(const struct xo_evstore *s);
long xo_evstore_line(const struct xo_evstore *s);
/* The event's id as text (empty when none) into buf[17] or its string. */
const char *xo_event_id(const struct xo_event *e, char buf[17]);
/* Order of events in a journey: ts, then id (bytes), then address
 * (which is input order within one array). */
int xo_event_cmp(const struct xo_event *a, const struct xo_event *b);
/* Forget the arena and issues (after a customer, in streaming mode). */
void xo_evstore_reset_customer(struct xo_evstore *s);
void xo_evstore_free(struct xo_evstore *s);

#endif
