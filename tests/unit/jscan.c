/* lib/jscan: the scanner says OK only for lines jansson accepts, with
 * the same members; every doubtful line is UNSURE (and goes to jansson). */
#include <jansson.h>

#include "jscan.h"
#include "ndjson.h"
#include "unit.h"

static struct xo_jmember m[16];
static size_t n;

static int scan(const char *s)
{
	return xo_jscan_object(s, strlen(s), m, 16, &n);
}

/* OK must imply that jansson accepts it too. */
static int agrees(const char *s)
{
	json_t *obj;
	struct xo_buf why = XO_BUF_INIT;
	int jansson_ok = xo_ndjson_parse(s, strlen(s), &obj, &why) == XO_NDJSON_OBJECT;
	if (jansson_ok)
		json_decref(obj);
	xo_buf_free(&why);
	return scan(s) == XO_JSCAN_OK ? jansson_ok : 1;
}

int main(void)
{
	const char *ev = "{\"ts\":\"2026-03-01T10:22:33Z\",\"id\":\"6c2f0e4f6b1d2a90\","
			 "\"ids\":{\"email\":\"a@b.it\",\"customer\":\"C-1\"},"
			 "\"cx\":{\"nps\":3},\"text\":\"l\\u00e0 \\\"x\\\"\\n\",\"n\":[1,-2.5e3,true,null]}";
	CHECK_INT(scan(ev), XO_JSCAN_OK, "an event scans");
	CHECK_INT(n, 6, "six members");
	const struct xo_jspan *ids = xo_jscan_get(m, n, "ids");
	CHECK(ids && ids->type == XO_J_OBJECT, "ids is an object");
	struct xo_jmember im[4];
	size_t in;
	CHECK_INT(xo_jscan_object(ids->p, ids->len, im, 4, &in), XO_JSCAN_OK, "ids scans");
	CHECK_INT(in, 2, "two ids");
	struct xo_buf b = XO_BUF_INIT;
	xo_jscan_string(&im[0].val, &b);
	CHECK_STR(xo_buf_str(&b), "a@b.it", "email value");
	xo_buf_reset(&b);
	xo_jscan_string(xo_jscan_get(m, n, "text"), &b);
	CHECK_STR(xo_buf_str(&b), "l\xc3\xa0 \"x\"\n", "escapes decoded");
	xo_buf_reset(&b);
	struct xo_jspan sur = { "\\ud83d\\ude00", 12, XO_J_STRING, 1 };
	xo_jscan_string(&sur, &b);
	CHECK_STR(xo_buf_str(&b), "\xf0\x9f\x98\x80", "surrogate pair decoded");
	xo_buf_free(&b);
	CHECK_INT(scan("  {}  "), XO_JSCAN_OK, "empty object with blanks");
	CHECK_INT(n, 0, "no members");

	const char *unsure[] = {
		"", "[]", "{", "{\"a\":1,}", "{\"a\":1}x", "{\"a\":01}", "{\"a\":1.}",
		"{\"a\":-}", "{\"a\":1e}", "{\"a\":1e400}", "{\"a\":12345678901234567890}",
		"{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":2}}", "{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\udc00\"}", "{\"a\":\"\\x\"}", "{\"a\":\"tab\there\"}",
		"{\"a\":\"\xff\"}", "{\"a\\u0062\":1}", "{\"a\":tru}", "{\"a\" 1}",
		"{\"a\":[1 2]}", "{'a':1}", "{\"a\":\"unterminated}",
		"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
	};
	for (size_t i = 0; i < sizeof unsure / sizeof unsure[0]; i++)
		CHECK_INT(scan(unsure[i]), XO_JSCAN_UNSURE, unsure[i]);
	CHECK_INT(xo_jscan_object("{\"a\":1,\"b\":2}", 13, m, 1, &n), XO_JSCAN_UNSURE,
		  "more members than room is unsure");
	/* Strings are scanned eight bytes at a time: put the byte that
	 * matters at every offset of a word, and past a few words. */
	char line[96];
	struct xo_buf got = XO_BUF_INIT;
	for (int at = 0; at < 24; at++) {
		char body[40];
		memset(body, 'x', sizeof body);
		body[at] = '\t';
		snprintf(line, sizeof line, "{\"k\":\"%.30s\"}", body);
		CHECK_INT(scan(line), XO_JSCAN_UNSURE, "a tab inside a long string");
		memcpy(body + at, "\\\"", 2);
		snprintf(line, sizeof line, "{\"k\":\"%.31s\",\"z\":1}", body);
		int ok = scan(line) == XO_JSCAN_OK && n == 2;
		xo_buf_reset(&got);
		if (ok)
			xo_jscan_string(&m[0].val, &got);
		CHECK(ok && got.len == 30 && got.data[at] == '"', "an escaped quote inside a long string");
	}
	xo_buf_free(&got);
	const char *both[] = {
		ev, "{}", "{\"a\":\"\\u0000\"}", "{\"a\":123456789012345678}", "{\"a\":-0.0e-12}",
		"{\"a\":{\"b\":{\"c\":[{}]}}}", "{\"\":\"\"}",
	};
	for (size_t i = 0; i < sizeof both / sizeof both[0]; i++) {
		CHECK_INT(scan(both[i]), XO_JSCAN_OK, both[i]);
		CHECK(agrees(both[i]), "jansson agrees");
	}
	return unit_done();
}
