/* tsv: tab-separated report output, for spreadsheets and awk.
 *
 * A field's tab, newline, carriage return and backslash are written as
 * \t, \n, \r and \\ (the convention of PostgreSQL COPY and mlr), so a
 * row is always one line. Numbers are written by xo_tsv_number():
 * shortest round-trip form up to 15 significant digits, "" for NaN.
 */
#ifndef XO_TSV_H
#define XO_TSV_H

#include <stddef.h>

#include "buf.h"

void xo_tsv_field(struct xo_buf *row, const char *s, size_t len);
void xo_tsv_number(struct xo_buf *row, double x);
/* Add a separator unless the row is empty. */
void xo_tsv_sep(struct xo_buf *row);

#endif
