/* lib/jscan, lib/intern, lib/arena, lib/jsonw: the pieces xo-journey
 * reads and writes events with. Expected values worked out by hand. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "intern.h"
#include "jpath.h"
#include "jscan.h"
#include "jsonw.h"
#include "unit.h"

static int valid(const char *s)
{
	struct xo_jmembers m = { NULL, 0, 0 };
	const char *why;
	size_t col;
	int ok = xo_jscan_object(s, strlen(s), &m, &why, &col) == 0;
	free(m.items);
	return ok;
}

static void test_grammar(void)
{
	CHECK(valid("{}"), "empty object");
	CHECK(valid(" \t{ \"a\" : [1, -2.5e+3, 0, true, false, null, {\"b\":[]}] } \r"), "nesting, blanks");
	CHECK(valid("{\"s\":\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\"}"), "escapes and a surrogate pair");
	CHECK(valid("{\"s\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}"), "UTF-8");
	CHECK(!valid("[1]"), "an array is not an object");
	CHECK(!valid(""), "empty line");
	CHECK(!valid("{\"a\":1,}"), "trailing comma");
	CHECK(!valid("{\"a\":01}"), "leading zero");
	CHECK(!valid("{\"a\":1.}"), "bare point");
	CHECK(!valid("{\"a\":-}"), "bare minus");
	CHECK(!valid("{\"a\":tru}"), "bad literal");
	CHECK(!valid("{\"a\":\"x\ty\"}"), "raw tab in a string");
	CHECK(!valid("{\"a\":\"\\x\"}"), "bad escape");
	CHECK(!valid("{\"a\":\"\\ud800\"}"), "lone high surrogate");
	CHECK(!valid("{\"a\":\"\\udc00\"}"), "lone low surrogate");
	CHECK(!valid("{\"a\":\"\xff\"}"), "invalid byte");
	CHECK(!valid("{\"a\":\"\xc0\xaf\"}"), "overlong");
	CHECK(!valid("{\"a\":\"\xed\xa0\x80\"}"), "encoded surrogate");
	CHECK(!valid("{\"a\":\"abc"), "unterminated string");
	CHECK(!valid("{\"a\":1} x"), "text after the object");
	CHECK(!valid("{a:1}"), "unquoted key");
	/* 2048 levels are refused, as by jansson. */
	size_t depth = 3000;
	char *deep = malloc(depth * 2 + 8);
	char *p = deep;
	p += sprintf(p, "{\"a\":");
	for (size_t i = 0; i < depth; i++)
		*p++ = '[';
	for (size_t i = 0; i < depth; i++)
		*p++ = ']';
	strcpy(p, "}");
	CHECK(!valid(deep), "nesting too deep");
	free(deep);
}

static void test_members(void)
{
	const char *s = "{\"ts\":\"2026-03-01T10:00:00Z\",\"x\\u0069d\":\"c\\\"1\",\"n\":-1.5,"
			"\"attrs\":{\"Order ID\":\"A-7\",\"list\":[10,{\"k\":\"v\"},30]}}";
	struct xo_jmembers m = { NULL, 0, 0 };
	const char *why;
	size_t col;
	CHECK_INT(xo_jscan_object(s, strlen(s), &m, &why, &col), 0, "parses");
	CHECK_INT(m.n, 4, "four members");
	CHECK(xo_jscan_key_is(&m.items[1].key, "xid", 3), "escaped key compared decoded");
	struct xo_buf b = XO_BUF_INIT;
	xo_jscan_string(&m.items[1].val, &b);
	CHECK_STR(xo_buf_str(&b), "c\"1", "string decoded");
	double d = 0;
	CHECK_INT(xo_jscan_number(&m.items[2].val, &d), 0, "a number");
	CHECK(d == -1.5, "its value");
	struct xo_jval v;
	struct xo_buf err = XO_BUF_INIT;
	struct xo_path *p = xo_path_compile("attrs[\"Order ID\"]", &err);
	CHECK_INT(xo_jscan_path(&m, p, &v), 0, "bracket path");
	xo_buf_reset(&b);
	xo_jscan_text(&v, &b);
	CHECK_STR(xo_buf_str(&b), "A-7", "its text");
	xo_path_free(p);
	p = xo_path_compile("attrs.list[-2].k", &err);
	CHECK_INT(xo_jscan_path(&m, p, &v), 0, "index from the end");
	xo_buf_reset(&b);
	xo_jscan_text(&v, &b);
	CHECK_STR(xo_buf_str(&b), "v", "its text");
	xo_path_free(p);
	p = xo_path_compile("attrs.list[1]", &err);
	xo_jscan_path(&m, p, &v);
	CHECK_INT(v.type, XO_J_OBJECT, "an object element");
	CHECK_INT(v.len, 9, "its span");
	xo_path_free(p);
	p = xo_path_compile("attrs.nope", &err);
	CHECK_INT(xo_jscan_path(&m, p, &v), -1, "absent");
	xo_path_free(p);
	p = xo_path_compile("n.x", &err);
	CHECK_INT(xo_jscan_path(&m, p, &v), -1, "through a number");
	xo_path_free(p);
	xo_buf_free(&b);
	xo_buf_free(&err);
	free(m.items);
}

static void test_intern(void)
{
	struct xo_intern t = XO_INTERN_INIT;
	CHECK_INT(xo_intern(&t, "web", 3), 1, "first string is 1");
	CHECK_INT(xo_intern(&t, "phone", 5), 2, "second is 2");
	CHECK_INT(xo_intern(&t, "web", 3), 1, "same string, same number");
	CHECK_INT(xo_intern(&t, "a\0b", 3), 3, "a NUL inside");
	CHECK_INT(xo_intern(&t, "a", 1), 4, "not confused with its prefix");
	CHECK_INT(xo_intern_find(&t, "nope", 4), 0, "find: absent");
	char key[16];
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof key, "k%d", i);
		xo_intern(&t, key, (size_t)n);
	}
	CHECK_INT(t.count, 10004, "grows");
	CHECK_INT(xo_intern_find(&t, "k9999", 5), 10004, "found after growing");
	CHECK_STR(xo_intern_str(&t, 2), "phone", "strings stay put");
	xo_intern_reset(&t);
	CHECK_INT(xo_intern(&t, "phone", 5), 1, "numbers restart after reset");
	xo_intern_free(&t);
}

static void test_arena(void)
{
	struct xo_arena a = XO_ARENA_INIT;
	char *first = xo_arena_strndup(&a, "hello", 5);
	double *d = xo_arena_alloc(&a, sizeof *d, 8);
	CHECK(((uintptr_t)d & 7) == 0, "aligned");
	void *big = xo_arena_alloc(&a, 10 << 20, 16);
	CHECK(big != NULL, "larger than a chunk");
	CHECK_STR(first, "hello", "earlier data stays");
	xo_arena_reset(&a);
	CHECK(a.total <= 16 * 1024, "reset keeps one small chunk");
	xo_arena_free(&a);
}

static void test_jsonw(void)
{
	struct xo_buf b = XO_BUF_INIT;
	struct xo_jw w;
	xo_jw_init(&w, &b);
	xo_jw_obj(&w);
	xo_jw_key(&w, "a");
	xo_jw_arr(&w);
	xo_jw_int(&w, -12);
	xo_jw_num(&w, 3.958);
	xo_jw_num(&w, 0.5);
	xo_jw_num(&w, 1e20);
	xo_jw_num(&w, -0.0);
	xo_jw_num(&w, NAN);
	xo_jw_num(&w, 1.0 / 3);
	xo_jw_end(&w);
	xo_jw_key(&w, "t");
	xo_jw_time(&w, INT64_C(1772359200) * 1000000);
	xo_jw_key(&w, "u");
	xo_jw_time(&w, INT64_C(1772359200250000));
	xo_jw_members(&w, "{\"k\":1,\"l\":[2]}", 15);
	xo_jw_members(&w, "{}", 2);
	xo_jw_key(&w, "s");
	xo_jw_strz(&w, "q\"\n");
	xo_jw_end(&w);
	CHECK_STR(xo_buf_str(&b), "{\"a\":[-12,3.958,0.5,1e+20,0,null,0.333333333333333],"
		  "\"t\":\"2026-03-01T10:00:00Z\",\"u\":\"2026-03-01T10:00:00.250Z\","
		  "\"k\":1,\"l\":[2],\"s\":\"q\\\"\\n\"}", "writer output");
	CHECK(xo_round_to(2.0005, 3) == 2.001 || xo_round_to(2.0005, 3) == 2.0, "rounding");
	CHECK(xo_round_to(23.0833333, 3) == 23.083, "three decimals");
	xo_buf_free(&b);
}

/* Random edits of two events: jscan and jansson must agree on what is
 * a JSON object, except for duplicate keys (jscan leaves those to its
 * caller) and numbers too large for a double (read as not numbers). */
static unsigned long long fuzz_state = 88172645463325252ULL;

static unsigned fuzz_rand(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 7;
	fuzz_state ^= fuzz_state << 17;
	return (unsigned)fuzz_state;
}

static void mutate(char *buf, size_t *len)
{
	static const char alphabet[] = "{}[]\",:\\u0123456789abcdefnrtlsE.-+ \t\xc3\xa9\xff\xed\xa0\x80";
	int edits = 1 + (int)(fuzz_rand() % 3);
	for (int e = 0; e < edits; e++) {
		size_t at = fuzz_rand() % *len;
		unsigned op = fuzz_rand() % 3;
		char c = alphabet[fuzz_rand() % (sizeof alphabet - 1)];
		if (op == 0) {
			buf[at] = c;
		} else if (op == 1 && *len < 500) {
			memmove(buf + at + 1, buf + at, *len - at);
			buf[at] = c;
			(*len)++;
		} else if (*len > 1) {
			memmove(buf + at, buf + at + 1, *len - at - 1);
			(*len)--;
		}
	}
}

static void test_against_jansson(void)
{
	static const char *const seeds[] = {
		"{\"ts\":\"2026-03-01T10:00:00Z\",\"id\":\"a1\",\"cx\":{\"nps\":-3.5e2,"
		"\"x\":[true,false,null]},\"t\":\"\\u00e9\\ud83d\\ude00\\n\",\"xid\":\"c\"}",
		"{\"a\":[1,2,{\"b\":\"c\"}],\"d\":0.5,\"e\":\"caf\xc3\xa9\"}",
	};
	struct xo_jmembers m = { NULL, 0, 0 };
	long differ = 0, tried = 0;
	for (int round = 0; round < 50000; round++) {
		char buf[512];
		size_t len = strlen(seeds[round % 2]);
		memcpy(buf, seeds[round % 2], len);
		mutate(buf, &len);
		const char *why;
		size_t col;
		int ours = xo_jscan_object(buf, len, &m, &why, &col) == 0;
		json_error_t err;
		json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
		int theirs = j && json_is_object(j);
		json_decref(j);
		tried++;
		if (ours != theirs && !strstr(err.text, "duplicate") && !strstr(err.text, "overflow")) {
			if (differ++ < 3)
				printf("# jscan %d, jansson %d: %.*s\n", ours, theirs, (int)len, buf);
		}
	}
	CHECK_INT(differ, 0, "agrees with jansson on 50000 mangled events");
	CHECK(tried == 50000, "all tried");
	free(m.items);
	struct xo_jval big = { "1e999", 5, XO_J_NUMBER, 0 };
	double d;
	CHECK_INT(xo_jscan_number(&big, &d), -1, "1e999 is out of range");
}

int main(void)
{
	test_grammar();
	test_members();
	test_intern();
	test_arena();
	test_jsonw();
	test_against_jansson();
	return unit_done();
}
