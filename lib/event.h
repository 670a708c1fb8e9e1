/* event: canonical events (xo-events(5)) built from source records
 * through a map (xo-map(5)).
 *
 * A source record is either tabular (a CSV row or a log line: values by
 * column, named by a header, the map's columns or the pattern's groups)
 * or a JSON object (NDJSON and JSON-array inputs). A binding resolves the
 * map's field names once per file; building an event then costs no name
 * lookups. The builder owns its scratch space; xo_eventer_free()
 * releases it.
 */
#ifndef XO_EVENT_H
#define XO_EVENT_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "map.h"
#include "tz.h"

struct xo_eventer;
struct xo_binding;

/* Options the command line may override. source NULL: the map's source,
 * else default_source. tz_name, country NULL: the map's. */
struct xo_pseudo;

struct xo_eventer_opts {
	const char *source;
	const char *default_source;
	const char *tz_name;
	const char *country;
	/* Set: identifiers become keyed pseudonyms (lib/pseudo), and an
	 * identifier field never goes to attrs. Not owned. */
	const struct xo_pseudo *pseudo;
};

/* NULL with the reason in err (a bad --tz or --default-country). */
struct xo_eventer *xo_eventer_new(const struct xo_map *map, const struct xo_eventer_opts *opts,
				  struct xo_buf *err);
void xo_eventer_free(struct xo_eventer *e);
/* The source name events get. */
const char *xo_eventer_source(const struct xo_eventer *e);

/* Bind the map to the column names of one tabular input (names[0..n)).
 * NULL with "no column 'X' (columns: ...)" in err when a field the map
 * needs is missing. */
struct xo_binding *xo_binding_tabular(struct xo_eventer *e, const char *const *names, size_t n,
				      struct xo_buf *err);
/* Bind the map to JSON records (field names are jpath paths). */
struct xo_binding *xo_binding_json(struct xo_eventer *e, struct xo_buf *err);
void xo_binding_free(struct xo_binding *b);

/* Build the event of one tabular record: values[i] of lens[i] bytes for
 * each of the bound columns (n must equal the binding's width). On
 * success 0 and the event's JSON text (no newline) in out; on a bad
 * record -1 and the reason in why. */
int xo_event_from_values(struct xo_eventer *e, const struct xo_binding *b,
			 const char *const *values, const size_t *lens, size_t n,
			 struct xo_buf *out, struct xo_buf *why);
/* The same for a JSON object record. */
int xo_event_from_json(struct xo_eventer *e, const struct xo_binding *b, json_t *obj,
		       struct xo_buf *out, struct xo_buf *why);

/* Width (number of columns) a tabular binding expects. */
size_t xo_binding_width(const struct xo_binding *b);

/* Numbers as exports write them, whatever the locale: optional sign,
 * digits with optional thousands separators in groups of three, the
 * decimal separator decimal ('.' or ','), an optional exponent. 0 or -1. */
int xo_parse_number(const char *s, size_t len, char decimal, double *out);

#endif
