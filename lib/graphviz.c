#include "graphviz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "mem.h"
#include "spawn.h"
#include "svg.h"
#include "utf8.h"

/* dot writes a few hundred bytes a node; more than this is not a map
 * anyone can read. */
#define DOT_MAX_OUTPUT ((size_t)64 << 20)

static const char *const kept[] = {
	"svg", "g", "title", "desc", "path", "polygon", "polyline", "ellipse", "circle",
	"rect", "line", "text", "tspan", "defs", "linearGradient", "radialGradient", "stop",
	"clipPath",
};
#define N_KEPT (sizeof kept / sizeof kept[0])

struct filter {
	struct xo_buf *out;
	const struct xo_dot_opts *o;
	const char *s, *end;  /* the input, and where it ends */
	const char *p;        /* the reading position */
	int *stack;           /* indices into kept[] of the open elements */
	size_t depth, cap;
	int skip;             /* depth inside a dropped element */
	int done;             /* the outer svg element is closed */
};

static int kept_index(const char *name, size_t len)
{
	for (size_t i = 0; i < N_KEPT; i++)
		if (strlen(kept[i]) == len && memcmp(kept[i], name, len) == 0)
			return (int)i;
	return -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_name_char(char c)
{
	return c && !is_space(c) && c != '=' && c != '>' && c != '/' && c != '"' && c != '\'' &&
	       c != '<';
}

/* Skip past the first occurrence of what, or to the end. */
static void skip_past(struct filter *f, const char *what)
{
	size_t n = strlen(what);
	while (f->p < f->end && !(f->end - f->p >= (ptrdiff_t)n && memcmp(f->p, what, n) == 0))
		f->p++;
	f->p = f->end - f->p >= (ptrdiff_t)n ? f->p + n : f->end;
}

/* Copy text between tags. The input has no '<' here; '>' is escaped for
 * good measure. */
static void copy_text(struct filter *f, const char *a, const char *b)
{
	if (f->skip || f->depth == 0)
		return;
	for (const char *q = a; q < b; q++) {
		if (*q == '>')
			xo_buf_adds(f->out, "&gt;");
		else
			xo_buf_addc(f->out, *q);
	}
}

/* An attribute value with every url(#x) given the id prefix; -1 when it
 * refers to anything outside the drawing. */
static int rewrite_value(struct xo_buf *v, const char *val, size_t len, const char *prefix)
{
	for (size_t i = 0; i < len; i++) {
		char c = val[i];
		if (c == '\\' || c == '@')
			return -1; /* CSS escapes and at-rules have no business here */
		if (len - i >= 4 && strncmp(val + i, "url(", 4) == 0) {
			size_t j = i + 4;
			while (j < len && is_space(val[j]))
				j++;
			if (j >= len || val[j] != '#')
				return -1;
			xo_buf_adds(v, "url(#");
			xo_buf_adds(v, prefix);
			xo_buf_addc(v, '-');
			i = j;
			continue;
		}
		if (c == '"')
			xo_buf_adds(v, "&quot;");
		else if (c == '<')
			xo_buf_adds(v, "&lt;");
		else
			xo_buf_addc(v, c);
	}
	return 0;
}

static int attribute_dropped(const char *name, size_t len, int outer)
{
	if (len >= 2 && (name[0] == 'o' || name[0] == 'O') && (name[1] == 'n' || name[1] == 'N'))
		return 1;
	for (size_t i = 0; i + 4 <= len; i++)
		if (strncasecmp(name + i, "href", 4) == 0)
			return 1;
	if (outer && ((len == 2 && memcmp(name, "id", 2) == 0) ||
		      (len == 5 && memcmp(name, "class", 5) == 0) ||
		      (len == 4 && memcmp(name, "role", 4) == 0)))
		return 1;
	return 0;
}

static void emit_attribute(struct filter *f, const char *name, size_t nlen, const char *val,
			   size_t vlen)
{
	struct xo_buf v = XO_BUF_INIT;
	if (nlen == 2 && memcmp(name, "id", 2) == 0) {
		xo_html_str(&v, f->o->id);
		xo_buf_addc(&v, '-');
	}
	if (rewrite_value(&v, val, vlen, f->o->id) == 0) {
		xo_buf_addc(f->out, ' ');
		xo_buf_add(f->out, name, nlen);
		xo_buf_adds(f->out, "=\"");
		xo_buf_add(f->out, v.data ? v.data : "", v.len);
		xo_buf_addc(f->out, '"');
	}
	xo_buf_free(&v);
}

/* Read the attributes of a tag up to its '>' and write those kept (when
 * emit). Returns 1 when the tag closes itself ("/>"). */
static int attributes(struct filter *f, int emit, int outer)
{
	int self_closing = 0;
	while (f->p < f->end && *f->p != '>') {
		if (is_space(*f->p) || *f->p == '"' || *f->p == '\'' || *f->p == '=') {
			f->p++;
			continue;
		}
		if (*f->p == '/') {
			self_closing = f->p + 1 < f->end && f->p[1] == '>';
			f->p++;
			continue;
		}
		const char *name = f->p;
		while (f->p < f->end && is_name_char(*f->p))
			f->p++;
		size_t nlen = (size_t)(f->p - name);
		while (f->p < f->end && is_space(*f->p))
			f->p++;
		if (nlen == 0 || f->p >= f->end || *f->p != '=')
			continue; /* an attribute without a value: dropped */
		f->p++;
		while (f->p < f->end && is_space(*f->p))
			f->p++;
		const char *val = f->p;
		if (f->p < f->end && (*f->p == '"' || *f->p == '\'')) {
			char q = *f->p++;
			val = f->p;
			while (f->p < f->end && *f->p != q)
				f->p++;
		} else {
			while (f->p < f->end && !is_space(*f->p) && *f->p != '>')
				f->p++;
		}
		size_t vlen = (size_t)(f->p - val);
		if (f->p < f->end && (*f->p == '"' || *f->p == '\''))
			f->p++;
		if (emit && !attribute_dropped(name, nlen, outer))
			emit_attribute(f, name, nlen, val, vlen);
	}
	if (f->p < f->end)
		f->p++; /* the '>' */
	return self_closing;
}

static void outer_svg_extras(struct filter *f)
{
	xo_buf_adds(f->out, " class=\"graphviz\"");
	xo_svg_labels(f->out, f->o->id, f->o->title, f->o->desc);
}

static void start_tag(struct filter *f)
{
	const char *name = f->p;
	while (f->p < f->end && is_name_char(*f->p))
		f->p++;
	size_t len = (size_t)(f->p - name);
	int k = kept_index(name, len);
	int outer = f->depth == 0;
	int emit = !f->skip && k >= 0 && (!outer || k == 0);
	if (emit) {
		xo_buf_addc(f->out, '<');
		xo_buf_add(f->out, name, len);
	}
	int self_closing = attributes(f, emit, outer);
	if (!emit) {
		/* Links are unwrapped; other elements dropped with their content. */
		int unwrap = !f->skip && len == 1 && name[0] == 'a' && f->depth > 0;
		if (!self_closing && !unwrap && (f->skip || f->depth > 0))
			f->skip++;
		return;
	}
	if (outer && self_closing) {
		outer_svg_extras(f);
		xo_buf_adds(f->out, "</svg>");
		f->done = 1;
		return;
	}
	if (outer)
		outer_svg_extras(f);
	else
		xo_buf_adds(f->out, self_closing ? "/>" : ">");
	if (!self_closing) {
		f->stack = xo_grow(f->stack, &f->cap, f->depth + 1, sizeof *f->stack);
		f->stack[f->depth++] = k;
	}
}

static void end_tag(struct filter *f)
{
	const char *name = f->p;
	while (f->p < f->end && is_name_char(*f->p))
		f->p++;
	size_t len = (size_t)(f->p - name);
	skip_past(f, ">");
	if (f->skip) {
		f->skip--;
		return;
	}
	if (f->depth == 0 || kept_index(name, len) != f->stack[f->depth - 1])
		return; /* not the open element: an unwrapped link or a stray */
	xo_buf_adds(f->out, "</");
	xo_buf_adds(f->out, kept[f->stack[--f->depth]]);
	xo_buf_adds(f->out, ">");
	if (f->depth == 0)
		f->done = 1;
}

/* A CDATA section in kept text becomes escaped text. */
static void cdata(struct filter *f)
{
	const char *a = f->p + 9, *b = a;
	while (b < f->end && !(f->end - b >= 3 && memcmp(b, "]]>", 3) == 0))
		b++;
	if (!f->skip && f->depth > 0)
		xo_html_text(f->out, a, (size_t)(b - a));
	f->p = b;
	skip_past(f, "]]>");
}

static void markup(struct filter *f)
{
	f->p++; /* '<' */
	size_t left = (size_t)(f->end - f->p);
	if (left >= 3 && memcmp(f->p, "!--", 3) == 0)
		skip_past(f, "-->");
	else if (left >= 8 && memcmp(f->p, "![CDATA[", 8) == 0) {
		f->p--;
		cdata(f);
	} else if (left >= 1 && (*f->p == '!' || *f->p == '?'))
		skip_past(f, ">");
	else if (left >= 1 && *f->p == '/') {
		f->p++;
		end_tag(f);
	} else
		start_tag(f);
}

/* Where the outer <svg element begins, or NULL. */
static const char *find_svg(const char *s, const char *end)
{
	for (const char *q = s; end - q >= 5; q++) {
		if (memcmp(q, "<svg", 4) == 0 && (is_space(q[4]) || q[4] == '>' || q[4] == '/'))
			return q;
		if (end - q >= 4 && memcmp(q, "<!--", 4) == 0) {
			const char *c = q + 4;
			while (end - c >= 3 && memcmp(c, "-->", 3) != 0)
				c++;
			q = c;
		}
	}
	return NULL;
}

void xo_svg_sanitize(struct xo_buf *out, const char *svg, size_t len, const struct xo_dot_opts *o)
{
	struct xo_buf clean = XO_BUF_INIT;
	xo_utf8_repair(&clean, svg, len);
	/* NUL bytes would end the page's text for some readers. */
	size_t w = 0;
	for (size_t i = 0; i < clean.len; i++)
		if (clean.data[i])
			clean.data[w++] = clean.data[i];
	clean.len = w;
	struct filter f = { out, o, clean.data, clean.data + clean.len, NULL, NULL, 0, 0, 0, 0 };
	f.p = clean.data ? find_svg(f.s, f.end) : NULL;
	if (!f.p) {
		xo_buf_free(&clean);
		return;
	}
	while (f.p < f.end && !f.done) {
		const char *lt = memchr(f.p, '<', (size_t)(f.end - f.p));
		if (!lt)
			lt = f.end;
		copy_text(&f, f.p, lt);
		f.p = lt;
		if (f.p < f.end)
			markup(&f);
	}
	while (f.depth > 0) {
		xo_buf_adds(out, "</");
		xo_buf_adds(out, kept[f.stack[--f.depth]]);
		xo_buf_adds(out, ">");
	}
	free(f.stack);
	xo_buf_free(&clean);
}

enum xo_dot_status xo_dot_svg(const struct xo_dot_opts *o, const char *path,
			      struct xo_buf *svg, struct xo_buf *why)
{
	/* dot reads a name starting with '-' as an option. */
	struct xo_buf file = XO_BUF_INIT;
	if (path[0] == '-')
		xo_buf_adds(&file, "./");
	xo_buf_adds(&file, path);
	const char *argv[] = { o->program, "-Tsvg", file.data, NULL };
	struct xo_spawn r;
	int rc = xo_spawn_run(argv, o->timeout_ms, DOT_MAX_OUTPUT, &r);
	xo_buf_free(&file);
	enum xo_dot_status st = XO_DOT_OK;
	if (rc != 0) {
		st = r.exec_errno == ENOENT ? XO_DOT_MISSING : XO_DOT_FAILED;
		xo_buf_adds(why, o->program);
		xo_buf_adds(why, ": ");
		xo_spawn_describe(&r, o->timeout_ms, why);
		/* dot's own message, first line: "Error: x.dot: syntax error in line 3 near 'x'" */
		const char *msg = xo_buf_str(&r.err);
		size_t n = strcspn(msg, "\n");
		if (n) {
			xo_buf_adds(why, ": ");
			xo_buf_add(why, msg, n > 300 ? 300 : n);
		}
	} else {
		size_t before = svg->len;
		xo_svg_sanitize(svg, r.out.data ? r.out.data : "", r.out.len, o);
		if (svg->len == before) {
			st = XO_DOT_FAILED;
			xo_buf_printf(why, "%s: wrote no SVG", o->program);
		}
	}
	xo_spawn_free(&r);
	return st;
}
