#include "db.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "mem.h"

/* The open databases, rolled back if the tool dies mid-transaction. */
#define MAX_OPEN 4
static struct xo_db *open_dbs[MAX_OPEN];
static int hook_set;

static void rollback_all(void)
{
	for (int i = 0; i < MAX_OPEN; i++) {
		if (open_dbs[i] && open_dbs[i]->in_tx) {
			sqlite3_exec(open_dbs[i]->sql, "ROLLBACK", NULL, NULL, NULL);
			open_dbs[i]->in_tx = 0;
		}
	}
}

static void remember(struct xo_db *db)
{
	if (!hook_set) {
		xo_diag_on_exit(rollback_all);
		hook_set = 1;
	}
	for (int i = 0; i < MAX_OPEN; i++) {
		if (!open_dbs[i]) {
			open_dbs[i] = db;
			return;
		}
	}
	xo_die(XO_EXIT_INTERNAL, "too many open state files");
}

static void forget(struct xo_db *db)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (open_dbs[i] == db)
			open_dbs[i] = NULL;
}

/* A failure to write the file (the disk is full, or failing) rather
 * than a problem with the state itself. err: the system's errno. */
static int is_write_error(int rc, int err)
{
	if (err == ENOSPC || err == EDQUOT || err == EFBIG)
		return 1;
	switch (rc) {
	case SQLITE_FULL:
	case SQLITE_IOERR_WRITE:
	case SQLITE_IOERR_FSYNC:
	case SQLITE_IOERR_DIR_FSYNC:
	case SQLITE_IOERR_TRUNCATE:
	case SQLITE_IOERR_SHMSIZE:
		return 1;
	default:
		return 0;
	}
}

void xo_db_fail(struct xo_db *db, int rc, const char *doing)
{
	int base = rc & 0xff;
	const char *detail = db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc);
	const char *hint = "";
	char why[160];
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		hint = " (another run holds the state; try again when it ends)";
	else if (base == SQLITE_CORRUPT || base == SQLITE_NOTADB)
		hint = " (the file is damaged or not a state file; restore it from a backup)";
	else if (base == SQLITE_READONLY || base == SQLITE_CANTOPEN || base == SQLITE_PERM)
		hint = " (check the file and its directory are writable)";
	int err = db->sql ? sqlite3_system_errno(db->sql) : 0;
	if (is_write_error(rc, err)) {
		/* The state is as it was before the transaction: what failed
		 * is the write, so it is an output error (xo(7)). */
		snprintf(why, sizeof why, " (%s; the state keeps what was committed before)",
			 err ? strerror(err) : "disk full");
		xo_die(XO_EXIT_OUTPUT, "%s: %s %s: %s%s", db->path, doing, db->schema->what, detail, why);
	}
	xo_die(XO_EXIT_STATE, "%s: %s %s: %s%s", db->path, doing, db->schema->what, detail, hint);
}

/* Create the file ourselves first so that it gets mode 0600. */
static void create_private(struct xo_db *db)
{
	int fd = open(db->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		xo_die(XO_EXIT_STATE, "%s: cannot create %s: %s", db->path, db->schema->what, strerror(errno));
}

int64_t xo_db_int(struct xo_db *db, const char *sql, int64_t arg)
{
	sqlite3_stmt *st = xo_db_prepare(db, sql);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	int64_t v = xo_db_step(db, st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return v;
}

static int pragma_int(struct xo_db *db, const char *sql)
{
	return (int)xo_db_int(db, sql, 0);
}

/* The file's application id and schema version, read in one statement
 * and so from one snapshot: read apart, a run committing a new file's
 * schema between the two reads would show a pair no file has. */
static void read_ids(struct xo_db *db, int *app, int *version)
{
	sqlite3_stmt *st = xo_db_prepare(db, "SELECT a.application_id, v.user_version"
					 " FROM pragma_application_id AS a, pragma_user_version AS v");
	*app = *version = 0;
	if (xo_db_step(db, st) == SQLITE_ROW) {
		*app = sqlite3_column_int(st, 0);
		*version = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
}

static int can_upgrade(const struct xo_db_schema *s, int version)
{
	for (int v = version; v < s->version; v++)
		if (v < 1 || !s->upgrade || !s->upgrade[v - 1])
			return 0;
	return 1;
}

static void set_pragma(struct xo_db *db, const char *name, int value)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA %s=%d", name, value);
	xo_db_exec(db, sql);
}

/* Bring a file of an older schema up to this one, in one transaction
 * (a run killed meanwhile leaves it as it was). */
static void upgrade(struct xo_db *db, int version, int readonly)
{
	const struct xo_db_schema *s = db->schema;
	if (!can_upgrade(s, version))
		xo_die(XO_EXIT_STATE, "%s: schema %d is older than %d and cannot be upgraded",
		       db->path, version, s->version);
	if (readonly)
		xo_die(XO_EXIT_STATE, "%s: schema %d is older than %d: open it once for writing"
		       " to upgrade it", db->path, version, s->version);
	xo_db_begin(db);
	/* Another run may have upgraded it meanwhile. */
	for (version = pragma_int(db, "PRAGMA user_version"); version < s->version; version++) {
		xo_db_exec(db, s->upgrade[version - 1]);
		set_pragma(db, "user_version", version + 1);
	}
	xo_db_commit(db);
}

static void check_or_create_schema(struct xo_db *db, int readonly)
{
	const struct xo_db_schema *s = db->schema;
	int app, version;
	read_ids(db, &app, &version);
	if (app == 0 && version == 0 && !readonly) {
		/* Two runs may create the same file at once: look again under
		 * the write lock, and create only if it is still empty. */
		xo_db_begin(db);
		read_ids(db, &app, &version);
		if (app != 0 || version != 0)
			xo_db_commit(db);
	}
	if (app == 0 && version == 0) {
		if (readonly)
			xo_die(XO_EXIT_STATE, "%s: empty, not yet an %s", db->path, s->what);
		int tables = pragma_int(db, "SELECT count(*) FROM sqlite_master");
		if (tables != 0)
			xo_die(XO_EXIT_STATE, "%s: an SQLite file, but not an %s", db->path, s->what);
		xo_db_exec(db, s->create);
		set_pragma(db, "application_id", s->app_id);
		set_pragma(db, "user_version", s->version);
		xo_db_commit(db);
		return;
	}
	if (app != s->app_id)
		xo_die(XO_EXIT_STATE, "%s: not an %s (another tool's file?)", db->path, s->what);
	if (version > s->version)
		xo_die(XO_EXIT_STATE,
		       "%s: written by a newer xo (schema %d; this one reads up to %d)",
		       db->path, version, s->version);
	if (version < s->version) {
		if (readonly && s->reads_from && version >= s->reads_from)
			return;
		upgrade(db, version, readonly);
	}
}

static struct xo_db *open_db(const char *path, const struct xo_db_schema *schema,
			     int busy_ms, int readonly)
{
	struct xo_db *db = xo_calloc(1, sizeof *db);
	db->path = xo_strdup(path);
	db->schema = schema;
	/* ":memory:" is SQLite's private in-memory database: no file. */
	int memory = strcmp(path, ":memory:") == 0;
	if (!readonly && !memory)
		create_private(db);
	else if (readonly && access(path, F_OK) != 0)
		xo_die(XO_EXIT_STATE, "%s: %s", path, strerror(errno));
	/* A connection is used by one thread at a time (the one that opened
	 * it): its mutex would only cost time. */
	int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &db->sql, flags, NULL);
	if (rc != SQLITE_OK)
		xo_db_fail(db, rc, "cannot open");
	remember(db);
	sqlite3_busy_timeout(db->sql, busy_ms);
	sqlite3_extended_result_codes(db->sql, 1);
	/* Reading the header proves it is a database at all. */
	check_or_create_schema(db, readonly);
	if (!readonly)
		xo_db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			       " PRAGMA foreign_keys=ON");
	return db;
}

static int log_grew(void *arg, sqlite3 *sql, const char *name, int pages)
{
	(void)sql;
	(void)name;
	((struct xo_db *)arg)->log_pages = pages;
	return SQLITE_OK;
}

void xo_db_defer_checkpoints(struct xo_db *db, int pages)
{
	db->checkpoint_pages = db->checkpoint_at = pages;
	/* Replaces SQLite's own hook, which checkpoints inside the commit. */
	sqlite3_wal_hook(db->sql, log_grew, db);
}

void xo_db_checkpoint_due(struct xo_db *db)
{
	if (db->checkpoint_pages <= 0 || db->log_pages < db->checkpoint_at || db->in_tx)
		return;
	int in_log = 0, copied = 0;
	int rc = sqlite3_wal_checkpoint_v2(db->sql, NULL, SQLITE_CHECKPOINT_PASSIVE, &in_log,
					   &copied);
	if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
		xo_db_fail(db, rc, "cannot copy the log into");
	if (rc == SQLITE_OK && copied == in_log) {
		db->log_pages = 0; /* the next commit starts the log again */
		db->checkpoint_at = db->checkpoint_pages;
	} else {
		db->checkpoint_at = db->log_pages + db->checkpoint_pages;
	}
}

struct xo_db *xo_db_open(const char *path, const struct xo_db_schema *schema, int busy_ms)
{
	return open_db(path, schema, busy_ms, 0);
}

struct xo_db *xo_db_open_readonly(const char *path, const struct xo_db_schema *schema, int busy_ms)
{
	return open_db(path, schema, busy_ms, 1);
}

void xo_db_close(struct xo_db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		xo_db_rollback(db);
	forget(db);
	sqlite3_finalize(db->begin);
	sqlite3_finalize(db->commit);
	sqlite3_close(db->sql);
	free(db->path);
	free(db);
}

void xo_db_exec(struct xo_db *db, const char *sql)
{
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		xo_db_fail(db, rc, "cannot update");
}

sqlite3_stmt *xo_db_prepare(struct xo_db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		xo_db_fail(db, rc, "cannot read");
	return st;
}

int xo_db_step(struct xo_db *db, sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		xo_db_fail(db, rc, "cannot use");
	return rc;
}

/* Run one of the transaction statements, prepared once: a stream that
 * commits each record would otherwise parse them each time. */
static void run_tx(struct xo_db *db, sqlite3_stmt **st, const char *sql)
{
	if (!*st) {
		int rc = sqlite3_prepare_v2(db->sql, sql, -1, st, NULL);
		if (rc != SQLITE_OK)
			xo_db_fail(db, rc, "cannot update");
	}
	int rc = sqlite3_step(*st);
	sqlite3_reset(*st);
	if (rc != SQLITE_DONE)
		xo_db_fail(db, rc, "cannot update");
}

void xo_db_begin(struct xo_db *db)
{
	run_tx(db, &db->begin, "BEGIN IMMEDIATE");
	db->in_tx = 1;
}

void xo_db_commit(struct xo_db *db)
{
	run_tx(db, &db->commit, "COMMIT");
	db->in_tx = 0;
}

void xo_db_rollback(struct xo_db *db)
{
	db->in_tx = 0;
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}
