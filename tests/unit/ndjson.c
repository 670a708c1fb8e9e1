/* Unit tests for lib/ndjson and lib/jsonarr: long lines, blank lines,
 * errors with their line and column, hostile nesting. */
#include <stdlib.h>
#include <unistd.h>

#include "jsonarr.h"
#include "ndjson.h"
#include "unit.h"

static char path[] = "/tmp/xo-unit-ndjson.XXXXXX";

static void write_file(const char *text, size_t len)
{
	strcpy(path, "/tmp/xo-unit-ndjson.XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* Describe each record of an NDJSON text: "L:ok" or "L:bad(reason)". */
static const char *ndjson(const char *text, size_t len)
{
	static struct xo_buf out;
	struct xo_buf why = XO_BUF_INIT;
	xo_buf_reset(&out);
	write_file(text, len);
	struct xo_input in;
	xo_input_open(&in, path);
	json_t *obj;
	enum xo_ndjson_status st;
	while ((st = xo_ndjson_next(&in, &obj, &why)) != XO_NDJSON_EOF) {
		if (out.len)
			xo_buf_addc(&out, ' ');
		if (st == XO_NDJSON_OBJECT)
			xo_buf_printf(&out, "%ld:ok", in.line);
		else
			xo_buf_printf(&out, "%ld:bad(%s)", in.line, why.data);
		json_decref(obj);
	}
	xo_input_close(&in);
	xo_buf_free(&why);
	unlink(path);
	return xo_buf_str(&out);
}

static const char *array(const char *text)
{
	static struct xo_buf out;
	struct xo_buf why = XO_BUF_INIT;
	xo_buf_reset(&out);
	write_file(text, strlen(text));
	struct xo_input in;
	xo_input_open(&in, path);
	struct xo_jsonarr a;
	xo_jsonarr_open(&a, &in);
	json_t *obj;
	enum xo_jsonarr_status st;
	while ((st = xo_jsonarr_next(&a, &obj, &why)) != XO_JSONARR_EOF) {
		if (out.len)
			xo_buf_addc(&out, ' ');
		if (st == XO_JSONARR_OBJECT)
			xo_buf_printf(&out, "%ld:ok", a.line);
		else
			xo_buf_printf(&out, "%ld:%s(%s)", a.line, st == XO_JSONARR_BAD ? "bad" : "broken", why.data);
		json_decref(obj);
		if (st == XO_JSONARR_BROKEN)
			break;
	}
	xo_jsonarr_close(&a);
	xo_input_close(&in);
	xo_buf_free(&why);
	unlink(path);
	return xo_buf_str(&out);
}

#define N(text) ndjson(text, sizeof(text) - 1)

static void long_line(void)
{
	/* A 3 MB line: a record with one long string. */
	size_t n = 3 * 1024 * 1024;
	struct xo_buf big = XO_BUF_INIT;
	xo_buf_adds(&big, "{\"a\":1}\n{\"text\":\"");
	for (size_t i = 0; i < n; i++)
		xo_buf_addc(&big, (char)('a' + i % 26));
	xo_buf_adds(&big, "\"}\n{\"b\":2}\n");
	CHECK_STR(ndjson(big.data, big.len), "1:ok 2:ok 3:ok", "a 3 MB line between short ones");
	xo_buf_free(&big);
}

static void deep_nesting(void)
{
	struct xo_buf deep = XO_BUF_INIT;
	xo_buf_adds(&deep, "{\"a\":");
	for (int i = 0; i < 100000; i++)
		xo_buf_addc(&deep, '[');
	for (int i = 0; i < 100000; i++)
		xo_buf_addc(&deep, ']');
	xo_buf_adds(&deep, "}\n{\"ok\":true}\n");
	CHECK_STR(ndjson(deep.data, deep.len),
		  "1:bad(invalid JSON at column 2053: maximum parsing depth reached near '[') 2:ok",
		  "100,000 levels of nesting refused, not a crash");
	xo_buf_free(&deep);
}

int main(void)
{
	CHECK_STR(N("{\"a\":1}\n\n   \n{\"b\":2}\r\n"), "1:ok 4:ok", "blank lines skipped, CRLF");
	CHECK_STR(N("{\"a\":1}"), "1:ok", "no final newline");
	CHECK_STR(N("{\"a\":1\n"), "1:bad(invalid JSON at column 6: '}' expected near end of file)", "truncated");
	CHECK_STR(N("[1,2]\n\"s\"\n"), "1:bad(expected a JSON object) 2:bad(expected a JSON object)", "not objects");
	CHECK_STR(N("{\"a\":1,\"a\":2}\n"), "1:bad(invalid JSON at column 10: duplicate object key near '\"a\"')", "duplicate keys");
	CHECK_STR(N("{\"n\":123456789012345678901234567890}\n"),
		  "1:bad(invalid JSON at column 35: too big integer)", "huge integer");
	CHECK_STR(N("{\"s\":\"\xff\"}\n"), "1:bad(invalid JSON at column 6: unable to decode byte 0xff near '\"')", "invalid UTF-8");
	CHECK_STR(N("{\"a\":1}\0{\"b\":2}\n"), "1:bad(invalid JSON at column 8: NUL byte)", "NUL byte");
	long_line();
	deep_nesting();
	CHECK_STR(array("[{\"a\":1},\n {\"b\":[1,{\"c\":\"]\"}]}\n]\n"), "1:ok 2:ok", "array of objects");
	CHECK_STR(array("\xef\xbb\xbf[]"), "", "empty array with BOM");
	CHECK_STR(array("[{\"a\":1}, 5, \"x\", {\"b\":2}]"), "1:ok 1:bad(expected a JSON object) 1:bad(expected a JSON object) 1:ok", "scalars rejected, objects kept");
	CHECK_STR(array("[{\"a\":1},\n{\"b\":"), "1:ok 2:broken(truncated JSON array element at end of input)", "truncated array");
	CHECK_STR(array("[{\"a\":1}] junk"), "1:ok 1:broken(text after the closing ']' of the array)", "text after the array");
	CHECK_STR(array("{\"a\":1}"), "1:broken(expected a JSON array '[' at the start)", "not an array");
	return unit_done();
}
