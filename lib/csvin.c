#include "csvin.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int blank_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Only LF ends a line: a CR before it is removed before parsing, and a
 * lone CR is data. */
static int lf_only(unsigned char c)
{
	return c == '\n';
}

static void start_parser(struct xo_csv *c)
{
	if (csv_init(&c->parser, c->opts.strict ? CSV_STRICT : 0) != 0)
		xo_die(XO_EXIT_INTERNAL, "out of memory");
	csv_set_delim(&c->parser, c->opts.delim);
	csv_set_quote(&c->parser, c->opts.quote);
	csv_set_space_func(&c->parser, c->opts.trim ? blank_space : no_space);
	csv_set_term_func(&c->parser, lf_only);
	/* libcsv grows its field buffer by this much at a time: large steps
	 * keep a 10 MB field from costing thousands of reallocations. */
	csv_set_blk_size(&c->parser, 1 << 20);
}

void xo_csv_open(struct xo_csv *c, struct xo_input *in, const struct xo_csv_opts *opts)
{
	memset(c, 0, sizeof *c);
	c->in = in;
	c->opts = *opts;
	if (c->opts.max_lines <= 0)
		c->opts.max_lines = 1000;
	c->at_start = 1;
	start_parser(c);
}

static void on_field(void *s, size_t len, void *ctx)
{
	struct xo_csv *c = ctx;
	c->fields = xo_grow(c->fields, &c->cap_fields, c->n_fields + 1, sizeof *c->fields);
	c->fields[c->n_fields].off = c->data.len;
	c->fields[c->n_fields].len = len;
	c->n_fields++;
	xo_buf_add(&c->data, s ? s : "", s ? len : 0);
	xo_buf_addc(&c->data, '\0');
}

static void on_record(int term, void *ctx)
{
	(void)term;
	struct xo_csv *c = ctx;
	c->record_done = 1;
}

/* The next physical line, from the replay buffer or the input; its
 * number in *line. Line end kept. -1 at the end. */
static ssize_t next_line(struct xo_csv *c, const char **text, long *line)
{
	if (c->replay_pos < c->replay.len) {
		const char *start = c->replay.data + c->replay_pos;
		const char *nl = memchr(start, '\n', c->replay.len - c->replay_pos);
		size_t n = nl ? (size_t)(nl - start) + 1 : c->replay.len - c->replay_pos;
		c->replay_pos += n;
		*text = start;
		*line = c->replay_line++;
		return (ssize_t)n;
	}
	ssize_t n = xo_input_getline_raw(c->in);
	if (n < 0)
		return -1;
	*text = c->in->buf;
	*line = c->in->line;
	return n;
}

static void reset_record(struct xo_csv *c)
{
	c->n_fields = 0;
	c->n_lines = 0;
	c->record_done = 0;
	xo_buf_reset(&c->data);
	xo_buf_reset(&c->raw);
}

/* Keep the first line of the record as the bad one and queue the rest
 * to be read again. */
static enum xo_csv_status fail_record(struct xo_csv *c, const char *why)
{
	size_t first_end = c->n_lines > 1 ? c->line_starts[1] : c->raw.len;
	struct xo_buf rest = XO_BUF_INIT;
	xo_buf_add(&rest, c->raw.data + first_end, c->raw.len - first_end);
	if (c->replay_pos < c->replay.len)
		xo_buf_add(&rest, c->replay.data + c->replay_pos, c->replay.len - c->replay_pos);
	xo_buf_free(&c->replay);
	c->replay = rest;
	c->replay_pos = 0;
	c->replay_line = c->line + 1;
	c->raw.len = first_end;
	/* The line as read, without its line end. */
	while (c->raw.len > 0 && (c->raw.data[c->raw.len - 1] == '\n' || c->raw.data[c->raw.len - 1] == '\r'))
		c->raw.len--;
	c->raw.data[c->raw.len] = '\0';
	c->n_fields = 0;
	c->why = why;
	csv_free(&c->parser);
	start_parser(c);
	return XO_CSV_BAD;
}

/* A line with no quote in it is split at each delimiter here: the same
 * fields libcsv would give, at a fraction of the cost, for the lines
 * most exports are made of. */
static void split_plain(struct xo_csv *c, const char *s, size_t len)
{
	const char *end = s + len;
	for (;;) {
		const char *d = memchr(s, c->opts.delim, (size_t)(end - s));
		const char *stop = d ? d : end;
		const char *a = s, *z = stop;
		if (c->opts.trim) {
			while (a < z && blank_space((unsigned char)*a))
				a++;
			while (z > a && blank_space((unsigned char)z[-1]))
				z--;
		}
		on_field((void *)a, (size_t)(z - a), c);
		if (!d)
			break;
		s = d + 1;
	}
}

static int feed(struct xo_csv *c, const char *s, size_t len)
{
	return csv_parse(&c->parser, s, len, on_field, on_record, c) == len ? 0 : -1;
}

enum xo_csv_status xo_csv_next(struct xo_csv *c)
{
	reset_record(c);
	const char *text;
	long line;
	ssize_t n;
	while ((n = next_line(c, &text, &line)) >= 0) {
		size_t len = (size_t)n;
		if (c->at_start) {
			c->at_start = 0;
			if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
				text += 3;
				len -= 3;
			}
		}
		if (c->n_lines == 0)
			c->line = line;
		c->line_starts = xo_grow(c->line_starts, &c->cap_lines, c->n_lines + 1, sizeof *c->line_starts);
		c->line_starts[c->n_lines++] = c->raw.len;
		xo_buf_add(&c->raw, text, len);
		size_t body = len;
		if (body > 0 && text[body - 1] == '\n')
			body--;
		if (body > 0 && text[body - 1] == '\r')
			body--;
		if (c->n_lines == 1 && (c->opts.quote == 0 || !memchr(text, c->opts.quote, body))) {
			if (body == 0) {
				c->n_lines = 0; /* a blank line */
				xo_buf_reset(&c->raw);
				continue;
			}
			split_plain(c, text, body);
			c->raw.len = body;
			c->raw.data[body] = '\0';
			return XO_CSV_RECORD;
		}
		if (feed(c, text, body) != 0 || feed(c, "\n", 1) != 0)
			return fail_record(c, "bad quoting");
		if (c->record_done) {
			/* The raw text of a record is kept without its final line end. */
			while (c->raw.len > 0 && (c->raw.data[c->raw.len - 1] == '\n' || c->raw.data[c->raw.len - 1] == '\r'))
				c->raw.len--;
			c->raw.data[c->raw.len] = '\0';
			return XO_CSV_RECORD;
		}
		if (c->parser.pstate == 0 && c->n_fields == 0) {
			c->n_lines = 0; /* a blank line */
			xo_buf_reset(&c->raw);
			continue;
		}
		if ((long)c->n_lines >= c->opts.max_lines)
			return fail_record(c, "quoted field not closed within the line limit");
	}
	if (c->n_lines > 0)
		return fail_record(c, "quoted field not closed at end of input");
	return XO_CSV_EOF;
}

void xo_csv_close(struct xo_csv *c)
{
	csv_free(&c->parser);
	free(c->fields);
	free(c->line_starts);
	xo_buf_free(&c->data);
	xo_buf_free(&c->raw);
	xo_buf_free(&c->replay);
	memset(c, 0, sizeof *c);
}
