#include "jsonarr.h"

#include <string.h>

#include "diag.h"
#include "ndjson.h"

enum { BEFORE_ARRAY, IN_ARRAY, AFTER_ARRAY, TRAILING_TEXT };

void xo_jsonarr_open(struct xo_jsonarr *a, struct xo_input *in)
{
	memset(a, 0, sizeof *a);
	a->in = in;
	a->cur_line = 1;
	a->state = BEFORE_ARRAY;
}

static int next_byte(struct xo_jsonarr *a)
{
	int c = getc(a->in->fp);
	if (c == EOF) {
		if (ferror(a->in->fp))
			xo_die(XO_EXIT_INPUT, "%s: read error", a->in->name);
		return EOF;
	}
	a->in->offset++;
	if (c == '\n')
		a->cur_line++;
	return c;
}

static int skip_blanks(struct xo_jsonarr *a)
{
	int c;
	while ((c = next_byte(a)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		;
	return c;
}

static enum xo_jsonarr_status broken(struct xo_jsonarr *a, struct xo_buf *why, const char *text)
{
	xo_buf_reset(why);
	xo_buf_adds(why, text);
	if (a->line == 0)
		a->line = a->cur_line;
	a->state = AFTER_ARRAY;
	return XO_JSONARR_BROKEN;
}

/* Read one element starting with c into a->elem; 0, or -1 at a
 * premature end of input. */
static int read_element(struct xo_jsonarr *a, int c, int *after)
{
	int depth = 0, in_string = 0, escaped = 0;
	xo_buf_reset(&a->elem);
	for (;;) {
		if (c == EOF)
			return -1;
		if (in_string) {
			if (escaped)
				escaped = 0;
			else if (c == '\\')
				escaped = 1;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0) {
				*after = c; /* the array's own ']' after a scalar */
				return 0;
			}
			depth--;
		} else if (c == ',' && depth == 0) {
			*after = c;
			return 0;
		}
		xo_buf_addc(&a->elem, (char)c);
		if (depth == 0 && !in_string && (c == '}' || c == ']' || c == '"')) {
			*after = skip_blanks(a);
			return 0;
		}
		c = next_byte(a);
	}
}

enum xo_jsonarr_status xo_jsonarr_next(struct xo_jsonarr *a, json_t **obj, struct xo_buf *why)
{
	*obj = NULL;
	if (a->state == AFTER_ARRAY)
		return XO_JSONARR_EOF;
	if (a->state == TRAILING_TEXT) {
		xo_buf_reset(&a->elem);
		a->line = a->cur_line;
		return broken(a, why, "text after the closing ']' of the array");
	}
	int c = skip_blanks(a);
	if (a->state == BEFORE_ARRAY) {
		if (c == 0xef && next_byte(a) == 0xbb && next_byte(a) == 0xbf)
			c = skip_blanks(a); /* UTF-8 BOM */
		if (c != '[')
			return broken(a, why, "expected a JSON array '[' at the start");
		a->state = IN_ARRAY;
		c = skip_blanks(a);
		if (c == ']') {
			a->state = AFTER_ARRAY;
			return XO_JSONARR_EOF;
		}
	}
	if (c == EOF)
		return broken(a, why, "JSON array not closed with ']' (truncated file?)");
	a->line = a->cur_line;
	int after = 0;
	if (read_element(a, c, &after) != 0)
		return broken(a, why, "truncated JSON array element at end of input");
	if (after == ']') {
		a->state = AFTER_ARRAY;
		if (skip_blanks(a) != EOF)
			a->state = TRAILING_TEXT; /* reported on the next call */
	} else if (after != ',') {
		return broken(a, why, "expected ',' or ']' between array elements");
	}
	enum xo_ndjson_status st = xo_ndjson_parse(a->elem.data ? a->elem.data : "", a->elem.len, obj, why);
	return st == XO_NDJSON_OBJECT ? XO_JSONARR_OBJECT : XO_JSONARR_BAD;
}

void xo_jsonarr_close(struct xo_jsonarr *a)
{
	xo_buf_free(&a->elem);
}
