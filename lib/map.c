#include "map.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ident.h"
#include "mem.h"

const char *const xo_cx_names[XO_CX_COUNT] = { "nps", "csat", "ces" };
const int xo_cx_min[XO_CX_COUNT] = { 0, 1, 1 };
const int xo_cx_max[XO_CX_COUNT] = { 10, 5, 7 };

/* Apache/Nginx log formats, by name. */
static const struct {
	const char *name, *pattern;
} log_patterns[] = {
	{ "combined",
	  "^(?<host>\\S+) (?<ident>\\S+) (?<user>\\S+) \\[(?<time>[^\\]]+)\\] "
	  "\"(?<method>[A-Z]+) (?<path>[^\" ]*)(?: (?<protocol>[^\"]*))?\" "
	  "(?<status>\\d{3}) (?<bytes>\\d+|-) \"(?<referer>[^\"]*)\" \"(?<agent>[^\"]*)\"" },
	{ "common",
	  "^(?<host>\\S+) (?<ident>\\S+) (?<user>\\S+) \\[(?<time>[^\\]]+)\\] "
	  "\"(?<method>[A-Z]+) (?<path>[^\" ]*)(?: (?<protocol>[^\"]*))?\" "
	  "(?<status>\\d{3}) (?<bytes>\\d+|-)$" },
};

enum section {
	SEC_NONE, SEC_INPUT, SEC_EVENT, SEC_TIME, SEC_IDS, SEC_CX,
	SEC_CX_LABELS, SEC_CHANNEL, SEC_TYPE, SEC_TYPES,
};

struct parser {
	struct xo_map *map;
	const char *path;
	long line;
	struct xo_buf *err;
	enum section section;
	int cx_labels; /* which measure a [cx.X] section is for */
	/* "section.key" of the keys seen, to refuse repeats */
	char **seen;
	size_t n_seen, cap_seen;
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	xo_buf_reset(p->err);
	xo_buf_printf(p->err, "%s:%ld: ", p->path, p->line);
	va_start(ap, fmt);
	xo_buf_vprintf(p->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* --- small text helpers --------------------------------------------- */

static char *trim_in_place(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* A double-quoted string at s: its unescaped text in out, the position
 * after the closing quote returned, or NULL when unclosed. */
static const char *unquote(const char *s, struct xo_buf *out)
{
	for (s++; *s && *s != '"'; s++) {
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
			s++;
		xo_buf_addc(out, *s);
	}
	return *s == '"' ? s + 1 : NULL;
}

/* A name at s: quoted, or up to the first of stops with trailing blanks
 * dropped. Appended to out; returns where reading stopped, or NULL for
 * an unclosed quote. */
static const char *read_name(const char *s, const char *stops, struct xo_buf *out)
{
	if (*s == '"')
		return unquote(s, out);
	size_t n = strcspn(s, stops);
	size_t kept = n;
	while (kept > 0 && (s[kept - 1] == ' ' || s[kept - 1] == '\t'))
		kept--;
	xo_buf_add(out, s, kept);
	return s + n;
}

static int parse_bool(const char *v, int *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "on"))
		*out = 1;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "off"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int valid_word(const char *s, int dotted)
{
	if (!*s)
		return 0;
	for (const char *q = s; *q; q++) {
		int ok = (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_' || *q == '-' ||
			 (dotted && *q == '.' && q != s && q[1] && q[1] != '.');
		if (!ok)
			return 0;
	}
	return 1;
}

/* "a, b?, \"c, d\"" into refs; '?' marks an optional field. */
static int parse_fieldrefs(struct parser *p, const char *v, struct xo_fieldrefs *refs)
{
	size_t cap = refs->n;
	const char *s = v;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		struct xo_buf name = XO_BUF_INIT;
		s = read_name(s, ",", &name);
		if (!s) {
			xo_buf_free(&name);
			return fail(p, "unclosed quote in field list");
		}
		while (*s == ' ' || *s == '\t')
			s++;
		int optional = 0;
		if (name.len > 0 && name.data[name.len - 1] == '?' && *s != '?') {
			name.data[--name.len] = '\0';
			optional = 1;
		} else if (*s == '?') {
			optional = 1;
			s++;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (name.len == 0) {
			xo_buf_free(&name);
			return fail(p, "empty field name in list");
		}
		refs->refs = xo_grow(refs->refs, &cap, refs->n + 1, sizeof *refs->refs);
		refs->refs[refs->n].name = xo_buf_steal(&name);
		refs->refs[refs->n].optional = optional;
		refs->n++;
		if (*s == ',')
			s++;
		else if (*s)
			return fail(p, "expected ',' between field names");
	}
	return 0;
}

static int one_field(struct parser *p, const char *v, struct xo_fieldref *ref)
{
	struct xo_fieldrefs refs = { NULL, 0 };
	if (parse_fieldrefs(p, v, &refs) != 0 || refs.n != 1) {
		for (size_t i = 0; i < refs.n; i++)
			free(refs.refs[i].name);
		free(refs.refs);
		return refs.n > 1 ? fail(p, "one field expected, not a list") : -1;
	}
	*ref = refs.refs[0];
	free(refs.refs);
	return 0;
}

static int one_char(struct parser *p, const char *key, const char *v, unsigned char *out)
{
	if (!strcasecmp(v, "tab") || !strcmp(v, "\\t"))
		*out = '\t';
	else if (!strcasecmp(v, "none") && !strcmp(key, "quote"))
		*out = 0;
	else if (strlen(v) == 1 && v[0] != '\n')
		*out = (unsigned char)v[0];
	else
		return fail(p, "%s: one character expected (or \"tab\")", key);
	return 0;
}

static int parse_long(struct parser *p, const char *key, const char *v, long min, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min)
		return fail(p, "%s: a whole number of at least %ld expected", key, min);
	*out = n;
	return 0;
}

/* A plain number, '.' as the decimal point whatever the locale. */
static int parse_plain_number(const char *s, double *out)
{
	char *end;
	if (!*s)
		return -1;
	double v = strtod(s, &end); /* the tools never call setlocale */
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* --- lookups ------------------------------------------------------------ */

static int add_lookup(struct parser *p, struct xo_lookup *l, char *key, struct xo_rx *rx,
		      const char *result)
{
	if (key && strcmp(key, "*") == 0) {
		free(key);
		if (l->fallback)
			return fail(p, "second default '*'");
		l->fallback = xo_strdup(result);
		return 0;
	}
	size_t cap = l->n;
	l->entries = xo_grow(l->entries, &cap, l->n + 1, sizeof *l->entries);
	l->entries[l->n].key = key;
	l->entries[l->n].rx = rx;
	l->entries[l->n].result = xo_strdup(result);
	l->n++;
	return 0;
}

const char *xo_lookup_find(const struct xo_lookup *l, const char *value, size_t len, int *limit)
{
	*limit = 0;
	/* Surrounding blanks never decide a lookup. */
	while (len > 0 && (*value == ' ' || *value == '\t')) {
		value++;
		len--;
	}
	while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < l->n; i++) {
		const struct xo_lookup_entry *e = &l->entries[i];
		if (e->key && strlen(e->key) == len && strncasecmp(e->key, value, len) == 0)
			return e->result;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct xo_lookup_entry *e = &l->entries[i];
		if (!e->rx)
			continue;
		enum xo_rx_result r = xo_rx_match(e->rx, value, len);
		if (r == XO_RX_MATCH)
			return e->result;
		if (r == XO_RX_LIMIT)
			*limit = 1;
	}
	return l->fallback;
}

static void free_lookup(struct xo_lookup *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->entries[i].key);
		xo_rx_free(l->entries[i].rx);
		free(l->entries[i].result);
	}
	free(l->entries);
	free(l->fallback);
}

/* --- sections ---------------------------------------------------------- */

static int input_key(struct parser *p, const char *key, const char *v)
{
	struct xo_map *m = p->map;
	if (!strcmp(key, "format")) {
		if (!strcmp(v, "csv"))
			m->format = XO_FMT_CSV;
		else if (!strcmp(v, "tsv")) {
			m->format = XO_FMT_CSV;
			m->delimiter = '\t';
		} else if (!strcmp(v, "ndjson") || !strcmp(v, "jsonl"))
			m->format = XO_FMT_NDJSON;
		else if (!strcmp(v, "json"))
			m->format = XO_FMT_JSON;
		else if (!strcmp(v, "log"))
			m->format = XO_FMT_LOG;
		else
			return fail(p, "format: expected csv, tsv, ndjson, json or log");
		return 0;
	}
	if (!strcmp(key, "delimiter"))
		return one_char(p, key, v, &m->delimiter);
	if (!strcmp(key, "quote"))
		return one_char(p, key, v, &m->quote);
	if (!strcmp(key, "header"))
		return parse_bool(v, &m->header) == 0 ? 0 : fail(p, "header: expected yes or no");
	if (!strcmp(key, "columns"))
		return parse_fieldrefs(p, v, &m->columns);
	if (!strcmp(key, "skip"))
		return parse_long(p, key, v, 0, &m->skip);
	if (!strcmp(key, "max-record-lines"))
		return parse_long(p, key, v, 1, &m->max_record_lines);
	if (!strcmp(key, "trim"))
		return parse_bool(v, &m->trim) == 0 ? 0 : fail(p, "trim: expected yes or no");
	if (!strcmp(key, "strict-quotes"))
		return parse_bool(v, &m->strict_quotes) == 0 ? 0 : fail(p, "strict-quotes: expected yes or no");
	if (!strcmp(key, "ragged")) {
		if (!strcmp(v, "reject") || !strcmp(v, "pad")) {
			m->pad_short_rows = !strcmp(v, "pad");
			return 0;
		}
		return fail(p, "ragged: expected reject or pad");
	}
	if (!strcmp(key, "encoding")) {
		if (!strcasecmp(v, "utf-8") || !strcasecmp(v, "utf8"))
			m->encoding = XO_ENC_UTF8;
		else if (!strcasecmp(v, "latin1") || !strcasecmp(v, "iso-8859-1"))
			m->encoding = XO_ENC_LATIN1;
		else if (!strcasecmp(v, "replace"))
			m->encoding = XO_ENC_REPLACE;
		else
			return fail(p, "encoding: expected utf-8, latin1 or replace");
		return 0;
	}
	if (!strcmp(key, "decimal")) {
		if (strcmp(v, ".") && strcmp(v, ","))
			return fail(p, "decimal: expected . or ,");
		m->decimal = v[0];
		return 0;
	}
	if (!strcmp(key, "pattern")) {
		const char *pattern = v;
		for (size_t i = 0; i < sizeof log_patterns / sizeof log_patterns[0]; i++)
			if (!strcmp(v, log_patterns[i].name))
				pattern = log_patterns[i].pattern;
		struct xo_buf why = XO_BUF_INIT;
		m->pattern = xo_rx_compile(pattern, 0, &why);
		if (!m->pattern) {
			fail(p, "pattern: %s", xo_buf_str(&why));
			xo_buf_free(&why);
			return -1;
		}
		if (xo_rx_name_count(m->pattern) == 0)
			return fail(p, "pattern: no named groups (?<name>...) to take fields from");
		return 0;
	}
	return fail(p, "unknown key '%s' in [input]", key);
}

static int choice_constant(struct parser *p, struct xo_choice *c, const char *key, const char *v)
{
	int dotted = !strcmp(key, "type");
	if (!valid_word(v, dotted))
		return fail(p, "%s: '%s' is not a lower-case %s", key, v,
			    dotted ? "dotted type (call.complaint)" : "word (phone)");
	c->constant = xo_strdup(v);
	return 0;
}

static int event_key(struct parser *p, const char *key, const char *v)
{
	struct xo_map *m = p->map;
	if (!strcmp(key, "source")) {
		if (!*v)
			return fail(p, "source: empty");
		m->source = xo_strdup(v);
		return 0;
	}
	if (!strcmp(key, "channel"))
		return choice_constant(p, &m->channel, key, v);
	if (!strcmp(key, "type"))
		return choice_constant(p, &m->type, key, v);
	if (!strcmp(key, "channel-field"))
		return one_field(p, v, &m->channel.field);
	if (!strcmp(key, "type-field"))
		return one_field(p, v, &m->type.field);
	if (!strcmp(key, "type-prefix")) {
		if (!valid_word(v, 1) && !(strlen(v) > 1 && v[strlen(v) - 1] == '.'))
			return fail(p, "type-prefix: expected a dotted prefix such as \"call.\"");
		m->type.prefix = xo_strdup(v);
		return 0;
	}
	if (!strcmp(key, "text"))
		return parse_fieldrefs(p, v, &m->text);
	if (!strcmp(key, "drop"))
		return parse_fieldrefs(p, v, &m->drop);
	if (!strcmp(key, "keep-empty"))
		return parse_bool(v, &m->keep_empty) == 0 ? 0 : fail(p, "keep-empty: expected yes or no");
	return fail(p, "unknown key '%s' in [event]", key);
}

static int time_key(struct parser *p, const char *key, const char *v)
{
	struct xo_map *m = p->map;
	if (!strcmp(key, "field")) {
		/* "Date + Time": two columns read as one, with a space between */
		struct xo_buf list = XO_BUF_INIT;
		for (const char *s = v; *s; s++)
			xo_buf_addc(&list, *s == '+' ? ',' : *s);
		int rc = parse_fieldrefs(p, xo_buf_str(&list), &m->time_fields);
		xo_buf_free(&list);
		return rc;
	}
	if (!strcmp(key, "format")) {
		size_t n = m->n_time_formats;
		size_t cap = n;
		m->time_format_text = xo_grow(m->time_format_text, &cap, n + 1, sizeof *m->time_format_text);
		cap = n;
		m->time_formats = xo_grow(m->time_formats, &cap, n + 1, sizeof *m->time_formats);
		m->time_format_text[n] = xo_strdup(v);
		m->n_time_formats++;
		if (xo_timefmt_parse(m->time_format_text[n], &m->time_formats[n]) != 0)
			return fail(p, "format: '%s' is not iso8601, dmy, mdy, epoch, epoch_ms, apache or a %%-pattern", v);
		return 0;
	}
	if (!strcmp(key, "tz")) {
		const char *why;
		if (!xo_tz_get(v, &why))
			return fail(p, "tz: '%s': %s", v, why);
		m->tz_name = xo_strdup(v);
		return 0;
	}
	if (!strcmp(key, "default")) {
		if (xo_time_parse_rfc3339(v, strlen(v), &m->time_default) != 0)
			return fail(p, "default: '%s' is not an RFC 3339 time", v);
		m->has_time_default = 1;
		return 0;
	}
	return fail(p, "unknown key '%s' in [time]", key);
}

static int ids_key(struct parser *p, const char *key, const char *v)
{
	struct xo_map *m = p->map;
	if (!strcmp(key, "default-country")) {
		if (!xo_phone_country_known(v))
			return fail(p, "default-country: '%s' is not a country code xo knows", v);
		m->default_country = xo_strdup(v);
		return 0;
	}
	if (!strcmp(key, "invalid")) {
		if (strcmp(v, "reject") && strcmp(v, "keep"))
			return fail(p, "invalid: expected reject or keep");
		m->keep_invalid_ids = !strcmp(v, "keep");
		return 0;
	}
	if (!valid_word(key, 0) || strchr(key, '-'))
		return fail(p, "identifier kind '%s': use lower-case letters, digits and '_'", key);
	size_t cap = m->n_ids;
	m->ids = xo_grow(m->ids, &cap, m->n_ids + 1, sizeof *m->ids);
	struct xo_id_map *id = &m->ids[m->n_ids++];
	id->kind = xo_strdup(key);
	id->fields.refs = NULL;
	id->fields.n = 0;
	return parse_fieldrefs(p, v, &id->fields);
}

static int cx_key(struct parser *p, const char *key, const char *v)
{
	int k;
	for (k = 0; k < XO_CX_COUNT; k++)
		if (!strcmp(key, xo_cx_names[k]))
			break;
	if (k == XO_CX_COUNT)
		return fail(p, "unknown key '%s' in [cx] (nps, csat or ces)", key);
	struct xo_cx_map *cx = &p->map->cx[k];
	/* "FIELD from LO-HI" */
	char *copy = xo_strdup(v);
	char *from = strstr(copy, " from ");
	int rc = 0;
	if (from) {
		*from = '\0';
		char *range = trim_in_place(from + 6);
		char *dash = strchr(range + 1, '-');
		if (!dash) {
			rc = fail(p, "%s: expected 'FIELD from LOW-HIGH'", key);
		} else {
			*dash = '\0';
			if (parse_plain_number(trim_in_place(range), &cx->from_lo) != 0 ||
			    parse_plain_number(trim_in_place(dash + 1), &cx->from_hi) != 0 ||
			    cx->from_hi <= cx->from_lo)
				rc = fail(p, "%s: bad scale after 'from' (LOW-HIGH, LOW < HIGH)", key);
			cx->has_scale = 1;
		}
	}
	if (rc == 0)
		rc = one_field(p, trim_in_place(copy), &cx->field);
	free(copy);
	return rc;
}

static int cx_label_key(struct parser *p, const char *key, const char *v)
{
	double d;
	int k = p->cx_labels;
	if (*key == '\0')
		return fail(p, "a label is missing before '='");
	if (parse_plain_number(v, &d) != 0)
		return fail(p, "label '%s': a number expected", key);
	if (d < xo_cx_min[k] || d > xo_cx_max[k] || d != (int)d)
		return fail(p, "label '%s': %s must be a whole number from %d to %d", key,
			    xo_cx_names[k], xo_cx_min[k], xo_cx_max[k]);
	return add_lookup(p, &p->map->cx[k].labels, xo_strdup(key), NULL, v);
}

static int types_key(struct parser *p, const char *key, const char *v)
{
	static const char *const names[] = { "string", "number", "integer", "boolean" };
	struct xo_map *m = p->map;
	for (int t = 0; t < 4; t++) {
		if (!strcmp(v, names[t])) {
			size_t cap = m->n_types;
			m->types = xo_grow(m->types, &cap, m->n_types + 1, sizeof *m->types);
			m->types[m->n_types].field = xo_strdup(key);
			m->types[m->n_types].type = (enum xo_attr_type)t;
			m->n_types++;
			return 0;
		}
	}
	return fail(p, "type of '%s': expected string, number, integer or boolean", key);
}

/* A lookup line of [channel] or [type]: KEY = RESULT, /REGEX/flags = RESULT. */
static int lookup_line(struct parser *p, const char *line, struct xo_lookup *l, int dotted)
{
	struct xo_buf key = XO_BUF_INIT;
	struct xo_rx *rx = NULL;
	const char *s = line;
	if (*s == '/') {
		/* The pattern is the raw text between the slashes. */
		const char *end = s + 1;
		while (*end && *end != '/') {
			if (*end == '\\' && end[1])
				end++;
			end++;
		}
		if (*end != '/') {
			xo_buf_free(&key);
			return fail(p, "regex key not closed with '/'");
		}
		xo_buf_add(&key, s + 1, (size_t)(end - s - 1));
		unsigned opts = 0;
		for (s = end + 1; *s == 'i' || *s == 'x' || *s == 's'; s++)
			opts |= *s == 'i' ? PCRE2_CASELESS : *s == 'x' ? PCRE2_EXTENDED : PCRE2_DOTALL;
		struct xo_buf why = XO_BUF_INIT;
		rx = xo_rx_compile(xo_buf_str(&key), opts, &why);
		xo_buf_free(&key);
		if (!rx) {
			fail(p, "regex: %s", xo_buf_str(&why));
			xo_buf_free(&why);
			return -1;
		}
	} else if (!(s = read_name(s, "=", &key))) {
		xo_buf_free(&key);
		return fail(p, "unclosed quote in key");
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '=') {
		xo_buf_free(&key);
		xo_rx_free(rx);
		return fail(p, "expected '=' after the key");
	}
	char *result = trim_in_place((char *)s + 1);
	if (p->section == SEC_CX_LABELS) {
		int rc = rx ? fail(p, "labels are exact, not regexes") : cx_label_key(p, xo_buf_str(&key), result);
		xo_buf_free(&key);
		xo_rx_free(rx);
		return rc;
	}
	if (!valid_word(result, dotted)) {
		xo_buf_free(&key);
		xo_rx_free(rx);
		return fail(p, "'%s' is not a lower-case %s", result, dotted ? "dotted type" : "word");
	}
	return add_lookup(p, l, rx ? NULL : xo_buf_steal(&key), rx, result);
}

static int section_start(struct parser *p, const char *line)
{
	static const struct {
		const char *name;
		enum section sec;
	} sections[] = {
		{ "input", SEC_INPUT }, { "event", SEC_EVENT }, { "time", SEC_TIME },
		{ "ids", SEC_IDS }, { "cx", SEC_CX }, { "channel", SEC_CHANNEL },
		{ "type", SEC_TYPE }, { "types", SEC_TYPES },
	};
	const char *close = strchr(line, ']');
	if (!close || close[1])
		return fail(p, "section header must be [name] alone on its line");
	char name[32];
	size_t n = (size_t)(close - line - 1);
	if (n >= sizeof name)
		return fail(p, "unknown section");
	memcpy(name, line + 1, n);
	name[n] = '\0';
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		if (!strcmp(name, sections[i].name)) {
			p->section = sections[i].sec;
			return 0;
		}
	}
	for (int k = 0; k < XO_CX_COUNT; k++) {
		if (!strncmp(name, "cx.", 3) && !strcmp(name + 3, xo_cx_names[k])) {
			p->section = SEC_CX_LABELS;
			p->cx_labels = k;
			return 0;
		}
	}
	return fail(p, "unknown section [%s]", name);
}

/* A key may be given once in the whole map, even when its section
 * appears twice. */
static int check_repeat(struct parser *p, const char *key)
{
	if (!strcmp(key, "format") && p->section == SEC_TIME)
		return 0; /* several formats, tried in order */
	struct xo_buf full = XO_BUF_INIT;
	xo_buf_printf(&full, "%d.%s", (int)p->section, key);
	for (size_t i = 0; i < p->n_seen; i++) {
		if (!strcmp(p->seen[i], full.data)) {
			xo_buf_free(&full);
			return fail(p, "'%s' given twice", key);
		}
	}
	p->seen = xo_grow(p->seen, &p->cap_seen, p->n_seen + 1, sizeof *p->seen);
	p->seen[p->n_seen++] = xo_buf_steal(&full);
	return 0;
}

static int parse_line(struct parser *p, char *line)
{
	line = trim_in_place(line);
	if (!*line || *line == '#' || *line == ';')
		return 0;
	if (*line == '[')
		return section_start(p, line);
	switch (p->section) {
	case SEC_NONE:
		return fail(p, "a [section] must come first");
	case SEC_CHANNEL:
		return lookup_line(p, line, &p->map->channel.lookup, 0);
	case SEC_TYPE:
		return lookup_line(p, line, &p->map->type.lookup, 1);
	case SEC_CX_LABELS:
		return lookup_line(p, line, NULL, 0);
	default:
		break;
	}
	char *eq = strchr(line, '=');
	if (!eq)
		return fail(p, "expected 'key = value'");
	*eq = '\0';
	char *key = trim_in_place(line);
	char *value = trim_in_place(eq + 1);
	struct xo_buf unq = XO_BUF_INIT;
	if (*value == '"') {
		const char *after = unquote(value, &unq);
		if (!after || *after) {
			xo_buf_free(&unq);
			return fail(p, "bad quoting in value");
		}
		value = unq.data ? unq.data : "";
	}
	int rc = check_repeat(p, key);
	if (rc == 0) {
		switch (p->section) {
		case SEC_INPUT: rc = input_key(p, key, value); break;
		case SEC_EVENT: rc = event_key(p, key, value); break;
		case SEC_TIME: rc = time_key(p, key, value); break;
		case SEC_IDS: rc = ids_key(p, key, value); break;
		case SEC_CX: rc = cx_key(p, key, value); break;
		default: rc = types_key(p, key, value); break;
		}
	}
	xo_buf_free(&unq);
	return rc;
}

/* Rules that span sections, checked once the whole map is read. */
static int check_whole(struct parser *p)
{
	struct xo_map *m = p->map;
	p->line = 0;
	if (!m->channel.constant && !m->channel.field.name)
		return fail(p, "[event] needs channel or channel-field");
	if (!m->type.constant && !m->type.field.name)
		return fail(p, "[event] needs type or type-field");
	if (m->channel.constant && m->channel.field.name)
		return fail(p, "[event] has both channel and channel-field");
	if (m->type.constant && m->type.field.name)
		return fail(p, "[event] has both type and type-field");
	if (m->time_fields.n == 0 && !m->has_time_default)
		return fail(p, "[time] needs field (or default, for exports without times)");
	if (m->n_time_formats == 0) {
		m->time_formats = xo_calloc(1, sizeof *m->time_formats);
		m->time_formats[0].kind = XO_TIME_ISO8601;
		m->n_time_formats = 1;
	}
	if (m->format == XO_FMT_LOG && !m->pattern)
		return fail(p, "format = log needs a pattern");
	if (m->format != XO_FMT_LOG && m->pattern)
		return fail(p, "pattern is only for format = log");
	if (!m->header && m->columns.n == 0 && m->format == XO_FMT_CSV)
		return fail(p, "header = no needs columns");
	return 0;
}

struct xo_map *xo_map_parse(const char *text, size_t len, const char *path, struct xo_buf *err)
{
	struct xo_map *m = xo_calloc(1, sizeof *m);
	m->path = xo_strdup(path);
	m->format = XO_FMT_CSV;
	m->delimiter = ',';
	m->quote = '"';
	m->header = 1;
	m->max_record_lines = 1000;
	m->decimal = '.';
	struct parser p = { .map = m, .path = path, .err = err };
	int rc = 0;
	const char *s = text, *end = text + len;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < end && rc == 0) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		p.line++;
		if (memchr(s, '\0', n)) {
			rc = fail(&p, "NUL byte in map");
			break;
		}
		char *line = xo_strndup(s, n);
		rc = parse_line(&p, line);
		free(line);
		s += n + (nl != NULL);
	}
	if (rc == 0)
		rc = check_whole(&p);
	for (size_t i = 0; i < p.n_seen; i++)
		free(p.seen[i]);
	free(p.seen);
	if (rc != 0) {
		xo_map_free(m);
		return NULL;
	}
	return m;
}

struct xo_map *xo_map_load(const char *path, struct xo_buf *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		xo_buf_reset(err);
		xo_buf_printf(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct xo_buf text = XO_BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		xo_buf_add(&text, chunk, n);
		if (text.len > (1u << 24)) {
			fclose(fp);
			xo_buf_free(&text);
			xo_buf_reset(err);
			xo_buf_printf(err, "%s: too large for a map (over 16 MiB)", path);
			return NULL;
		}
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad) {
		xo_buf_free(&text);
		xo_buf_reset(err);
		xo_buf_printf(err, "%s: read error", path);
		return NULL;
	}
	struct xo_map *m = xo_map_parse(xo_buf_str(&text), text.len, path, err);
	xo_buf_free(&text);
	return m;
}

static void free_refs(struct xo_fieldrefs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->refs[i].name);
	free(r->refs);
}

static void free_choice(struct xo_choice *c)
{
	free(c->constant);
	free(c->field.name);
	free(c->prefix);
	free_lookup(&c->lookup);
}

void xo_map_free(struct xo_map *m)
{
	if (!m)
		return;
	free(m->path);
	free_refs(&m->columns);
	xo_rx_free(m->pattern);
	free(m->source);
	free_choice(&m->channel);
	free_choice(&m->type);
	free_refs(&m->text);
	free_refs(&m->drop);
	free_refs(&m->time_fields);
	free(m->time_formats);
	for (size_t i = 0; i < m->n_time_formats; i++)
		free(m->time_format_text ? m->time_format_text[i] : NULL);
	free(m->time_format_text);
	free(m->tz_name);
	for (size_t i = 0; i < m->n_ids; i++) {
		free(m->ids[i].kind);
		free_refs(&m->ids[i].fields);
	}
	free(m->ids);
	free(m->default_country);
	for (int k = 0; k < XO_CX_COUNT; k++) {
		free(m->cx[k].field.name);
		free_lookup(&m->cx[k].labels);
	}
	for (size_t i = 0; i < m->n_types; i++)
		free(m->types[i].field);
	free(m->types);
	free(m);
}
