/* ndjson: newline-delimited JSON read a line at a time.
 *
 * Blank lines are skipped. Every other line must hold one JSON object;
 * lines of any length are accepted. Parsing is jansson's, with its depth
 * limit (2048), so hostile nesting is an error, never a crash.
 */
#ifndef XO_NDJSON_H
#define XO_NDJSON_H

#include <jansson.h>

#include "buf.h"
#include "input.h"

enum xo_ndjson_status {
	XO_NDJSON_EOF = 0,
	XO_NDJSON_OBJECT = 1,
	XO_NDJSON_BAD = -1,
};

/* Read the next record. On XO_NDJSON_OBJECT *obj is a new reference the
 * caller owns. On XO_NDJSON_BAD, why holds the reason (with the column)
 * and in->buf the raw line; in->line is its number. */
enum xo_ndjson_status xo_ndjson_next(struct xo_input *in, json_t **obj,
				     struct xo_buf *why);

/* 1 when a line holds only blanks (spaces, tabs, CR): such lines are
 * skipped. */
int xo_ndjson_blank(const char *s, size_t len);

/* Parse one line already read; same contract as xo_ndjson_next. */
enum xo_ndjson_status xo_ndjson_parse(const char *line, size_t len,
				      json_t **obj, struct xo_buf *why);

/* obj's compact text (as jansson writes it) in out, which is reset
 * first. */
void xo_ndjson_dump(const json_t *obj, struct xo_buf *out);

#endif
