/* ingest: exports read through a map into events, one input at a time.
 *
 * The heart of xo-ingest: CSV/TSV, log, NDJSON and JSON-array readers,
 * each record turned into an event (lib/event) or sent to the reject
 * stream with why. Events go to a callback, so the same code serves the
 * tool, its tests and its fuzzers. The struct owns its scratch space and
 * nothing it was given.
 */
#ifndef XO_INGEST_H
#define XO_INGEST_H

#include <stddef.h>

#include "event.h"
#include "input.h"
#include "map.h"
#include "rejects.h"

struct xo_ingest_opts {
	const struct xo_map *map;
	struct xo_eventer_opts ev;
	struct xo_rejects *rejects;
	int strict;  /* stop at the first rejected record */
	/* Called with each event's JSON text and its newline. */
	void (*emit)(void *ctx, const char *event, size_t len);
	void *emit_ctx;
};

struct xo_ingest_counts {
	unsigned long long read, emitted, rejected;
};

struct xo_ingest;

struct xo_ingest *xo_ingest_new(const struct xo_ingest_opts *opts);
/* Read one input to its end (or to the first reject with strict). Its
 * events get default_source when neither the map nor the options name
 * one. Returns 0, or XO_EXIT_USAGE when the map does not fit the input
 * (reported on stderr); counts get this input's figures. */
int xo_ingest_input(struct xo_ingest *ing, struct xo_input *in, const char *default_source,
		    struct xo_ingest_counts *counts);
/* 1 once strict mode has stopped at a rejected record. */
int xo_ingest_stopped(const struct xo_ingest *ing);
void xo_ingest_free(struct xo_ingest *ing);

/* The default source name of a path: "calls" for "exports/calls.2026-03.csv",
 * "stdin" for "-". The caller frees it. */
char *xo_source_from_path(const char *path);

#endif
