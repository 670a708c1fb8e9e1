/* csvin: delimited text (CSV, TSV, ...) read a record at a time, with
 * libcsv doing the quoting.
 *
 * Handles any one-byte delimiter, quoted fields holding delimiters,
 * doubled quotes and newlines, CRLF or LF line ends (a CRLF inside a
 * quoted field becomes LF), a UTF-8 BOM, and blank lines (skipped).
 *
 * A record that cannot be read (an unclosed quote that runs to the end
 * of the input or over max_lines lines, or bad quoting in strict mode)
 * is returned as XO_CSV_BAD holding only its first physical line; the
 * lines after it are read again, so one stray quote costs one line.
 */
#ifndef XO_CSVIN_H
#define XO_CSVIN_H

#include <csv.h>
#include <stddef.h>

#include "buf.h"
#include "input.h"

struct xo_csv_opts {
	unsigned char delim;     /* ',' */
	unsigned char quote;     /* '"'; 0 for none */
	int trim;                /* strip blanks around unquoted fields */
	int strict;              /* a quote inside an unquoted field is an error */
	long max_lines;          /* physical lines one record may span */
};

#define XO_CSV_OPTS_DEFAULT { ',', '"', 0, 0, 1000 }

struct xo_csv_field {
	size_t off, len; /* into xo_csv.data */
};

struct xo_csv {
	struct xo_input *in;
	struct xo_csv_opts opts;
	struct csv_parser parser;
	/* The record last returned. */
	struct xo_csv_field *fields;
	size_t n_fields, cap_fields;
	struct xo_buf data;    /* field bytes; each field NUL-terminated */
	struct xo_buf raw;     /* its text as read, line ends included */
	long line;             /* its first physical line */
	const char *why;       /* for XO_CSV_BAD */
	/* Lines of the record being read: offsets into raw. */
	size_t *line_starts;
	size_t n_lines, cap_lines;
	/* Lines to read again after a bad record. */
	struct xo_buf replay;
	size_t replay_pos;
	long replay_line;
	int record_done;
	int at_start;          /* before the first byte (BOM check) */
	int eof;
};

enum xo_csv_status {
	XO_CSV_EOF = 0,
	XO_CSV_RECORD = 1,
	XO_CSV_BAD = -1,
};

void xo_csv_open(struct xo_csv *c, struct xo_input *in, const struct xo_csv_opts *opts);
enum xo_csv_status xo_csv_next(struct xo_csv *c);
/* Field i of the record last returned, NUL-terminated. */
static inline const char *xo_csv_field(const struct xo_csv *c, size_t i, size_t *len)
{
	*len = c->fields[i].len;
	return c->data.data + c->fields[i].off;
}
void xo_csv_close(struct xo_csv *c);

#endif
