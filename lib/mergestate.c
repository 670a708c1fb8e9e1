#include "mergestate.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "diag.h"
#include "mem.h"

/* Times are microseconds since the epoch; event ids and xids are kept
 * as the 64-bit numbers they are (event ids as SQLite's signed integers,
 * xids as their "x..." text, which is what users quote). */
static const char schema_sql[] =
	"CREATE TABLE run (id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT,"
	" command TEXT, events INTEGER, new_events INTEGER, merges INTEGER);"
	"CREATE TABLE ident (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL,"
	" xid TEXT, run INTEGER NOT NULL, UNIQUE (kind, value));"
	"CREATE INDEX ident_xid ON ident (xid);"
	"CREATE TABLE link (a INTEGER NOT NULL, b INTEGER NOT NULL, events INTEGER NOT NULL,"
	" prob INTEGER NOT NULL, weight REAL, evidence TEXT, cut INTEGER NOT NULL DEFAULT 0,"
	" run INTEGER NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;"
	"CREATE TABLE customer (xid TEXT PRIMARY KEY, first_seen INTEGER, last_seen INTEGER,"
	" events INTEGER NOT NULL, created_run INTEGER NOT NULL, merged_into TEXT) WITHOUT ROWID;"
	"CREATE TABLE merge (id INTEGER PRIMARY KEY, run INTEGER NOT NULL, survivor TEXT NOT NULL,"
	" absorbed TEXT NOT NULL, cause TEXT, undone_run INTEGER);"
	"CREATE TABLE merge_member (merge INTEGER NOT NULL, ident INTEGER NOT NULL,"
	" PRIMARY KEY (merge, ident)) WITHOUT ROWID;"
	"CREATE TABLE detach (id INTEGER PRIMARY KEY, run INTEGER NOT NULL, from_xid TEXT NOT NULL,"
	" to_xid TEXT NOT NULL);"
	"CREATE TABLE seen_event (id INTEGER PRIMARY KEY);"
	"CREATE TABLE record (event TEXT PRIMARY KEY, ident INTEGER NOT NULL, side INTEGER NOT NULL,"
	" grp INTEGER NOT NULL, fields TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE profile (ident INTEGER PRIMARY KEY, data TEXT NOT NULL);";

static const struct xo_db_schema schema = {
	0x786f4d47, /* "xoMG" */
	"xo-merge state",
	1,
	schema_sql,
	NULL, /* no older schema */
	0,
};

struct customer_row {
	xo_time_t first;
	uint64_t events;
	int known_first;
};

struct split_done {
	long long merge;
	uint64_t absorbed;
};

struct xo_mstate {
	struct xo_db *db;
	long long run;
	xo_time_t now;
	/* Nodes: the row of each (0: new), the xid it had in the file, and
	 * the xid it has going into this run's assignment (splits change
	 * that one). */
	int64_t *rowid;
	uint64_t *loaded;
	uint64_t *stored;
	size_t n_loaded, cap_nodes;
	struct xo_u64map node_of_row;
	/* Customers ever given an xid. */
	struct xo_u64map customer_index;
	struct customer_row *customers;
	size_t n_customers, cap_customers;
	struct split_done *splits;
	size_t n_splits, cap_splits;
	size_t n_records;
};

static void xid_text(uint64_t xid, char out[XO_XID_LEN + 1])
{
	xo_xid_format(xid, out);
}

static void bind_xid(sqlite3_stmt *st, int i, uint64_t xid)
{
	char x[XO_XID_LEN + 1];
	xid_text(xid, x);
	sqlite3_bind_text(st, i, x, -1, SQLITE_TRANSIENT);
}

static uint64_t column_xid(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	uint64_t x = 0;
	if (t && xo_xid_parse(t, strlen(t), &x) != 0)
		x = 0;
	return x;
}

static void time_text(xo_time_t t, char out[XO_TIME_BUFSIZE])
{
	xo_time_format(t, out);
}

struct xo_mstate *xo_mstate_open(const char *path, const char *command)
{
	struct xo_mstate *st = xo_calloc(1, sizeof *st);
	st->db = xo_db_open(path, &schema, 5000);
	/* A run writes its changes in one transaction: with SQLite's default
	 * 2 MB of cache, a large one spills and reads back the same pages
	 * again and again (a million events: 8 s of system time, against 2 s
	 * with 64 MB; 8 million events: 279 s with 64 MB, 254 s with 256 MB,
	 * for 200 MB more at the peak). SQLite takes the cache as it needs it:
	 * a small state costs no more. */
	xo_db_exec(st->db, "PRAGMA cache_size=-262144");
	xo_db_begin(st->db);
	st->now = xo_time_now();
	char started[XO_TIME_BUFSIZE];
	time_text(st->now, started);
	sqlite3_stmt *s = xo_db_prepare(st->db, "INSERT INTO run (started, command) VALUES (?, ?)");
	sqlite3_bind_text(s, 1, started, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, command ? command : "", -1, SQLITE_TRANSIENT);
	xo_db_step(st->db, s);
	sqlite3_finalize(s);
	st->run = sqlite3_last_insert_rowid(st->db->sql);
	return st;
}

void xo_mstate_close(struct xo_mstate *st)
{
	if (!st)
		return;
	xo_db_close(st->db);
	free(st->rowid);
	free(st->stored);
	free(st->loaded);
	xo_u64map_free(&st->node_of_row);
	xo_u64map_free(&st->customer_index);
	free(st->customers);
	free(st->splits);
	free(st);
}

void xo_mstate_commit(struct xo_mstate *st)
{
	xo_db_commit(st->db);
}

long long xo_mstate_run_id(const struct xo_mstate *st)
{
	return st->run;
}

static void remember_node(struct xo_mstate *st, xo_node n, int64_t rowid, uint64_t xid)
{
	if (n >= st->cap_nodes) {
		size_t old = st->cap_nodes;
		st->rowid = xo_grow(st->rowid, &old, n + 1, sizeof *st->rowid);
		st->stored = xo_realloc(st->stored, old * sizeof *st->stored);
		st->loaded = xo_realloc(st->loaded, old * sizeof *st->loaded);
		st->cap_nodes = old;
	}
	st->rowid[n] = rowid;
	st->stored[n] = xid;
	st->loaded[n] = xid;
	if (n + 1 > st->n_loaded)
		st->n_loaded = n + 1;
	xo_u64map_put(&st->node_of_row, (uint64_t)rowid, n);
}

static void load_nodes(struct xo_mstate *st, struct xo_idg *g)
{
	sqlite3_stmt *s = xo_db_prepare(st->db, "SELECT id, kind, value, xid FROM ident ORDER BY id");
	while (xo_db_step(st->db, s) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		const char *value = (const char *)sqlite3_column_blob(s, 2);
		int len = sqlite3_column_bytes(s, 2);
		unsigned k = xo_idg_kind(g, kind ? kind : "", kind ? strlen(kind) : 0);
		xo_node n = xo_idg_intern(g, k, value ? value : "", (size_t)len, NULL);
		remember_node(st, n, sqlite3_column_int64(s, 0), column_xid(s, 3));
	}
	sqlite3_finalize(s);
}

static int node_of(const struct xo_mstate *st, int64_t rowid, xo_node *n)
{
	uint64_t v;
	if (!xo_u64map_get(&st->node_of_row, (uint64_t)rowid, &v))
		return -1;
	*n = (xo_node)v;
	return 0;
}

static void load_links(struct xo_mstate *st, struct xo_idg *g)
{
	sqlite3_stmt *s = xo_db_prepare(st->db, "SELECT a, b, events, prob, cut FROM link");
	while (xo_db_step(st->db, s) == SQLITE_ROW) {
		xo_node a, b;
		if (node_of(st, sqlite3_column_int64(s, 0), &a) != 0 ||
		    node_of(st, sqlite3_column_int64(s, 1), &b) != 0 || a == b)
			xo_die(XO_EXIT_STATE, "%s: a link to an unknown identifier (corrupt state)",
			       st->db->path);
		unsigned flags = XO_EDGE_KNOWN;
		if (sqlite3_column_int(s, 3))
			flags |= XO_EDGE_PROB;
		if (sqlite3_column_int(s, 4))
			flags |= XO_EDGE_CUT;
		xo_idg_edge(g, a, b, flags);
		xo_idg_edge_count(g, a, b, (uint32_t)sqlite3_column_int64(s, 2));
	}
	sqlite3_finalize(s);
}

static void load_customers(struct xo_mstate *st)
{
	sqlite3_stmt *s = xo_db_prepare(st->db, "SELECT xid, first_seen, events FROM customer");
	while (xo_db_step(st->db, s) == SQLITE_ROW) {
		uint64_t x = column_xid(s, 0);
		st->customers = xo_grow(st->customers, &st->cap_customers, st->n_customers + 1,
					sizeof *st->customers);
		struct customer_row *c = &st->customers[st->n_customers];
		c->known_first = sqlite3_column_type(s, 1) != SQLITE_NULL;
		c->first = sqlite3_column_int64(s, 1);
		c->events = (uint64_t)sqlite3_column_int64(s, 2);
		xo_u64map_put(&st->customer_index, x, st->n_customers++);
	}
	sqlite3_finalize(s);
}

void xo_mstate_load(struct xo_mstate *st, struct xo_idg *g)
{
	if (xo_idg_nodes(g) != 0)
		xo_die(XO_EXIT_INTERNAL, "state loaded into a graph that has nodes");
	load_nodes(st, g);
	load_links(st, g);
	load_customers(st);
}

const uint64_t *xo_mstate_stored(const struct xo_mstate *st, size_t *n)
{
	*n = st->n_loaded;
	return st->stored;
}

int xo_mstate_taken(void *ctx, uint64_t xid)
{
	struct xo_mstate *st = ctx;
	return xo_u64map_get(&st->customer_index, xid, NULL);
}

int xo_mstate_survivor_cmp(void *ctx, uint64_t a, uint64_t b)
{
	struct xo_mstate *st = ctx;
	uint64_t ia, ib;
	int ha = xo_u64map_get(&st->customer_index, a, &ia);
	int hb = xo_u64map_get(&st->customer_index, b, &ib);
	if (ha && hb) {
		const struct customer_row *ca = &st->customers[ia], *cb = &st->customers[ib];
		/* First seen earliest, then the most events. */
		if (ca->known_first != cb->known_first)
			return ca->known_first ? -1 : 1;
		if (ca->first != cb->first)
			return ca->first < cb->first ? -1 : 1;
		if (ca->events != cb->events)
			return ca->events > cb->events ? -1 : 1;
	} else if (ha != hb) {
		return ha ? -1 : 1;
	}
	return a < b ? -1 : (a > b);
}

/* ------------------------------------------------------------------ */
/* Splits */

static int find_merge(struct xo_mstate *st, const char *what, long long *id, uint64_t *survivor,
		      uint64_t *absorbed, struct xo_buf *why)
{
	sqlite3_stmt *s;
	uint64_t x;
	char *end;
	long long n = strtoll(what, &end, 10);
	if (*what && *end == '\0') {
		s = xo_db_prepare(st->db, "SELECT id, survivor, absorbed, undone_run FROM merge WHERE id = ?");
		sqlite3_bind_int64(s, 1, n);
	} else if (xo_xid_parse(what, strlen(what), &x) == 0) {
		s = xo_db_prepare(st->db, "SELECT id, survivor, absorbed, undone_run FROM merge"
					  " WHERE absorbed = ? ORDER BY undone_run IS NOT NULL, id DESC");
		sqlite3_bind_text(s, 1, what, -1, SQLITE_TRANSIENT);
	} else {
		xo_buf_printf(why, "expected a merge number or an absorbed xid");
		return -1;
	}
	int rc = -1;
	if (xo_db_step(st->db, s) != SQLITE_ROW) {
		xo_buf_printf(why, "no such merge in %s", st->db->path);
	} else if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
		xo_buf_printf(why, "merge %lld was already undone", sqlite3_column_int64(s, 0));
	} else {
		*id = sqlite3_column_int64(s, 0);
		*survivor = column_xid(s, 1);
		*absorbed = column_xid(s, 2);
		rc = 0;
	}
	sqlite3_finalize(s);
	for (size_t i = 0; rc == 0 && i < st->n_splits; i++) {
		if (st->splits[i].merge == *id) {
			xo_buf_printf(why, "merge %lld named twice", *id);
			rc = -1;
		}
	}
	return rc;
}

struct cut_ctx {
	struct xo_idg *g;
	const unsigned char *member;
	xo_node *a, *b;
	size_t n, cap;
};

static int collect_cut(void *ctx, xo_node a, xo_node b, unsigned flags, uint32_t count)
{
	struct cut_ctx *c = ctx;
	if ((flags & XO_EDGE_CUT) || c->member[a] == c->member[b])
		return 0;
	size_t cap = c->cap;
	c->a = xo_grow(c->a, &cap, c->n + 1, sizeof *c->a);
	c->b = xo_grow(c->b, &c->cap, c->n + 1, sizeof *c->b);
	c->a[c->n] = a;
	c->b[c->n++] = b;
	return 0;
}

int xo_mstate_split(struct xo_mstate *st, struct xo_idg *g, const char *what,
		    struct xo_buf *why, long long *merge_id, uint64_t *survivor,
		    uint64_t *absorbed)
{
	xo_buf_reset(why);
	if (find_merge(st, what, merge_id, survivor, absorbed, why) != 0)
		return -1;
	size_t n = xo_idg_nodes(g);
	unsigned char *member = xo_calloc(n + 1, 1);
	sqlite3_stmt *s = xo_db_prepare(st->db, "SELECT ident FROM merge_member WHERE merge = ?");
	sqlite3_bind_int64(s, 1, *merge_id);
	while (xo_db_step(st->db, s) == SQLITE_ROW) {
		xo_node m;
		if (node_of(st, sqlite3_column_int64(s, 0), &m) == 0) {
			member[m] = 1;
			st->stored[m] = *absorbed;
		}
	}
	sqlite3_finalize(s);
	struct cut_ctx c = { g, member, NULL, NULL, 0, 0 };
	xo_idg_each_edge(g, collect_cut, &c);
	for (size_t i = 0; i < c.n; i++)
		xo_idg_edge(g, c.a[i], c.b[i], XO_EDGE_CUT | XO_EDGE_DIRTY);
	free(c.a);
	free(c.b);
	free(member);
	st->splits = xo_grow(st->splits, &st->cap_splits, st->n_splits + 1, sizeof *st->splits);
	st->splits[st->n_splits++] = (struct split_done){ *merge_id, *absorbed };
	return 0;
}

/* ------------------------------------------------------------------ */
/* Events already counted, records, evidence, accumulators */

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

void xo_mstate_seen(struct xo_mstate *st, const uint64_t *keys, size_t n, struct xo_u64map *seen)
{
	/* In key order the lookups walk the table's B-tree from left to right. */
	uint64_t *sorted = xo_malloc((n ? n : 1) * sizeof *sorted);
	memcpy(sorted, keys, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_u64);
	sqlite3_stmt *s = xo_db_prepare(st->db, "SELECT 1 FROM seen_event WHERE id = ?");
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && sorted[i] == sorted[i - 1])
			continue;
		sqlite3_bind_int64(s, 1, (int64_t)sorted[i]);
		if (xo_db_step(st->db, s) == SQLITE_ROW)
			xo_u64set_add(seen, sorted[i]);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	free(sorted);
}

void xo_mstate_load_records(struct xo_mstate *st, struct xo_linkage *lk, xo_node **node_of_rec,
			    char ***ids, size_t *cap)
{
	sqlite3_stmt *s = xo_db_prepare(st->db, "SELECT event, ident, side, grp, fields FROM record");
	const char **values = NULL;
	size_t cap_values = 0;
	while (xo_db_step(st->db, s) == SQLITE_ROW) {
		json_t *fields = json_loads((const char *)sqlite3_column_text(s, 4), 0, NULL);
		xo_node n;
		if (!json_is_array(fields) || node_of(st, sqlite3_column_int64(s, 1), &n) != 0)
			xo_die(XO_EXIT_STATE, "%s: a damaged linkage record (corrupt state)",
			       st->db->path);
		size_t nf = json_array_size(fields);
		values = xo_grow(values, &cap_values, nf + 1, sizeof *values);
		for (size_t i = 0; i < nf; i++)
			values[i] = json_string_value(json_array_get(fields, i));
		long r = xo_linkage_add_values(lk, values, sqlite3_column_int(s, 2),
					       (uint64_t)sqlite3_column_int64(s, 3));
		json_decref(fields);
		if (r < 0 || (size_t)r < st->n_records)
			continue;
		size_t c = *cap;
		*node_of_rec = xo_grow(*node_of_rec, &c, (size_t)r + 1, sizeof **node_of_rec);
		*ids = xo_grow(*ids, cap, (size_t)r + 1, sizeof **ids);
		(*node_of_rec)[r] = n;
		(*ids)[r] = xo_strdup((const char *)sqlite3_column_text(s, 0));
		st->n_records = (size_t)r + 1;
	}
	free(values);
	sqlite3_finalize(s);
}

size_t xo_mstate_records(const struct xo_mstate *st)
{
	return st->n_records;
}

static int64_t row_of(const struct xo_mstate *st, xo_node n)
{
	return n < st->n_loaded ? st->rowid[n] : 0;
}

char *xo_mstate_evidence(struct xo_mstate *st, struct xo_idg *g, xo_node a, xo_node b,
			 double *weight)
{
	int64_t ra = row_of(st, a), rb = row_of(st, b);
	if (!ra || !rb)
		return NULL;
	sqlite3_stmt *s = xo_db_prepare(st->db, "SELECT weight, evidence FROM link WHERE a = ? AND b = ?");
	sqlite3_bind_int64(s, 1, ra < rb ? ra : rb);
	sqlite3_bind_int64(s, 2, ra < rb ? rb : ra);
	char *text = NULL;
	if (xo_db_step(st->db, s) == SQLITE_ROW && sqlite3_column_text(s, 1)) {
		*weight = sqlite3_column_double(s, 0);
		text = xo_strdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	return text;
}

void xo_mstate_load_accs(struct xo_mstate *st, struct xo_profiles *p, struct xo_idg *g,
			 const xo_node *nodes, const uint64_t *owner_of, size_t n)
{
	sqlite3_stmt *s = xo_db_prepare(st->db, "SELECT data FROM profile WHERE ident = ?");
	for (size_t i = 0; i < n; i++) {
		int64_t row = row_of(st, nodes[i]);
		if (!row)
			continue;
		sqlite3_bind_int64(s, 1, row);
		if (xo_db_step(st->db, s) == SQLITE_ROW &&
		    xo_profiles_load(p, g, owner_of[i], (const char *)sqlite3_column_text(s, 0),
				     (size_t)sqlite3_column_bytes(s, 0)) != 0)
			xo_die(XO_EXIT_STATE, "%s: a damaged profile (corrupt state)", st->db->path);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
}

/* ------------------------------------------------------------------ */
/* Saving */

static void save_nodes(struct xo_mstate *st, const struct xo_mstate_changes *c)
{
	struct xo_idg *g = c->g;
	size_t n = xo_idg_nodes(g);
	sqlite3_stmt *ins = xo_db_prepare(st->db, "INSERT INTO ident (kind, value, xid, run)"
						  " VALUES (?, ?, ?, ?)");
	sqlite3_stmt *upd = xo_db_prepare(st->db, "UPDATE ident SET xid = ? WHERE id = ?");
	size_t loaded = st->n_loaded;
	for (xo_node i = 0; i < n; i++) {
		uint64_t x = i < c->assign->n_nodes ? c->assign->xid[i] : 0;
		int64_t row = row_of(st, i);
		if (row && i < loaded) {
			if (st->loaded[i] == x)
				continue;
			if (x)
				bind_xid(upd, 1, x);
			else
				sqlite3_bind_null(upd, 1);
			sqlite3_bind_int64(upd, 2, row);
			xo_db_step(st->db, upd);
			sqlite3_reset(upd);
			continue;
		}
		size_t len;
		const char *v = xo_idg_value(g, i, &len);
		const char *kind = xo_idg_kind_name(g, xo_idg_node_kind(g, i));
		sqlite3_bind_text(ins, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, v, (int)len, SQLITE_STATIC);
		if (x)
			bind_xid(ins, 3, x);
		else
			sqlite3_bind_null(ins, 3);
		sqlite3_bind_int64(ins, 4, st->run);
		xo_db_step(st->db, ins);
		sqlite3_reset(ins);
		remember_node(st, i, sqlite3_last_insert_rowid(st->db->sql), x);
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
}

struct link_ctx {
	struct xo_mstate *st;
	const struct xo_mstate_changes *c;
	struct xo_u64map prob;   /* (a << 32 | b) -> index into c->prob + 1 */
	sqlite3_stmt *ins, *upd;
};

static uint64_t pair_key(xo_node a, xo_node b)
{
	return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static int save_link(void *ctx, xo_node a, xo_node b, unsigned flags, uint32_t count)
{
	struct link_ctx *l = ctx;
	struct xo_mstate *st = l->st;
	int64_t ra = row_of(st, a), rb = row_of(st, b);
	if (ra > rb) {
		int64_t t = ra;
		ra = rb;
		rb = t;
	}
	if (flags & XO_EDGE_KNOWN) {
		if (!(flags & XO_EDGE_DIRTY))
			return 0;
		sqlite3_bind_int64(l->upd, 1, count);
		sqlite3_bind_int(l->upd, 2, (flags & XO_EDGE_CUT) != 0);
		sqlite3_bind_int64(l->upd, 3, ra);
		sqlite3_bind_int64(l->upd, 4, rb);
		xo_db_step(st->db, l->upd);
		sqlite3_reset(l->upd);
		return 0;
	}
	uint64_t idx = 0;
	xo_u64map_get(&l->prob, pair_key(a, b), &idx);
	sqlite3_bind_int64(l->ins, 1, ra);
	sqlite3_bind_int64(l->ins, 2, rb);
	sqlite3_bind_int64(l->ins, 3, count);
	sqlite3_bind_int(l->ins, 4, (flags & XO_EDGE_PROB) != 0);
	if (idx) {
		sqlite3_bind_double(l->ins, 5, l->c->prob[idx - 1].weight);
		sqlite3_bind_text(l->ins, 6, l->c->prob[idx - 1].evidence, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(l->ins, 5);
		sqlite3_bind_null(l->ins, 6);
	}
	sqlite3_bind_int(l->ins, 7, (flags & XO_EDGE_CUT) != 0);
	sqlite3_bind_int64(l->ins, 8, st->run);
	xo_db_step(st->db, l->ins);
	sqlite3_reset(l->ins);
	return 0;
}

static void save_links(struct xo_mstate *st, const struct xo_mstate_changes *c)
{
	struct link_ctx l = { st, c, XO_U64MAP_INIT, NULL, NULL };
	for (size_t i = 0; i < c->n_prob; i++)
		xo_u64map_put(&l.prob, pair_key(c->prob[i].a, c->prob[i].b), i + 1);
	l.ins = xo_db_prepare(st->db, "INSERT INTO link (a, b, events, prob, weight, evidence, cut, run)"
				      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	l.upd = xo_db_prepare(st->db, "UPDATE link SET events = ?, cut = ? WHERE a = ? AND b = ?");
	xo_idg_each_edge(c->g, save_link, &l);
	sqlite3_finalize(l.ins);
	sqlite3_finalize(l.upd);
	xo_u64map_free(&l.prob);
}

/* Every xid handed out gets a customer row; customers with events in
 * this run have their counts and times updated. */
static void save_customers(struct xo_mstate *st, const struct xo_mstate_changes *c)
{
	sqlite3_stmt *up = xo_db_prepare(
		st->db,
		"INSERT INTO customer (xid, first_seen, last_seen, events, created_run)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (xid) DO UPDATE SET"
		" first_seen = CASE WHEN ?2 IS NULL THEN first_seen WHEN first_seen IS NULL"
		"  OR ?2 < first_seen THEN ?2 ELSE first_seen END,"
		" last_seen = CASE WHEN ?3 IS NULL THEN last_seen WHEN last_seen IS NULL"
		"  OR ?3 > last_seen THEN ?3 ELSE last_seen END,"
		" events = events + ?4, merged_into = NULL");
	/* Each xid once, in the table's order (the text of an xid sorts as
	 * its number): see save_events(). */
	uint64_t *xids = xo_malloc((c->assign->n_nodes ? c->assign->n_nodes : 1) * sizeof *xids);
	size_t n = 0;
	for (size_t i = 0; i < c->assign->n_nodes; i++)
		if (c->assign->xid[i])
			xids[n++] = c->assign->xid[i];
	qsort(xids, n, sizeof *xids, cmp_u64);
	for (size_t i = 0; i < n; i++) {
		uint64_t x = xids[i];
		if (i > 0 && x == xids[i - 1])
			continue;
		uint64_t k;
		int has = xo_u64map_get(c->customer_index, x, &k);
		if (!has && xo_u64map_get(&st->customer_index, x, NULL))
			continue;
		bind_xid(up, 1, x);
		if (has && c->customer[k].events) {
			sqlite3_bind_int64(up, 2, c->customer[k].first);
			sqlite3_bind_int64(up, 3, c->customer[k].last);
		} else {
			sqlite3_bind_null(up, 2);
			sqlite3_bind_null(up, 3);
		}
		sqlite3_bind_int64(up, 4, has ? (int64_t)c->customer[k].events : 0);
		sqlite3_bind_int64(up, 5, st->run);
		xo_db_step(st->db, up);
		sqlite3_reset(up);
	}
	sqlite3_finalize(up);
	free(xids);
}

static void save_merges(struct xo_mstate *st, const struct xo_mstate_changes *c,
			long long *merge_ids)
{
	sqlite3_stmt *m = xo_db_prepare(st->db, "INSERT INTO merge (run, survivor, absorbed, cause)"
						" VALUES (?, ?, ?, ?)");
	sqlite3_stmt *mm = xo_db_prepare(st->db, "INSERT OR IGNORE INTO merge_member (merge, ident)"
						 " VALUES (?, ?)");
	/* The survivor takes over the absorbed customer's history. */
	sqlite3_stmt *cu = xo_db_prepare(
		st->db,
		"UPDATE customer SET"
		" first_seen = (SELECT min(first_seen) FROM customer WHERE xid IN (?1, ?2)),"
		" last_seen = (SELECT max(last_seen) FROM customer WHERE xid IN (?1, ?2)),"
		" events = (SELECT sum(events) FROM customer WHERE xid IN (?1, ?2))"
		" WHERE xid = ?1");
	sqlite3_stmt *ab = xo_db_prepare(st->db, "UPDATE customer SET merged_into = ?1 WHERE xid = ?2");
	for (size_t i = 0; i < c->assign->n_merges; i++) {
		const struct xo_merge_event *e = &c->assign->merges[i];
		sqlite3_bind_int64(m, 1, st->run);
		bind_xid(m, 2, e->survivor);
		bind_xid(m, 3, e->absorbed);
		sqlite3_bind_text(m, 4, c->merge_causes ? c->merge_causes[i] : NULL, -1, SQLITE_STATIC);
		xo_db_step(st->db, m);
		sqlite3_reset(m);
		long long id = sqlite3_last_insert_rowid(st->db->sql);
		if (merge_ids)
			merge_ids[i] = id;
		for (size_t j = 0; j < e->n_members; j++) {
			sqlite3_bind_int64(mm, 1, id);
			sqlite3_bind_int64(mm, 2, row_of(st, e->members[j]));
			xo_db_step(st->db, mm);
			sqlite3_reset(mm);
		}
		sqlite3_stmt *both[] = { cu, ab };
		for (int k = 0; k < 2; k++) {
			bind_xid(both[k], 1, e->survivor);
			bind_xid(both[k], 2, e->absorbed);
			xo_db_step(st->db, both[k]);
			sqlite3_reset(both[k]);
		}
	}
	sqlite3_finalize(m);
	sqlite3_finalize(mm);
	sqlite3_finalize(cu);
	sqlite3_finalize(ab);
}

static void save_detaches_and_splits(struct xo_mstate *st, const struct xo_mstate_changes *c)
{
	sqlite3_stmt *d = xo_db_prepare(st->db, "INSERT INTO detach (run, from_xid, to_xid)"
						" VALUES (?, ?, ?)");
	for (size_t i = 0; i < c->assign->n_detaches; i++) {
		sqlite3_bind_int64(d, 1, st->run);
		bind_xid(d, 2, c->assign->detaches[i].from);
		bind_xid(d, 3, c->assign->detaches[i].to);
		xo_db_step(st->db, d);
		sqlite3_reset(d);
	}
	sqlite3_finalize(d);
	sqlite3_stmt *u = xo_db_prepare(st->db, "UPDATE merge SET undone_run = ? WHERE id = ?");
	sqlite3_stmt *r = xo_db_prepare(st->db, "UPDATE customer SET merged_into = NULL WHERE xid = ?");
	for (size_t i = 0; i < st->n_splits; i++) {
		sqlite3_bind_int64(u, 1, st->run);
		sqlite3_bind_int64(u, 2, st->splits[i].merge);
		xo_db_step(st->db, u);
		sqlite3_reset(u);
		bind_xid(r, 1, st->splits[i].absorbed);
		xo_db_step(st->db, r);
		sqlite3_reset(r);
	}
	sqlite3_finalize(u);
	sqlite3_finalize(r);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

static void save_events(struct xo_mstate *st, const struct xo_mstate_changes *c)
{
	/* Event ids are hashes: inserted as they come, each lands on a
	 * random page of the table, and a night of millions rewrites every
	 * page many times over. In the table's order each page is written
	 * once. */
	size_t n = c->n_new_events;
	int64_t *ids = xo_malloc((n ? n : 1) * sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = (int64_t)c->new_events[i];
	qsort(ids, n, sizeof *ids, cmp_i64);
	sqlite3_stmt *s = xo_db_prepare(st->db, "INSERT OR IGNORE INTO seen_event (id) VALUES (?)");
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(s, 1, ids[i]);
		xo_db_step(st->db, s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	free(ids);
}

static void save_records(struct xo_mstate *st, const struct xo_mstate_changes *c)
{
	sqlite3_stmt *s = xo_db_prepare(st->db, "INSERT OR REPLACE INTO record (event, ident, side, grp,"
						" fields) VALUES (?, ?, ?, ?, ?)");
	for (size_t i = 0; i < c->n_records; i++) {
		const struct xo_new_record *r = &c->records[i];
		json_t *fields = json_array();
		for (size_t f = 0; f < r->n_values; f++)
			json_array_append_new(fields, json_string(r->values[f] ? r->values[f] : ""));
		char *text = json_dumps(fields, JSON_COMPACT);
		json_decref(fields);
		if (!text)
			xo_die(XO_EXIT_INTERNAL, "out of memory");
		sqlite3_bind_text(s, 1, r->event_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, row_of(st, r->node));
		sqlite3_bind_int(s, 3, r->side);
		sqlite3_bind_int64(s, 4, (int64_t)r->group);
		sqlite3_bind_text(s, 5, text, -1, SQLITE_TRANSIENT);
		xo_db_step(st->db, s);
		sqlite3_reset(s);
		free(text);
	}
	sqlite3_finalize(s);
}

static void save_profiles(struct xo_mstate *st, const struct xo_mstate_changes *c)
{
	if (!c->profiles)
		return;
	sqlite3_stmt *s = xo_db_prepare(st->db, "INSERT OR REPLACE INTO profile (ident, data) VALUES (?, ?)");
	struct xo_buf text = XO_BUF_INIT;
	for (size_t i = 0; i < c->n_acc_nodes; i++) {
		xo_buf_reset(&text);
		xo_profiles_save(c->profiles, c->acc_nodes[i], &text);
		if (text.len == 0)
			continue;
		sqlite3_bind_int64(s, 1, row_of(st, c->acc_nodes[i]));
		sqlite3_bind_text(s, 2, text.data, (int)text.len, SQLITE_STATIC);
		xo_db_step(st->db, s);
		sqlite3_reset(s);
	}
	xo_buf_free(&text);
	sqlite3_finalize(s);
}

void xo_mstate_save(struct xo_mstate *st, const struct xo_mstate_changes *c, long long *merge_ids)
{
	save_nodes(st, c);
	save_links(st, c);
	save_customers(st, c);
	save_merges(st, c, merge_ids);
	save_detaches_and_splits(st, c);
	save_events(st, c);
	save_records(st, c);
	save_profiles(st, c);
	char finished[XO_TIME_BUFSIZE];
	time_text(xo_time_now(), finished);
	sqlite3_stmt *s = xo_db_prepare(st->db, "UPDATE run SET finished = ?, events = ?,"
						" new_events = ?, merges = ? WHERE id = ?");
	sqlite3_bind_text(s, 1, finished, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, (int64_t)c->events_read);
	sqlite3_bind_int64(s, 3, (int64_t)c->n_new_events);
	sqlite3_bind_int64(s, 4, (int64_t)c->assign->n_merges);
	sqlite3_bind_int64(s, 5, st->run);
	xo_db_step(st->db, s);
	sqlite3_finalize(s);
}
