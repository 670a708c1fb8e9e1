/* db: the SQLite state files of stateful tools (xo-merge, xo-decide).
 *
 * A state file is created mode 0600 and carries an application id (so a
 * tool never writes into another tool's file) and a schema version (so
 * an older xo refuses a file written by a newer one, and a newer one
 * upgrades an older file or refuses it). It runs in WAL mode with
 * synchronous=FULL: a run killed at any point leaves the state as it
 * was before or after the run's transaction. Every failure here ends
 * the tool with a message naming the file: XO_EXIT_OUTPUT when the file
 * cannot be written (disk full, a failing disk), XO_EXIT_STATE for
 * anything else: locked by another run (after a busy timeout), corrupt,
 * not an xo state file, too new or too old. A struct xo_db is used by
 * one thread at a time.
 */
#ifndef XO_DB_H
#define XO_DB_H

#include <sqlite3.h>
#include <stdint.h>

struct xo_db_schema {
	int app_id;          /* e.g. 0x786f4d47 ("xoMG") */
	const char *what;    /* "xo-merge state", for messages */
	int version;         /* this build's schema version */
	const char *create;  /* SQL creating the schema at this version */
	/* upgrade[v - 1]: SQL taking a file from version v to v + 1. A file
	 * opened for writing is upgraded at once, in one transaction; with
	 * no upgrade (NULL here or at v - 1), an older file is refused. */
	const char *const *upgrade;
	/* A read-only open takes a file of this version or newer as it is
	 * (the older schema answers the same queries, if more slowly); an
	 * older one is refused. 0: only this version. */
	int reads_from;
};

struct xo_db {
	sqlite3 *sql;
	char *path;
	const struct xo_db_schema *schema;
	int in_tx;
	sqlite3_stmt *begin, *commit;  /* made at their first use */
	int checkpoint_pages;          /* deferred checkpoints: every this many pages */
	int checkpoint_at;             /* the log size that calls the next */
	int log_pages;                 /* the log's size after the last commit */
};

/* Open (creating when absent) or die. busy_ms: wait for a lock. The
 * path ":memory:" gives a private database that lives as long as it is
 * open. */
struct xo_db *xo_db_open(const char *path, const struct xo_db_schema *schema, int busy_ms);
/* Open an existing file read-only (for --dry-run, --as-of); die if absent. */
struct xo_db *xo_db_open_readonly(const char *path, const struct xo_db_schema *schema, int busy_ms);
void xo_db_close(struct xo_db *db);

/* Run SQL with no results or die. */
void xo_db_exec(struct xo_db *db, const char *sql);
/* Prepare or die; the caller finalizes. */
sqlite3_stmt *xo_db_prepare(struct xo_db *db, const char *sql);
/* Step; returns SQLITE_ROW or SQLITE_DONE, dies on anything else. */
int xo_db_step(struct xo_db *db, sqlite3_stmt *stmt);
/* The first column of the first row of sql (0 when there is none), with
 * ?1 bound to arg when sql has a parameter. */
int64_t xo_db_int(struct xo_db *db, const char *sql, int64_t arg);

/* BEGIN IMMEDIATE (takes the write lock now), COMMIT, ROLLBACK. A tool
 * that dies inside a transaction rolls it back. */
void xo_db_begin(struct xo_db *db);
void xo_db_commit(struct xo_db *db);
void xo_db_rollback(struct xo_db *db);

/* Copy the log into the database file (a checkpoint, which waits for
 * the disk) only when xo_db_checkpoint_due() is called, once the log
 * holds at least pages pages, rather than inside the commit that filled
 * it: a tool that answers after each commit calls it after answering. */
void xo_db_defer_checkpoints(struct xo_db *db, int pages);
/* Outside a transaction: the checkpoint put off, if the log is big
 * enough. A checkpoint another connection holds up is tried again
 * after as many pages more. */
void xo_db_checkpoint_due(struct xo_db *db);

/* Die describing rc for this db: XO_EXIT_OUTPUT when it is a write
 * error, else XO_EXIT_STATE. */
_Noreturn void xo_db_fail(struct xo_db *db, int rc, const char *doing);

#endif
