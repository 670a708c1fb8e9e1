#include "tsv.h"

#include <math.h>

void xo_tsv_field(struct xo_buf *row, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '\t': xo_buf_adds(row, "\\t"); break;
		case '\n': xo_buf_adds(row, "\\n"); break;
		case '\r': xo_buf_adds(row, "\\r"); break;
		case '\\': xo_buf_adds(row, "\\\\"); break;
		default: xo_buf_addc(row, s[i]); break;
		}
	}
}

void xo_tsv_number(struct xo_buf *row, double x)
{
	if (isnan(x))
		return;
	/* %.15g, the precision xo writes JSON numbers with. */
	xo_buf_printf(row, "%.15g", x);
}

void xo_tsv_sep(struct xo_buf *row)
{
	if (row->len)
		xo_buf_addc(row, '\t');
}
