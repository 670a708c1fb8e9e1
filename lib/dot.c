#include "dot.h"

#include <string.h>

#include "hash.h"
#include "jsonw.h"

void xo_dot_begin(struct xo_buf *out, const char *name, const char *title)
{
	xo_buf_printf(out, "digraph %s {\n", name);
	xo_buf_adds(out, "\trankdir=LR;\n\tlabelloc=t;\n\tfontname=\"Helvetica\";\n");
	if (title) {
		xo_buf_adds(out, "\tlabel=");
		xo_dot_string(out, title, strlen(title));
		xo_buf_adds(out, ";\n");
	}
	xo_buf_adds(out, "\tnode [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
			 "fontsize=11, color=\"#5b6b7f\"];\n"
			 "\tedge [fontname=\"Helvetica\", fontsize=9, color=\"#4a6fa5\", "
			 "arrowsize=0.7];\n");
}

void xo_dot_end(struct xo_buf *out)
{
	xo_buf_adds(out, "}\n");
}

void xo_dot_string(struct xo_buf *out, const char *s, size_t len)
{
	xo_buf_addc(out, '"');
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		const char *esc;
		switch (s[i]) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = ""; break;
		default: continue;
		}
		xo_buf_add(out, s + run, i - run);
		xo_buf_adds(out, esc);
		run = i + 1;
	}
	xo_buf_add(out, s + run, len - run);
	xo_buf_addc(out, '"');
}

double xo_dot_penwidth(uint64_t count, uint64_t max)
{
	if (max == 0)
		return 1;
	return xo_round_to(1 + 9 * (double)count / (double)max, 1);
}

const char *xo_dot_colour(const char *node, size_t len)
{
	/* Light colours, so that black labels stay readable. */
	static const char *const palette[] = {
		"#cfe2f3", "#d9ead3", "#fff2cc", "#f4cccc", "#d9d2e9",
		"#fce5cd", "#d0e0e3", "#ead1dc", "#e6e6e6", "#c9daf8",
	};
	const char *colon = memchr(node, ':', len);
	size_t n = colon ? (size_t)(colon - node) : len;
	uint64_t h = xo_siphash(&XO_HASH_PUBLIC, node, n);
	return palette[h % (sizeof palette / sizeof *palette)];
}
