/* html: HTML text built safely, for pages made from untrusted data.
 *
 * Everything from data goes through xo_html_text(), which escapes the
 * five characters that can change HTML or SVG structure (& < > " '),
 * repairs invalid UTF-8 with U+FFFD and replaces control characters
 * (other than tab and line ends) that HTML does not allow, so a name
 * holding "</table><script>" is shown as it is and breaks nothing. The
 * result is safe in element content and in quoted attribute values,
 * in HTML and in inline SVG alike.
 *
 * Numbers are written the same in every locale (the tools never call
 * setlocale).
 */
#ifndef XO_HTML_H
#define XO_HTML_H

#include <stddef.h>

#include "buf.h"

/* Append s[0..len) escaped. */
void xo_html_text(struct xo_buf *out, const char *s, size_t len);
/* The same for a NUL-terminated string; NULL appends nothing. */
void xo_html_str(struct xo_buf *out, const char *s);
/* printf, with the result escaped as text. */
void xo_html_printf(struct xo_buf *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* v with at most max_dec decimals, rounded half away from zero, trailing
 * zeros dropped: 60, -9.09, 0.5; "-0" is written as "0". Not finite:
 * the text given as none (e.g. "n/a"). */
void xo_html_num(struct xo_buf *out, double v, int max_dec, const char *none);
/* v (a share from 0 to 1) as a percentage with one decimal: "28.6%". */
void xo_html_pct(struct xo_buf *out, double v, const char *none);

/* A fragment identifier or id made of [A-Za-z0-9_-] from any text:
 * other bytes become '-', and it never starts with a digit or is
 * empty. */
void xo_html_id(struct xo_buf *out, const char *prefix, const char *s);

/* The page: the document head with its Content-Security-Policy (no
 * scripts, no network: default-src 'none'; style-src 'unsafe-inline';
 * img-src data:), the built-in style sheet (screen and print), and the
 * opening of the body. title is data and is escaped. */
void xo_html_page_begin(struct xo_buf *out, const char *title);
void xo_html_page_end(struct xo_buf *out);

/* Tables of figures. Cells are escaped text; a numeric cell is right
 * aligned. begin writes <table> with an optional caption and a header
 * row of n columns. */
void xo_html_table_begin(struct xo_buf *out, const char *caption,
			 const char *const *headers, size_t n);
void xo_html_row_begin(struct xo_buf *out);
void xo_html_cell(struct xo_buf *out, const char *text);
void xo_html_cell_num(struct xo_buf *out, double v, int max_dec);
void xo_html_cell_pct(struct xo_buf *out, double v);
void xo_html_row_end(struct xo_buf *out);
void xo_html_table_end(struct xo_buf *out);

#endif
