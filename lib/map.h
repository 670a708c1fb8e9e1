/* map: mapping files (xo-map(5)), which say how the fields of one kind
 * of export become event fields.
 *
 * A map is INI-like: [sections] of "key = value" lines, '#' or ';'
 * comments on lines of their own. xo_map_load() checks it whole and
 * refuses it with FILE:LINE and the reason. The struct xo_map owns
 * everything in it; xo_map_free() releases it.
 */
#ifndef XO_MAP_H
#define XO_MAP_H

#include <stddef.h>

#include "buf.h"
#include "rx.h"
#include "xtime.h"

enum xo_input_format { XO_FMT_CSV, XO_FMT_NDJSON, XO_FMT_JSON, XO_FMT_LOG };
enum xo_encoding { XO_ENC_UTF8, XO_ENC_LATIN1, XO_ENC_REPLACE };
enum xo_attr_type { XO_ATTR_STRING, XO_ATTR_NUMBER, XO_ATTR_INTEGER, XO_ATTR_BOOLEAN };

/* A reference to a source field by name (a column, a log group, or a
 * path into a JSON record). Optional fields may be missing from a file. */
struct xo_fieldref {
	char *name;
	int optional;
};

struct xo_fieldrefs {
	struct xo_fieldref *refs;
	size_t n;
};

/* value -> result, tried in order: exact (case-insensitive) entries,
 * then /regex/ entries, then the default. */
struct xo_lookup_entry {
	char *key;          /* NULL for a regex entry */
	struct xo_rx *rx;
	char *result;
};

struct xo_lookup {
	struct xo_lookup_entry *entries;
	size_t n;
	char *fallback;     /* "*" entry; NULL when none */
};

/* How one event field (channel or type) gets its value. */
struct xo_choice {
	char *constant;       /* set, or ... */
	struct xo_fieldref field; /* ... a field (name NULL when unset) */
	struct xo_lookup lookup;
	char *prefix;         /* type: prepended to an unlooked-up value */
};

enum xo_cx_measure { XO_CX_NPS, XO_CX_CSAT, XO_CX_CES, XO_CX_COUNT };

struct xo_cx_map {
	struct xo_fieldref field; /* name NULL when unset */
	int has_scale;
	double from_lo, from_hi;  /* "from 1-10": the source scale */
	struct xo_lookup labels;  /* "Very satisfied" -> 5 */
};

struct xo_id_map {
	char *kind;
	struct xo_fieldrefs fields;
};

struct xo_attr_typing {
	char *field;
	enum xo_attr_type type;
};

struct xo_map {
	char *path;           /* where it was read from, for messages */
	/* [input] */
	enum xo_input_format format;
	unsigned char delimiter, quote;
	int header;           /* first record names the fields */
	struct xo_fieldrefs columns; /* names given in the map */
	long skip;            /* lines before the header */
	int trim, strict_quotes, pad_short_rows;
	long max_record_lines;
	enum xo_encoding encoding;
	struct xo_rx *pattern; /* log */
	char decimal;         /* '.' or ',' */
	/* [event] */
	char *source;
	struct xo_choice channel, type;
	struct xo_fieldrefs text;
	struct xo_fieldrefs drop;
	int keep_empty;
	/* [time] */
	struct xo_fieldrefs time_fields; /* joined with a space */
	struct xo_timefmt *time_formats;
	size_t n_time_formats;
	char **time_format_text;  /* owned pattern strings */
	char *tz_name;
	int has_time_default;
	xo_time_t time_default;
	/* [ids] */
	struct xo_id_map *ids;
	size_t n_ids;
	char *default_country;
	int keep_invalid_ids;
	/* [cx] */
	struct xo_cx_map cx[XO_CX_COUNT];
	/* [types] */
	struct xo_attr_typing *types;
	size_t n_types;
};

/* Parse text (named path in messages). NULL with "PATH:LINE: reason" in
 * err when the map is wrong. */
struct xo_map *xo_map_parse(const char *text, size_t len, const char *path, struct xo_buf *err);
/* Read and parse a file; NULL with the reason in err. */
struct xo_map *xo_map_load(const char *path, struct xo_buf *err);
void xo_map_free(struct xo_map *map);

/* Look value up; the result (owned by the lookup) or NULL when nothing
 * matches. *limit is set when a regex hit its PCRE2 limit. */
const char *xo_lookup_find(const struct xo_lookup *l, const char *value, size_t len, int *limit);

extern const char *const xo_cx_names[XO_CX_COUNT];
extern const int xo_cx_min[XO_CX_COUNT], xo_cx_max[XO_CX_COUNT];

#endif
