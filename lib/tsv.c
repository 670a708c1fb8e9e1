#include "tsv.h"

#include <math.h>

#include "jsonw.h"

void xo_tsv_field(struct xo_buf *out, const char *s, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		const char *esc;
		switch (s[i]) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		xo_buf_add(out, s + run, i - run);
		xo_buf_add(out, esc, 2);
		run = i + 1;
	}
	xo_buf_add(out, s + run, len - run);
}

void xo_tsv_number(struct xo_buf *out, double v)
{
	if (!isfinite(v))
		return;
	xo_num_text(out, v);
}
