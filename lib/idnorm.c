#include "idnorm.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "ident.h"
#include "input.h"
#include "mem.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* An e-mail address as xo-ingest writes it (no blanks around, no upper
 * case, no "<...>" or "mailto:") comes out of xo_email_normalize() as it
 * went in, or is refused and then kept as it is: either way, itself. */
static int canonical_email(const char *v, size_t len)
{
	if (len == 0 || is_blank(v[0]) || is_blank(v[len - 1]) ||
	    (len >= 7 && strncasecmp(v, "mailto:", 7) == 0))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((v[i] >= 'A' && v[i] <= 'Z') || v[i] == '<')
			return 0;
	return 1;
}

void xo_idnorm(const char *kind, const char *value, size_t len, struct xo_buf *out)
{
	const char *why;
	xo_buf_reset(out);
	if (kind[0] == 'e' && strcmp(kind, "email") == 0 && canonical_email(value, len)) {
		xo_buf_add(out, value, len);
		return;
	}
	if (xo_ident_normalize(kind, value, len, NULL, out, &why) == 0)
		return;
	/* Not in the kind's usual shape (a phone without its country, an
	 * address without '@'): the value as it is, trimmed. */
	xo_buf_reset(out);
	while (len > 0 && is_blank(value[0]))
		value++, len--;
	while (len > 0 && is_blank(value[len - 1]))
		len--;
	xo_buf_add(out, value, len);
}

int xo_idnorm_event(const char *kind, size_t kind_len, const char *value, size_t len,
		    struct xo_buf *kind_out, struct xo_buf *out)
{
	if (kind_len == 0 || kind[0] == '@')
		return -1;
	xo_buf_reset(kind_out);
	xo_buf_add(kind_out, kind, kind_len);
	xo_buf_addc(kind_out, '\0');
	xo_idnorm(kind_out->data, value, len, out);
	return out->len ? 0 : -1;
}

/* A pattern from a file: kind NULL for any kind. */
struct pattern {
	char *kind;
	char *glob;
};

struct xo_placeholders {
	int builtin;
	struct pattern *pats;
	size_t n, cap;
};

struct xo_placeholders *xo_placeholders_new(int builtin)
{
	struct xo_placeholders *p = xo_calloc(1, sizeof *p);
	p->builtin = builtin;
	return p;
}

void xo_placeholders_free(struct xo_placeholders *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->pats[i].kind);
		free(p->pats[i].glob);
	}
	free(p->pats);
	free(p);
}

static int is_kind_name(const char *s, size_t len)
{
	if (len == 0 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

int xo_placeholders_add(struct xo_placeholders *p, const char *line, struct xo_buf *why)
{
	size_t len = strlen(line);
	while (len > 0 && is_blank(line[0]))
		line++, len--;
	while (len > 0 && is_blank(line[len - 1]))
		len--;
	if (len == 0 || line[0] == '#')
		return 0;
	const char *colon = memchr(line, ':', len);
	char *kind = NULL;
	if (colon && colon - line == 1 && line[0] == '*') {
		len -= 2, line += 2;
	} else if (colon && is_kind_name(line, (size_t)(colon - line))) {
		kind = xo_strndup(line, (size_t)(colon - line));
		len -= (size_t)(colon - line) + 1;
		line = colon + 1;
	}
	if (len == 0) {
		free(kind);
		xo_buf_reset(why);
		xo_buf_adds(why, "an empty pattern");
		return -1;
	}
	p->pats = xo_grow(p->pats, &p->cap, p->n + 1, sizeof *p->pats);
	char *glob = xo_strndup(line, len);
	for (char *c = glob; *c; c++)
		*c = lower(*c);
	p->pats[p->n].kind = kind;
	p->pats[p->n].glob = glob;
	p->n++;
	return 0;
}

void xo_placeholders_load(struct xo_placeholders *p, const char *path)
{
	struct xo_input in;
	xo_input_open_or_die(&in, path);
	struct xo_buf why = XO_BUF_INIT;
	while (xo_input_getline(&in) >= 0) {
		if (strlen(in.buf) != in.len)
			xo_die_at(XO_EXIT_USAGE, in.name, in.line, "a NUL byte in a pattern");
		if (xo_placeholders_add(p, in.buf, &why) != 0)
			xo_die_at(XO_EXIT_USAGE, in.name, in.line, "%s", xo_buf_str(&why));
	}
	xo_buf_free(&why);
	xo_input_close(&in);
}

/* Values that mean "we do not know" in exports, in any kind, besides
 * the null tokens of xo_is_null_token() ("unknown", "n/a", "-", ...). */
static const char *const unknowns[] = {
	"---", ".", "??", "0", "n.a.", "nan", "not known", "notprovided", "tbd", "test",
	"unk", "undefined", "x", "xx", "xxx",
};

/* Local parts of addresses that many customers share or nobody reads. */
static const char *const email_locals[] = {
	"anonymous", "do-not-reply", "do_not_reply", "donotreply", "example", "invalid",
	"n/a", "na", "no", "no-email", "no-reply", "no_reply", "noemail", "nomail", "none",
	"noreply", "nobody", "null", "test", "unknown",
};

/* Domains reserved for examples and tests (RFC 2606, RFC 6761). */
static const char *const email_domains[] = {
	"example.com", "example.net", "example.org", "test.com", "invalid", "localhost",
};
static const char *const email_tlds[] = { ".example", ".invalid", ".localhost", ".test" };

static int in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	/* The lists are short words: most values are longer than any. */
	if (len == 0 || len > 24)
		return 0;
	char first = lower(s[0]);
	for (size_t i = 0; i < n; i++)
		if (list[i][0] == first && strlen(list[i]) == len && strncasecmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

#define IN_LIST(list, s, len) in_list(list, sizeof list / sizeof list[0], s, len)

/* Three or more of one character: "0000000000", "xxxx", "9999". */
static int one_repeated(const char *s, size_t len)
{
	if (len < 3)
		return 0;
	for (size_t i = 1; i < len; i++)
		if (lower(s[i]) != lower(s[0]))
			return 0;
	return 1;
}

static int email_placeholder(const char *v, size_t len)
{
	const char *at = memchr(v, '@', len);
	if (!at)
		return 0;
	size_t local = (size_t)(at - v), dlen = len - local - 1;
	const char *domain = at + 1;
	if (IN_LIST(email_locals, v, local) || one_repeated(v, local) ||
	    IN_LIST(email_domains, domain, dlen))
		return 1;
	for (size_t i = 0; i < sizeof email_tlds / sizeof email_tlds[0]; i++) {
		size_t t = strlen(email_tlds[i]);
		if (dlen >= t && strncasecmp(domain + dlen - t, email_tlds[i], t) == 0)
			return 1;
	}
	return 0;
}

/* Numbers typed to get past a form: the subscriber part (last seven
 * digits) all one digit, or counting up or down ("1234567"). */
static int phone_placeholder(const char *v, size_t len)
{
	char d[32];
	size_t n = 0;
	for (size_t i = 0; i < len && n < sizeof d; i++)
		if (v[i] >= '0' && v[i] <= '9')
			d[n++] = v[i];
	if (n == 0)
		return 1;
	if (n < 7)
		return one_repeated(d, n);
	const char *tail = d + n - 7;
	int same = 1, up = 1, down = 1;
	for (int i = 1; i < 7; i++) {
		same &= tail[i] == tail[0];
		up &= tail[i] == tail[i - 1] + 1;
		down &= tail[i] == tail[i - 1] - 1;
	}
	return same || up || down;
}

static int builtin_placeholder(const char *kind, const char *v, size_t len)
{
	if (xo_is_null_token(v, len) || IN_LIST(unknowns, v, len))
		return 1;
	if (strcmp(kind, "email") == 0)
		return email_placeholder(v, len);
	if (strcmp(kind, "phone") == 0)
		return phone_placeholder(v, len);
	return one_repeated(v, len);
}

int xo_placeholder(const struct xo_placeholders *p, const char *kind, const char *value,
		   size_t len)
{
	if (len == 0)
		return 1;
	if (p->builtin && builtin_placeholder(kind, value, len))
		return 1;
	if (p->n == 0)
		return 0;
	/* fnmatch needs a C string; values with NUL bytes never match. */
	char stack[256], *low = len < sizeof stack ? stack : xo_malloc(len + 1);
	for (size_t i = 0; i < len; i++)
		low[i] = lower(value[i]);
	low[len] = '\0';
	int hit = 0;
	for (size_t i = 0; i < p->n && !hit; i++) {
		if (p->pats[i].kind && strcmp(p->pats[i].kind, kind) != 0)
			continue;
		hit = fnmatch(p->pats[i].glob, low, 0) == 0;
	}
	if (low != stack)
		free(low);
	return hit;
}
