/* Unit tests for lib/csvin: quoting, line ends, BOM, blank lines, bad
 * records and recovery after them. */
#include <stdlib.h>
#include <unistd.h>

#include "csvin.h"
#include "unit.h"

/* Parse text; describe every record as "line:[f1|f2|...]" or
 * "line:BAD(reason)", joined by newlines. */
static const char *parse(const char *text, size_t len, unsigned char delim, int trim, int strict)
{
	static struct xo_buf out;
	xo_buf_reset(&out);
	char path[] = "/tmp/xo-unit-csv.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		return "cannot write temp file";
	close(fd);
	struct xo_input in;
	if (xo_input_open(&in, path) != 0)
		return "cannot open temp file";
	struct xo_csv_opts opts = XO_CSV_OPTS_DEFAULT;
	opts.delim = delim;
	opts.trim = trim;
	opts.strict = strict;
	opts.max_lines = 4;
	struct xo_csv c;
	xo_csv_open(&c, &in, &opts);
	enum xo_csv_status st;
	while ((st = xo_csv_next(&c)) != XO_CSV_EOF) {
		if (out.len)
			xo_buf_addc(&out, '\n');
		if (st == XO_CSV_BAD) {
			xo_buf_printf(&out, "%ld:BAD(%s)[%s]", c.line, c.why, c.raw.data);
			continue;
		}
		xo_buf_printf(&out, "%ld:[", c.line);
		for (size_t i = 0; i < c.n_fields; i++) {
			size_t n;
			const char *f = xo_csv_field(&c, i, &n);
			if (i)
				xo_buf_addc(&out, '|');
			for (size_t k = 0; k < n; k++)
				xo_buf_adds(&out, f[k] ? (char[2]){ f[k], 0 } : "\\0");
		}
		xo_buf_addc(&out, ']');
	}
	xo_csv_close(&c);
	xo_input_close(&in);
	unlink(path);
	return xo_buf_str(&out);
}

#define P(text) parse(text, sizeof(text) - 1, ',', 0, 0)
#define PD(text, delim, trim, strict) parse(text, sizeof(text) - 1, delim, trim, strict)

int main(void)
{
	CHECK_STR(P("a,b\n1,2\n"), "1:[a|b]\n2:[1|2]", "plain");
	CHECK_STR(P("a,b\r\n1,2\r\n"), "1:[a|b]\n2:[1|2]", "CRLF");
	CHECK_STR(P("a,b\n1,2"), "1:[a|b]\n2:[1|2]", "no final newline");
	CHECK_STR(P("\xef\xbb\xbf" "a,b\n"), "1:[a|b]", "BOM removed");
	CHECK_STR(P("a\n\n\r\nb\n"), "1:[a]\n4:[b]", "blank lines skipped, numbers kept");
	CHECK_STR(P("\"x,y\",z\n"), "1:[x,y|z]", "quoted delimiter");
	CHECK_STR(P("\"say \"\"hi\"\"\",z\n"), "1:[say \"hi\"|z]", "doubled quotes");
	CHECK_STR(P("\"two\nlines\",z\nnext,row\n"), "1:[two\nlines|z]\n3:[next|row]", "quoted newline");
	CHECK_STR(P("\"two\r\nlines\",z\r\n"), "1:[two\nlines|z]", "quoted CRLF becomes LF");
	CHECK_STR(P("a,,c,\n"), "1:[a||c|]", "empty fields");
	CHECK_STR(P(" a , b \n"), "1:[ a | b ]", "blanks kept by default");
	CHECK_STR(PD(" a , b \n", ',', 1, 0), "1:[a|b]", "blanks trimmed with trim");
	CHECK_STR(PD("a\tb c\t\"d\te\"\n", '\t', 0, 0), "1:[a|b c|d\te]", "tab delimiter");
	CHECK_STR(PD("a;b,c\n", ';', 0, 0), "1:[a|b,c]", "semicolon delimiter");
	CHECK_STR(P("a\rb,c\n"), "1:[a\rb|c]", "lone CR is data");
	CHECK_STR(P("x,\"open\ny,z\n"), "1:BAD(quoted field not closed at end of input)[x,\"open]\n2:[y|z]",
		  "unclosed quote: one line lost, the rest read again");
	CHECK_STR(P("x,\"open\n1\n2\n3\n4\n5\n"),
		  "1:BAD(quoted field not closed within the line limit)[x,\"open]\n2:[1]\n3:[2]\n4:[3]\n5:[4]\n6:[5]",
		  "unclosed quote over the line limit");
	CHECK_STR(PD("a\"b,c\n", ',', 0, 1), "1:BAD(bad quoting)[a\"b,c]", "strict: quote in unquoted field");
	CHECK_STR(PD("a\"b,c\n", ',', 0, 0), "1:[a\"b|c]", "lenient: quote in unquoted field kept");
	CHECK_STR(P("a,b\n\"x\n"), "1:[a|b]\n2:BAD(quoted field not closed at end of input)[\"x]", "truncated last record");
	CHECK_STR(P("\xe0,\xff\n"), "1:[\xe0|\xff]", "bytes passed through as they are");
	CHECK_STR(P("a,\0b\n"), "1:[a|\\0b]", "a NUL byte is kept in its field (xo-ingest rejects it)");
	return unit_done();
}
