#include "decidestate.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "db.h"
#include "diag.h"
#include "intern.h"
#include "mem.h"

/* Schema 2 adds contact_held: without it, a customer's held contacts
 * older than the policy's horizon can only be found by reading every
 * contact of theirs, so reading a history got slower with each run. */
#define CONTACT_HELD "CREATE INDEX contact_held ON contact(xid, ts) WHERE status = 'held';"

/* Schema 3 drops the UNIQUE of review.decision_id: nothing looks a
 * review up by it, and its index took each new review to a page of its
 * own (decision ids are hashes), more of them with every run. SQLite
 * cannot drop a constraint: the table is made again. */
#define REVIEW_COLUMNS_SQL                                                     \
	"  (id INTEGER PRIMARY KEY,"                                           \
	"  decision_id TEXT NOT NULL,"                                         \
	"  xid TEXT NOT NULL,"                                                 \
	"  action TEXT NOT NULL,"                                              \
	"  channel TEXT NOT NULL,"                                             \
	"  created INTEGER NOT NULL,"                                          \
	"  reason TEXT NOT NULL,"                                              \
	"  decision TEXT NOT NULL,"                                            \
	"  status TEXT NOT NULL DEFAULT 'pending'"                             \
	"    CHECK (status IN ('pending', 'approved', 'rejected', 'changed')),"\
	"  reviewer TEXT, verdict_ts INTEGER, verdict_reason TEXT,"            \
	"  new_action TEXT, new_channel TEXT,"                                 \
	"  exported INTEGER NOT NULL DEFAULT 0,"                               \
	"  contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL);"
#define REVIEW_BY_STATUS "CREATE INDEX review_by_status ON review(status, id);"

static const char *const upgrade[] = {
	CONTACT_HELD,
	"CREATE TABLE review_3" REVIEW_COLUMNS_SQL
	"INSERT INTO review_3 SELECT * FROM review;"
	"DROP TABLE review;"
	"ALTER TABLE review_3 RENAME TO review;"
	REVIEW_BY_STATUS,
};

static const struct xo_db_schema schema = {
	0x786f4443, /* "xoDC" */
	"xo-decide state",
	3,
	"CREATE TABLE contact ("
	"  id INTEGER PRIMARY KEY,"
	"  xid TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"               /* microseconds since the epoch */
	"  action TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  grp TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL CHECK (status IN ('sent', 'held')),"
	"  decision_id TEXT NOT NULL);"
	"CREATE INDEX contact_by_xid ON contact(xid, ts);"
	"CREATE TABLE review" REVIEW_COLUMNS_SQL
	REVIEW_BY_STATUS
	CONTACT_HELD,
	upgrade,
	1, /* schemas 1 and 2 answer the same queries: --dry-run need not upgrade */
};

enum { ST_HISTORY, ST_CONTACT, ST_QUEUE, ST_BATCH, ST_CONTACTS, ST_LAST_IDS, ST_COUNT };

/* Contacts written by one statement (ST_CONTACTS): a statement's start
 * and end cost about as much as the row. */
#define CONTACTS_PER_INSERT 32

static const char *const sql[ST_COUNT] = {
	/* Two ranges of the indexes, not "ts > ?2 OR status = 'held'",
	 * which reads every contact the customer ever had. */
	[ST_HISTORY] = "SELECT ts, action, channel, grp, status, id FROM contact"
		       " WHERE xid = ?1 AND ts > ?2 AND ts <= ?3"
		       " UNION ALL SELECT ts, action, channel, grp, status, id FROM contact"
		       " WHERE xid = ?1 AND status = 'held' AND ts <= ?2"
		       " ORDER BY 1, 6",
	/* id NULL: the next one, as SQLite numbers rows (the largest + 1). */
	[ST_CONTACT] = "INSERT INTO contact (id, xid, ts, action, channel, grp, status, decision_id)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_QUEUE] = "INSERT INTO review (id, decision_id, xid, action, channel, created, reason,"
		     " decision, contact_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_LAST_IDS] = "SELECT (SELECT coalesce(max(id), 0) FROM contact),"
			" (SELECT coalesce(max(id), 0) FROM review)",
	/* ST_HISTORY for the customers in a JSON array, all at once: one
	 * walk along the index instead of a query per customer. */
	[ST_BATCH] = "SELECT xid, ts, action, channel, grp, status, id FROM contact"
		     " WHERE xid IN (SELECT value FROM json_each(?1)) AND ts > ?2 AND ts <= ?3"
		     " UNION ALL SELECT xid, ts, action, channel, grp, status, id FROM contact"
		     " WHERE xid IN (SELECT value FROM json_each(?1))"
		     " AND status = 'held' AND ts <= ?2"
		     " ORDER BY 1, 2, 7",
	[ST_CONTACTS] = NULL, /* ST_CONTACT's values CONTACTS_PER_INSERT times: made */
};

/* A contact waiting to be written; texts as offsets into the waiting
 * strings. */
struct waiting {
	int64_t id;                   /* 0: the next SQLite gives */
	size_t xid, action, channel, group, decision_id;
	xo_time_t ts;
	int held;
};

/* A review waiting to be written, after the contacts (it names one). */
struct waiting_review {
	int64_t id, contact_id;
	size_t decision_id, xid, action, channel, reason, decision;
	xo_time_t created;
};

/* A contact kept in memory; names as offsets into the strings. */
struct kept {
	xo_time_t ts;
	size_t action, channel, group;
	int held;
	uint32_t next;                /* added ones: the customer's next, 0: none */
};

/* Where a customer's contacts are in kept[]: those read (first, n), then
 * those recorded since, linked from added (0: none; kept[0] is unused). */
struct customer {
	uint32_t first, n;
	uint32_t added, last_added;
};

/* The histories of a batch's customers (xo_dstate_prefetch), until the
 * transaction ends. */
struct prefetched {
	int on;
	xo_time_t since, until;
	struct xo_intern xids;        /* numbered from 1 */
	struct customer *of;          /* [xid number] */
	size_t cap_of;
	struct kept *kept;
	size_t n_kept, cap_kept;
	struct xo_buf strings;
	struct xo_buf list;           /* the JSON array bound to ST_BATCH */
};

struct xo_dstate {
	struct xo_db *db;
	enum xo_dstate_mode mode;
	sqlite3_stmt *st[ST_COUNT];
	size_t *offsets;              /* xo_dstate_history's, kept for the next */
	size_t cap_offsets;
	struct prefetched pf;
	struct waiting *waiting;      /* contacts to write, in order */
	size_t n_waiting, cap_waiting;
	struct waiting_review *reviews; /* reviews to write */
	size_t n_reviews, cap_reviews;
	struct xo_buf waiting_strings;
	/* The ids the next contact and review get in this transaction,
	 * once a review has needed them (0: not known yet). */
	int64_t next_contact, next_review;
};

static sqlite3_stmt *prepare_contacts(struct xo_dstate *s)
{
	struct xo_buf q = XO_BUF_INIT;
	xo_buf_adds(&q, "INSERT INTO contact (id, xid, ts, action, channel, grp, status, decision_id)"
		    " VALUES ");
	for (int i = 0; i < CONTACTS_PER_INSERT; i++)
		xo_buf_adds(&q, i ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)");
	sqlite3_stmt *st = xo_db_prepare(s->db, xo_buf_str(&q));
	xo_buf_free(&q);
	return st;
}

struct xo_dstate *xo_dstate_open(const char *path, enum xo_dstate_mode mode, int busy_ms)
{
	struct xo_dstate *s = xo_calloc(1, sizeof *s);
	/* Looking at a state that does not exist yet: an empty history. */
	if (mode == XO_DSTATE_READ && access(path, F_OK) != 0 && errno == ENOENT)
		mode = XO_DSTATE_MEMORY;
	s->mode = mode;
	if (mode == XO_DSTATE_READ)
		s->db = xo_db_open_readonly(path, &schema, busy_ms);
	else
		s->db = xo_db_open(mode == XO_DSTATE_MEMORY ? ":memory:" : path, &schema, busy_ms);
	for (int i = 0; i < ST_COUNT; i++)
		if (sql[i] && i != ST_BATCH && (mode != XO_DSTATE_READ || i == ST_HISTORY))
			s->st[i] = xo_db_prepare(s->db, sql[i]);
	/* An SQLite without json_each: each history is read on its own. */
	if (sqlite3_prepare_v2(s->db->sql, sql[ST_BATCH], -1, &s->st[ST_BATCH], NULL) != SQLITE_OK)
		s->st[ST_BATCH] = NULL;
	if (mode != XO_DSTATE_READ)
		s->st[ST_CONTACTS] = prepare_contacts(s);
	return s;
}

void xo_dstate_close(struct xo_dstate *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	xo_db_close(s->db);
	free(s->offsets);
	xo_intern_free(&s->pf.xids);
	free(s->pf.of);
	free(s->pf.kept);
	xo_buf_free(&s->pf.strings);
	xo_buf_free(&s->pf.list);
	free(s->waiting);
	free(s->reviews);
	xo_buf_free(&s->waiting_strings);
	free(s);
}

void xo_dstate_fast_commits(struct xo_dstate *s)
{
	if (s->mode == XO_DSTATE_WRITE)
		xo_db_exec(s->db, "PRAGMA synchronous=NORMAL");
}

/* Log pages between checkpoints: SQLite's default. */
#define CHECKPOINT_PAGES 1000

void xo_dstate_defer_checkpoints(struct xo_dstate *s)
{
	if (s->mode == XO_DSTATE_WRITE)
		xo_db_defer_checkpoints(s->db, CHECKPOINT_PAGES);
}

void xo_dstate_idle(struct xo_dstate *s)
{
	xo_db_checkpoint_due(s->db);
}

int xo_dstate_writable(const struct xo_dstate *s)
{
	return s->mode != XO_DSTATE_READ;
}

void xo_dstate_begin(struct xo_dstate *s)
{
	if (s->mode == XO_DSTATE_READ)
		xo_db_exec(s->db, "BEGIN"); /* one consistent snapshot per batch */
	else
		xo_db_begin(s->db);
}

static void write_waiting(struct xo_dstate *s);

void xo_dstate_commit(struct xo_dstate *s)
{
	write_waiting(s);
	s->pf.on = 0; /* another run may write once the transaction ends */
	s->next_contact = s->next_review = 0;
	if (s->mode == XO_DSTATE_READ)
		xo_db_exec(s->db, "COMMIT");
	else
		xo_db_commit(s->db);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

static void keep_string(struct xo_buf *strings, const unsigned char *s, size_t *offsets, int k)
{
	offsets[k] = strings->len;
	xo_buf_adds(strings, s ? (const char *)s : "");
	xo_buf_addc(strings, '\0');
}

/* ---- a batch's histories in memory ---- */

static size_t pf_string(struct prefetched *pf, const unsigned char *v)
{
	size_t at = pf->strings.len;
	xo_buf_adds(&pf->strings, v ? (const char *)v : "");
	xo_buf_addc(&pf->strings, '\0');
	return at;
}

static struct kept *pf_new(struct prefetched *pf)
{
	if (pf->n_kept >= UINT32_MAX)
		xo_die(XO_EXIT_INTERNAL, "too many contacts in one batch");
	pf->kept = xo_grow(pf->kept, &pf->cap_kept, pf->n_kept + 1, sizeof *pf->kept);
	struct kept *k = &pf->kept[pf->n_kept++];
	memset(k, 0, sizeof *k);
	return k;
}

/* Longest list of xids read at once; SQLite takes up to 1e9 bytes. */
#define MAX_LIST_BYTES (64 << 20)

/* Read the batch's rows; 0, or -1 when SQLite refused the query (an xid
 * that is not text it can read back, a list too long), and then nothing
 * read here is used. */
static int pf_read(struct xo_dstate *s, struct prefetched *pf)
{
	sqlite3_stmt *st = s->st[ST_BATCH];
	if (pf->list.len > MAX_LIST_BYTES ||
	    sqlite3_bind_text(st, 1, pf->list.data, (int)pf->list.len, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 2, pf->since);
	sqlite3_bind_int64(st, 3, pf->until);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *xid = (const char *)sqlite3_column_text(st, 0);
		uint32_t n = xid ? xo_intern_find(&pf->xids, xid, strlen(xid)) : 0;
		if (n == 0)
			continue; /* not one of ours: cannot be, but costs nothing */
		struct customer *c = &pf->of[n];
		if (c->n == 0)
			c->first = (uint32_t)pf->n_kept;
		c->n++;
		struct kept *k = pf_new(pf);
		k->ts = sqlite3_column_int64(st, 1);
		k->action = pf_string(pf, sqlite3_column_text(st, 2));
		k->channel = pf_string(pf, sqlite3_column_text(st, 3));
		k->group = pf_string(pf, sqlite3_column_text(st, 4));
		k->held = strcmp((const char *)sqlite3_column_text(st, 5), "held") == 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) != SQLITE_ERROR && (rc & 0xff) != SQLITE_TOOBIG)
		xo_db_fail(s->db, rc, "cannot read"); /* busy, I/O, damage: as any read */
	return -1;
}

void xo_dstate_prefetch(struct xo_dstate *s, const char *const *xids, size_t n,
			xo_time_t since, xo_time_t until)
{
	struct prefetched *pf = &s->pf;
	pf->on = 0;
	if (n < 2 || !s->st[ST_BATCH])
		return; /* one query either way: the plain one is cheaper */
	pf->since = since;
	pf->until = until;
	xo_intern_reset(&pf->xids);
	xo_buf_reset(&pf->strings);
	xo_buf_reset(&pf->list);
	pf->n_kept = 1; /* kept[0]: "none" in the links */
	pf->kept = xo_grow(pf->kept, &pf->cap_kept, 1, sizeof *pf->kept);
	xo_buf_addc(&pf->list, '[');
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(xids[i]);
		if (xo_intern_find(&pf->xids, xids[i], len))
			continue;
		xo_intern(&pf->xids, xids[i], len);
		if (pf->list.len > 1)
			xo_buf_addc(&pf->list, ',');
		xo_buf_add_json_string(&pf->list, xids[i], len);
	}
	xo_buf_addc(&pf->list, ']');
	pf->of = xo_grow(pf->of, &pf->cap_of, (size_t)pf->xids.count + 1, sizeof *pf->of);
	memset(pf->of, 0, ((size_t)pf->xids.count + 1) * sizeof *pf->of);
	if (pf_read(s, pf) == 0)
		pf->on = 1;
}

/* Add contact k to h, its names copied. */
static void add_kept(struct xo_history *h, const struct prefetched *pf, const struct kept *k,
		     size_t *offsets)
{
	h->v[h->n].ts = k->ts;
	h->v[h->n].held = k->held;
	keep_string(&h->strings, (const unsigned char *)pf->strings.data + k->action, offsets,
		    (int)(3 * h->n));
	keep_string(&h->strings, (const unsigned char *)pf->strings.data + k->channel, offsets,
		    (int)(3 * h->n + 1));
	keep_string(&h->strings, (const unsigned char *)pf->strings.data + k->group, offsets,
		    (int)(3 * h->n + 2));
	h->n++;
}

/* A customer's history from memory, as ST_HISTORY gives it: those read
 * are in (ts, id) order; those added since have higher ids, so they go
 * after any read one with the same time. */
static void pf_history(struct xo_dstate *s, const struct customer *c, struct xo_history *h)
{
	const struct prefetched *pf = &s->pf;
	size_t most = c->n;
	for (uint32_t a = c->added; a; a = pf->kept[a].next)
		most++;
	h->v = xo_grow(h->v, &h->cap, most ? most : 1, sizeof *h->v);
	s->offsets = xo_grow(s->offsets, &s->cap_offsets, 3 * (most ? most : 1), sizeof *s->offsets);
	uint32_t r = c->first, r_end = c->first + c->n, a = c->added;
	while (r < r_end || a) {
		const struct kept *k = &pf->kept[a];
		int in = a && (k->held || k->ts > pf->since) && k->ts <= pf->until;
		if (a && !in) {
			a = k->next;
			continue;
		}
		if (r < r_end && (!a || pf->kept[r].ts <= k->ts)) {
			add_kept(h, pf, &pf->kept[r++], s->offsets);
			continue;
		}
		add_kept(h, pf, k, s->offsets);
		a = k->next;
	}
}

/* A contact just recorded, for the histories in memory. */
static void pf_add(struct xo_dstate *s, const char *xid, xo_time_t ts, const char *action,
		   const char *channel, const char *group, int held)
{
	struct prefetched *pf = &s->pf;
	uint32_t n = pf->on ? xo_intern_find(&pf->xids, xid, strlen(xid)) : 0;
	if (n == 0)
		return; /* its history is read from the file, which has it */
	struct kept *k = pf_new(pf);
	uint32_t at = (uint32_t)(pf->n_kept - 1);
	k->ts = ts;
	k->action = pf_string(pf, (const unsigned char *)action);
	k->channel = pf_string(pf, (const unsigned char *)channel);
	k->group = pf_string(pf, (const unsigned char *)group);
	k->held = held;
	struct customer *c = &pf->of[n];
	if (c->added)
		pf->kept[c->last_added].next = at;
	else
		c->added = at;
	c->last_added = at;
}

/* A customer's history read from the file. */
static void sql_history(struct xo_dstate *s, const char *xid, xo_time_t since,
			xo_time_t until, struct xo_history *h)
{
	sqlite3_stmt *st = s->st[ST_HISTORY];
	write_waiting(s); /* the file has the run's contacts before it is read */
	bind_text(st, 1, xid);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, until);
	while (xo_db_step(s->db, st) == SQLITE_ROW) {
		h->v = xo_grow(h->v, &h->cap, h->n + 1, sizeof *h->v);
		size_t *offsets = s->offsets = xo_grow(s->offsets, &s->cap_offsets, 3 * (h->n + 1),
						       sizeof *offsets);
		struct xo_contact *c = &h->v[h->n];
		c->ts = sqlite3_column_int64(st, 0);
		keep_string(&h->strings, sqlite3_column_text(st, 1), offsets, (int)(3 * h->n));
		keep_string(&h->strings, sqlite3_column_text(st, 2), offsets, (int)(3 * h->n + 1));
		keep_string(&h->strings, sqlite3_column_text(st, 3), offsets, (int)(3 * h->n + 2));
		c->held = strcmp((const char *)sqlite3_column_text(st, 4), "held") == 0;
		h->n++;
	}
	sqlite3_reset(st); /* every parameter is bound again next time */
}

void xo_dstate_history(struct xo_dstate *s, const char *xid, xo_time_t since,
		       xo_time_t until, struct xo_history *h)
{
	h->n = 0;
	xo_buf_reset(&h->strings);
	uint32_t n = 0;
	if (s->pf.on && since == s->pf.since && until == s->pf.until)
		n = xo_intern_find(&s->pf.xids, xid, strlen(xid));
	if (n)
		pf_history(s, &s->pf.of[n], h);
	else
		sql_history(s, xid, since, until, h);
	/* Names went to one buffer that may have moved: offsets first,
	 * pointers now. */
	for (size_t i = 0; i < h->n; i++) {
		h->v[i].action = h->strings.data + s->offsets[3 * i];
		h->v[i].channel = h->strings.data + s->offsets[3 * i + 1];
		h->v[i].group = h->strings.data + s->offsets[3 * i + 2];
	}
}

void xo_history_free(struct xo_history *h)
{
	free(h->v);
	xo_buf_free(&h->strings);
	memset(h, 0, sizeof *h);
}

/* Run an insert and make the statement ready again (its callers bind
 * every parameter each time). */
static void insert(struct xo_dstate *s, sqlite3_stmt *st)
{
	xo_db_step(s->db, st);
	sqlite3_reset(st);
}

static void bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

static size_t waiting_string(struct xo_dstate *s, const char *v)
{
	size_t at = s->waiting_strings.len;
	xo_buf_adds(&s->waiting_strings, v ? v : "");
	xo_buf_addc(&s->waiting_strings, '\0');
	return at;
}

/* Bind waiting contact w at parameters first.. of st. */
static void bind_waiting(struct xo_dstate *s, sqlite3_stmt *st, int first, const struct waiting *w)
{
	const char *t = s->waiting_strings.data;
	bind_id(st, first, w->id);
	bind_text(st, first + 1, t + w->xid);
	sqlite3_bind_int64(st, first + 2, w->ts);
	bind_text(st, first + 3, t + w->action);
	bind_text(st, first + 4, t + w->channel);
	bind_text(st, first + 5, t + w->group);
	bind_text(st, first + 6, w->held ? "held" : "sent");
	bind_text(st, first + 7, t + w->decision_id);
}

static void write_review(struct xo_dstate *s, const struct waiting_review *r)
{
	const char *t = s->waiting_strings.data;
	sqlite3_stmt *st = s->st[ST_QUEUE];
	sqlite3_bind_int64(st, 1, r->id);
	bind_text(st, 2, t + r->decision_id);
	bind_text(st, 3, t + r->xid);
	bind_text(st, 4, t + r->action);
	bind_text(st, 5, t + r->channel);
	sqlite3_bind_int64(st, 6, r->created);
	bind_text(st, 7, t + r->reason);
	bind_text(st, 8, t + r->decision);
	sqlite3_bind_int64(st, 9, r->contact_id);
	insert(s, st);
}

/* Write the waiting contacts, in the order they were made (so those
 * without an id get the ids they would have got one at a time), then
 * the reviews that name them. */
static void write_waiting(struct xo_dstate *s)
{
	const int cols = 8;
	size_t i = 0;
	for (; i + CONTACTS_PER_INSERT <= s->n_waiting; i += CONTACTS_PER_INSERT) {
		for (int k = 0; k < CONTACTS_PER_INSERT; k++)
			bind_waiting(s, s->st[ST_CONTACTS], 1 + cols * k, &s->waiting[i + (size_t)k]);
		insert(s, s->st[ST_CONTACTS]);
	}
	for (; i < s->n_waiting; i++) {
		bind_waiting(s, s->st[ST_CONTACT], 1, &s->waiting[i]);
		insert(s, s->st[ST_CONTACT]);
	}
	for (size_t r = 0; r < s->n_reviews; r++)
		write_review(s, &s->reviews[r]);
	s->n_waiting = s->n_reviews = 0;
	xo_buf_reset(&s->waiting_strings);
}

/* A contact to write; returns its id, or 0 when SQLite will choose it. */
static int64_t add_waiting(struct xo_dstate *s, const char *xid, xo_time_t ts, const char *action,
			   const char *channel, const char *group, const char *decision_id,
			   int held)
{
	pf_add(s, xid, ts, action, channel, group, held);
	s->waiting = xo_grow(s->waiting, &s->cap_waiting, s->n_waiting + 1, sizeof *s->waiting);
	struct waiting *w = &s->waiting[s->n_waiting++];
	w->id = s->next_contact ? s->next_contact++ : 0;
	w->xid = waiting_string(s, xid);
	w->ts = ts;
	w->action = waiting_string(s, action);
	w->channel = waiting_string(s, channel);
	w->group = waiting_string(s, group);
	w->decision_id = waiting_string(s, decision_id);
	w->held = held;
	return w->id;
}

void xo_dstate_contact(struct xo_dstate *s, const char *xid, xo_time_t ts, const char *action,
		       const char *channel, const char *group, const char *decision_id)
{
	add_waiting(s, xid, ts, action, channel, group, decision_id, 0);
}

/* From the first review of a transaction on, number its contacts and
 * reviews here, as SQLite would (the largest id + 1; the write lock is
 * held), so that neither waits to be written for its id. */
static void number_rows(struct xo_dstate *s)
{
	if (s->next_contact)
		return;
	write_waiting(s);
	sqlite3_stmt *st = s->st[ST_LAST_IDS];
	if (xo_db_step(s->db, st) != SQLITE_ROW)
		xo_die(XO_EXIT_INTERNAL, "%s: no row for the last ids", s->db->path);
	int64_t contact = sqlite3_column_int64(st, 0), review = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (contact >= INT64_MAX / 2 || review >= INT64_MAX / 2 || contact < 0 || review < 0)
		xo_die(XO_EXIT_STATE, "%s: row ids out of range (%lld, %lld): a damaged state?",
		       s->db->path, (long long)contact, (long long)review);
	s->next_contact = contact + 1;
	s->next_review = review + 1;
}

int64_t xo_dstate_queue(struct xo_dstate *s, const char *xid, xo_time_t ts, const char *action,
			const char *channel, const char *group, const char *decision_id,
			const char *reason, const char *decision_json)
{
	number_rows(s);
	int64_t contact = add_waiting(s, xid, ts, action, channel, group, decision_id, 1);
	s->reviews = xo_grow(s->reviews, &s->cap_reviews, s->n_reviews + 1, sizeof *s->reviews);
	struct waiting_review *r = &s->reviews[s->n_reviews++];
	r->id = s->next_review++;
	r->contact_id = contact;
	r->decision_id = waiting_string(s, decision_id);
	r->xid = waiting_string(s, xid);
	r->action = waiting_string(s, action);
	r->channel = waiting_string(s, channel);
	r->created = ts;
	r->reason = waiting_string(s, reason);
	r->decision = waiting_string(s, decision_json);
	return r->id;
}

/* ---- the review queue ---- */

#define REVIEW_COLUMNS                                                         \
	"SELECT id, decision_id, xid, action, channel, reason, decision, status,"  \
	" reviewer, verdict_reason, new_action, new_channel, created,"             \
	" coalesce(verdict_ts, 0), exported FROM review"

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xo_strdup((const char *)t) : NULL;
}

static void read_review(sqlite3_stmt *st, struct xo_review *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->decision_id = col_dup(st, 1);
	r->xid = col_dup(st, 2);
	r->action = col_dup(st, 3);
	r->channel = col_dup(st, 4);
	r->reason = col_dup(st, 5);
	r->decision = col_dup(st, 6);
	r->status = col_dup(st, 7);
	r->reviewer = col_dup(st, 8);
	r->verdict_reason = col_dup(st, 9);
	r->new_action = col_dup(st, 10);
	r->new_channel = col_dup(st, 11);
	r->created = sqlite3_column_int64(st, 12);
	r->verdict_ts = sqlite3_column_int64(st, 13);
	r->exported = sqlite3_column_int(st, 14);
}

struct xo_review *xo_dstate_reviews(struct xo_dstate *s, const char *status, size_t *n)
{
	write_waiting(s);
	sqlite3_stmt *st = xo_db_prepare(s->db, status ? REVIEW_COLUMNS " WHERE status = ?1 ORDER BY id"
						       : REVIEW_COLUMNS " ORDER BY id");
	if (status)
		bind_text(st, 1, status);
	struct xo_review *v = NULL;
	size_t cap = 0;
	*n = 0;
	while (xo_db_step(s->db, st) == SQLITE_ROW) {
		v = xo_grow(v, &cap, *n + 1, sizeof *v);
		read_review(st, &v[(*n)++]);
	}
	sqlite3_finalize(st);
	return v;
}

struct xo_review *xo_dstate_review(struct xo_dstate *s, int64_t id)
{
	write_waiting(s);
	sqlite3_stmt *st = xo_db_prepare(s->db, REVIEW_COLUMNS " WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	struct xo_review *r = NULL;
	if (xo_db_step(s->db, st) == SQLITE_ROW) {
		r = xo_calloc(1, sizeof *r);
		read_review(st, r);
	}
	sqlite3_finalize(st);
	return r;
}

void xo_reviews_free(struct xo_review *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		struct xo_review *r = &v[i];
		free(r->decision_id);
		free(r->xid);
		free(r->action);
		free(r->channel);
		free(r->reason);
		free(r->decision);
		free(r->status);
		free(r->reviewer);
		free(r->verdict_reason);
		free(r->new_action);
		free(r->new_channel);
	}
	free(v);
}

static void exec_bound(struct xo_db *db, const char *q, int64_t id, const char *a,
		       const char *b, const char *c, const char *d, xo_time_t ts)
{
	sqlite3_stmt *st = xo_db_prepare(db, q);
	sqlite3_bind_int64(st, 1, id);
	if (a)
		sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
	if (c)
		sqlite3_bind_text(st, 4, c, -1, SQLITE_STATIC);
	if (d)
		sqlite3_bind_text(st, 5, d, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ts);
	xo_db_step(db, st);
	sqlite3_finalize(st);
}

int xo_dstate_verdict(struct xo_dstate *s, int64_t id, enum xo_verdict v, const char *reviewer,
		      const char *reason, const char *new_action, const char *new_channel,
		      const char *new_group, xo_time_t now, struct xo_buf *why)
{
	xo_db_begin(s->db);
	/* Read inside the write transaction: two reviewers cannot both decide. */
	struct xo_review *r = xo_dstate_review(s, id);
	if (!r || strcmp(r->status, "pending") != 0) {
		xo_buf_reset(why);
		if (r)
			xo_buf_printf(why, "review %lld is already %s", (long long)id, r->status);
		else
			xo_buf_printf(why, "no review %lld", (long long)id);
		xo_reviews_free(r, 1);
		xo_db_rollback(s->db);
		return -1;
	}
	static const char *const status[] = { "approved", "rejected", "changed" };
	exec_bound(s->db, "UPDATE review SET status = ?2, reviewer = ?3, verdict_reason = ?4,"
		   " new_action = ?5, verdict_ts = ?6 WHERE id = ?1",
		   id, status[v], reviewer, reason, new_action, now);
	if (new_channel)
		exec_bound(s->db, "UPDATE review SET new_channel = ?2 WHERE id = ?1",
			   id, new_channel, NULL, NULL, NULL, now);
	if (v == XO_VERDICT_REJECT) {
		exec_bound(s->db, "DELETE FROM contact WHERE id ="
			   " (SELECT contact_id FROM review WHERE id = ?1)",
			   id, NULL, NULL, NULL, NULL, now);
	} else {
		exec_bound(s->db, "UPDATE contact SET status = 'sent', ts = ?6,"
			   " action = coalesce(?2, action), channel = coalesce(?3, channel),"
			   " grp = coalesce(?4, grp)"
			   " WHERE id = (SELECT contact_id FROM review WHERE id = ?1)",
			   id, new_action, new_channel, new_group, NULL, now);
	}
	xo_reviews_free(r, 1);
	xo_db_commit(s->db);
	return 0;
}

void xo_dstate_mark_exported(struct xo_dstate *s, int64_t id)
{
	exec_bound(s->db, "UPDATE review SET exported = 1 WHERE id = ?1", id, NULL, NULL, NULL, NULL, 0);
}

/* ---- retention ---- */

/* Ids per prune transaction: a run deciding meanwhile waits for one
 * such transaction at a time, not for the whole prune. */
enum { PRUNE_IDS = 100000 };

/* The rows of table that cond (SQL, ?1 the time) picks, deleted a
 * slice of ids at a time; read-only, only counted. */
static uint64_t prune_rows(struct xo_dstate *s, const char *table, const char *cond,
			   xo_time_t before)
{
	struct xo_buf q = XO_BUF_INIT;
	if (s->mode != XO_DSTATE_WRITE) {
		xo_buf_printf(&q, "SELECT count(*) FROM %s WHERE %s", table, cond);
		uint64_t n = (uint64_t)xo_db_int(s->db, xo_buf_str(&q), before);
		xo_buf_free(&q);
		return n;
	}
	/* Rows recorded from now on get larger ids and later times. */
	xo_buf_printf(&q, "SELECT coalesce(min(id), 1) FROM %s", table);
	int64_t first = xo_db_int(s->db, xo_buf_str(&q), 0);
	xo_buf_reset(&q);
	xo_buf_printf(&q, "SELECT coalesce(max(id), 0) FROM %s", table);
	int64_t last = xo_db_int(s->db, xo_buf_str(&q), 0);
	xo_buf_reset(&q);
	xo_buf_printf(&q, "DELETE FROM %s WHERE %s AND id BETWEEN ?2 AND ?3", table, cond);
	sqlite3_stmt *del = xo_db_prepare(s->db, xo_buf_str(&q));
	xo_buf_free(&q);
	uint64_t gone = 0;
	for (int64_t lo = first; lo <= last;) {
		/* In unsigned arithmetic: no overflow whatever ids a file holds. */
		int64_t hi = (uint64_t)last - (uint64_t)lo < PRUNE_IDS ? last : lo + (PRUNE_IDS - 1);
		xo_db_begin(s->db);
		sqlite3_bind_int64(del, 1, before);
		sqlite3_bind_int64(del, 2, lo);
		sqlite3_bind_int64(del, 3, hi);
		xo_db_step(s->db, del);
		sqlite3_reset(del);
		gone += (uint64_t)sqlite3_changes(s->db->sql);
		xo_db_commit(s->db);
		if (hi == last)
			break;
		lo = hi + 1;
	}
	sqlite3_finalize(del);
	return gone;
}

uint64_t xo_dstate_prune(struct xo_dstate *s, xo_time_t before)
{
	if (s->mode == XO_DSTATE_WRITE) {
		/* Their contact goes: an approved review forgets it, as the
		 * schema's ON DELETE SET NULL says (SQLite enforces it only
		 * with foreign keys on, which the state does not turn on). */
		xo_db_begin(s->db);
		exec_bound(s->db, "UPDATE review SET contact_id = NULL"
			   " WHERE status <> 'pending' AND contact_id IS NOT NULL AND (SELECT ts < ?6"
			   " AND status = 'sent' FROM contact WHERE id = review.contact_id)",
			   0, NULL, NULL, NULL, NULL, before);
		xo_db_commit(s->db);
	}
	return prune_rows(s, "contact", "status = 'sent' AND ts < ?1", before);
}

uint64_t xo_dstate_prune_reviews(struct xo_dstate *s, xo_time_t before)
{
	/* Pending reviews wait for a verdict, approved and changed ones for
	 * their export; their contacts are pruned (or not) as contacts. */
	return prune_rows(s, "review", "verdict_ts < ?1 AND (status = 'rejected'"
			  " OR (status IN ('approved', 'changed') AND exported = 1))", before);
}
