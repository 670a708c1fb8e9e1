/* tsv: tab-separated output for spreadsheets and sort/cut/awk.
 *
 * A field never holds a raw tab or line break: backslash, tab, CR and
 * LF are written as \\, \t, \r and \n (the escapes of PostgreSQL's text
 * format and of Miller's TSV). Numbers are written as in JSON; a number
 * that is not finite (a figure that cannot be computed) is an empty
 * field.
 */
#ifndef XO_TSV_H
#define XO_TSV_H

#include <stddef.h>

#include "buf.h"

void xo_tsv_field(struct xo_buf *out, const char *s, size_t len);
void xo_tsv_number(struct xo_buf *out, double v);

#endif
