/* How xo-decide reads and writes records without jansson trees
 * (lib/jscan index, lib/records scanned reading, lib/expr numbers):
 * every shortcut must give exactly what jansson and printf gave. The
 * expected strings of the hand-picked cases were worked out by hand
 * (15 significant digits, trailing zeros dropped, as "%.15g"); the
 * random cases are checked against jansson and snprintf themselves.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "expr.h"
#include "jscan.h"
#include "records.h"
#include "rejects.h"
#include "unit.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *num_text(double x)
{
	static struct xo_buf b = XO_BUF_INIT;
	xo_buf_reset(&b);
	xo_num_to_json(&b, x);
	return xo_buf_str(&b);
}

static void test_numbers_by_hand(void)
{
	CHECK_STR(num_text(355.95000000000005), "355.95", "a product just above 355.95");
	CHECK_STR(num_text(0.1 + 0.2), "0.3", "0.1 + 0.2");
	CHECK_STR(num_text(0.422 * 914 * 1.5), "578.562", "a priority");
	CHECK_STR(num_text(1e-4), "0.0001", "the smallest without an exponent");
	CHECK_STR(num_text(0.000123456789012345678), "0.000123456789012346", "15 digits after zeros");
	CHECK_STR(num_text(9.5e-5), "9.5e-05", "below 1e-4: an exponent, as printf");
	CHECK_STR(num_text(123456789012345.67), "123456789012346", "15 digits, rounded up");
	CHECK_STR(num_text(999999999999999.9), "1e+15", "rounds to 10^15: an exponent");
	CHECK_STR(num_text(-2.5), "-2.5", "negative");
	CHECK_STR(num_text(1.0 / 3), "0.333333333333333", "a third");
	CHECK_STR(num_text(2.0 / 3), "0.666666666666667", "two thirds");
	CHECK_STR(num_text(-0.0), "0", "no -0");
	CHECK_STR(num_text(1460), "1460", "an integer");
	CHECK_STR(num_text(NAN), "null", "not a number");
}

/* A double drawn from several shapes: any bits, products of the sort
 * rules make, short decimals, and ties at the 15th digit. */
static double random_double(int kind)
{
	double x;
	uint64_t u = next_random();
	switch (kind) {
	case 0:
		memcpy(&x, &u, sizeof x);
		return x;
	case 1:
		return (double)(u % 1000) / 1000 * (double)(u / 1000 % 900 + 100) *
		       (1 + (double)(u / 1000000 % 3) / 2);
	case 2:
		return ldexp((double)(u >> 11), (int)(next_random() % 120) - 100);
	default:
		return ((double)(u % 1000000000000000ULL) + 0.5) / pow(10, (double)(next_random() % 19));
	}
}

static void test_numbers_against_printf(void)
{
	long bad = 0, n = 0;
	char want[64];
	for (long i = 0; i < 300000; i++) {
		double x = random_double((int)(i % 4));
		if (!isfinite(x))
			continue;
		if (x == floor(x) && fabs(x) < 1e15)
			snprintf(want, sizeof want, "%.0f", x == 0 ? 0.0 : x);
		else
			snprintf(want, sizeof want, "%.15g", x);
		n++;
		if (strcmp(num_text(x), want) != 0 && bad++ < 5)
			printf("# %.17g: got %s, want %s\n", x, num_text(x), want);
	}
	CHECK(bad == 0 && n > 250000, "numbers written as %.15g writes them");
}

/* The value of expr over line, read in place and through jansson:
 * "same" when both give the same JSON, else both in msg. */
static int same_value(const char *expr, const char *line, struct xo_buf *msg)
{
	struct xo_expr_env *env = xo_expr_env_new();
	struct xo_buf err = XO_BUF_INIT, a = XO_BUF_INIT, b = XO_BUF_INIT;
	struct xo_expr *e = xo_expr_parse(env, expr, &err);
	struct xo_expr_ctx *c = xo_expr_ctx_new(env);
	struct xo_jindex ix = { NULL, 0, 0 };
	const char *why;
	size_t col;
	json_t *tree = json_loadb(line, strlen(line), JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
	int ok = e && tree && xo_jscan_index(line, strlen(line), 1, &ix, &why, &col) == 0;
	if (ok) {
		xo_expr_ctx_reset_scanned(c, line, &ix, 0);
		struct xo_val v = xo_expr_eval(e, c);
		xo_val_to_json(&a, &v);
		xo_expr_ctx_reset(c, tree, 0);
		v = xo_expr_eval(e, c);
		xo_val_to_json(&b, &v);
		ok = strcmp(xo_buf_str(&a), xo_buf_str(&b)) == 0;
	}
	xo_buf_reset(msg);
	xo_buf_printf(msg, "%s in %s: %s / %s", expr, line, xo_buf_str(&a), xo_buf_str(&b));
	json_decref(tree);
	free(ix.nodes);
	xo_expr_ctx_free(c);
	xo_expr_free(e);
	xo_expr_env_free(env);
	xo_buf_free(&err);
	xo_buf_free(&a);
	xo_buf_free(&b);
	return ok;
}

static int jansson_ok(const char *line, size_t len)
{
	json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY,
			       NULL);
	int ok = json_is_object(j);
	json_decref(j);
	return ok;
}

static void test_values_in_place(void)
{
	static const char *const cases[][2] = {
		{ "a", "{\"a\":0.1}" },
		{ "a * 3", "{\"a\":0.1}" },
		{ "a", "{\"a\":-0}" },
		{ "1 / a", "{\"a\":-0.0}" },
		{ "a", "{\"a\":123456789012345678}" },
		{ "a", "{\"a\":-9223372036854775808}" },
		{ "a", "{\"a\":1.7976931348623157e308}" },
		{ "a", "{\"a\":4.9e-324}" },
		{ "a", "{\"a\":1e-400}" },
		{ "a", "{\"a\":\"caf\\u00e9 \\ud83d\\ude00\"}" },
		{ "length(a)", "{\"a\":\"x\\u0000y\"}" },
		{ "a.b[1]", "{\"a\":{\"b\":[1, 2.50, 3]}}" },
		{ "a.b[-1]", "{\"a\":{\"b\":[1, 2.50, 3]}}" },
		{ "a", "{\"a\":{\"k\":[1.0,{\"z\":null}],\"j\":\"\\/\"}}" },
		{ "length(a) + length(b)", "{\"a\":[1,[2,3]],\"b\":{\"x\":1,\"y\":[]}}" },
		{ "\"x\" in a", "{\"a\":{\"x\":1}}" },
		{ "2 in a", "{\"a\":[1.0,2.0]}" },
		{ "a == b", "{\"a\":[1,{\"c\":2}],\"b\":[1,{\"c\":2}]}" },
		{ "a == b", "{\"a\":[1],\"b\":[1.0]}" },
		{ "count_steps(\"web:.*\")", "{\"steps\":[{\"channel\":\"web\",\"type\":\"visit\"},"
					     "{\"token\":\"web:x\"},3,{\"to\\u006ben\":\"web:y\"}]}" },
		{ "exists(a.b)", "{\"a\":{\"b\":null}}" },
		{ "exists(a.c)", "{\"a\":{\"b\":null}}" },
	};
	struct xo_buf msg = XO_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int ok = same_value(cases[i][0], cases[i][1], &msg);
		CHECK(ok, xo_buf_str(&msg));
	}
	/* Decimal texts of every shape read as strtod reads them. */
	long bad = 0;
	char line[96];
	for (int i = 0; i < 20000; i++) {
		uint64_t u = next_random();
		int digits = (int)(u % 20) + 1, point = (int)(u / 20 % 22) - 1;
		size_t k = (size_t)snprintf(line, sizeof line, "{\"a\":%s", u & 1 << 20 ? "-" : "");
		for (int d = 0; d < digits; d++) {
			if (d == point && d > 0)
				line[k++] = '.';
			line[k++] = (char)('0' + (d == 0 && digits > 1 ? 1 + next_random() % 9 : next_random() % 10));
		}
		if (u & 1 << 21)
			k += (size_t)snprintf(line + k, sizeof line - k, "e%d", (int)(next_random() % 80) - 40);
		snprintf(line + k, sizeof line - k, "}");
		if (!jansson_ok(line, strlen(line)))
			continue; /* beyond int64_t or a double: refused by both (below) */
		if (!same_value("a", line, &msg) && bad++ < 5)
			printf("# %s\n", xo_buf_str(&msg));
	}
	CHECK(bad == 0, "random numbers read as jansson reads them");
	xo_buf_free(&msg);
}

static int strict_ok(const char *line, size_t len)
{
	struct xo_jindex ix = { NULL, 0, 0 };
	const char *why;
	size_t col;
	int ok = xo_jscan_index(line, len, 1, &ix, &why, &col) == 0;
	free(ix.nodes);
	return ok;
}

static void test_strict_as_jansson(void)
{
	static const struct {
		const char *line;
		int ok;
	} cases[] = {
		{ "{\"a\":1,\"b\":{\"a\":2}}", 1 },
		{ "{\"a\":1,\"a\":2}", 0 },
		{ "{\"a\":1,\"\\u0061\":2}", 0 },
		{ "{\"x\":[{\"b\":1,\"b\":2}]}", 0 },
		{ "{\"a\\u0000b\":1}", 0 },
		{ "{\"a\":\"x\\u0000y\"}", 1 },
		{ "{\"a\":9223372036854775807}", 1 },
		{ "{\"a\":9223372036854775808}", 0 },
		{ "{\"a\":-9223372036854775808}", 1 },
		{ "{\"a\":-9223372036854775809}", 0 },
		{ "{\"a\":1e308}", 1 },
		{ "{\"a\":1e309}", 0 },
		{ "{\"a\":-1e309}", 0 },
		{ "{\"a\":1.7976931348623157e308}", 1 },
		{ "{\"a\":1.7976931348623159e308}", 0 },
		{ "{\"a\":0.0000000001e310}", 1 },
		{ "{\"a\":1e-400}", 1 },
		{ "{\"a\":00}", 0 },
		{ "{\"a\":\"\\ud800\"}", 0 },
		{ "{\"a\":1} x", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *l = cases[i].line;
		CHECK(jansson_ok(l, strlen(l)) == cases[i].ok && strict_ok(l, strlen(l)) == cases[i].ok,
		      l);
	}
	/* Mutated records: whatever a strict scan accepts, jansson accepts
	 * (the converse is asked of jansson by the readers). */
	static const char base[] = "{\"xid\":\"C1\",\"steps\":[{\"ts\":\"2026-03-09T04:13:14Z\","
				   "\"token\":\"call:failed\"}],\"context\":{\"n\":-12.5e3,\"ok\":true,"
				   "\"z\":null,\"s\":\"caf\\u00e9\"},\"p\":{\"p\":0.422}}";
	static const char bytes[] = "{}[]\",:\\u0aeE.-+ 19tfn\x01\xc3\xa9";
	long wrong = 0;
	char line[sizeof base + 8];
	for (int i = 0; i < 20000; i++) {
		memcpy(line, base, sizeof base);
		size_t len = sizeof base - 1;
		for (int m = 0; m < 1 + (int)(next_random() % 3); m++) {
			size_t at = next_random() % len;
			line[at] = bytes[next_random() % (sizeof bytes - 1)];
		}
		if (strict_ok(line, len) && !jansson_ok(line, len) && wrong++ < 5)
			printf("# accepted, jansson refuses: %.*s\n", (int)len, line);
	}
	CHECK(wrong == 0, "a strict scan accepts nothing jansson refuses");
}

/* The same file read both ways: the same records and the same rejects. */
static void test_records_scanned(void)
{
	static const char lines[] =
		"{\"xid\":\"a\",\"n\":1}\n"
		"\n"
		"  \t\n"
		"{\"xid\":\"b\",\"xid\":\"c\"}\n"
		"not json\n"
		"[1,2]\n"
		"{\"xid\":\"d\",\"n\":99999999999999999999}\n"
		"{\"xid\":\"e\",\"s\":\"\\u00e9\\/\",\"n\":1.50}\r\n"
		"{\"xid\":\"f\"} trailing\n"
		"{\"xid\":\"g\",\"deep\":[[[[]]]]}\n";
	char path[] = "/tmp/xo-decideread-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, lines, sizeof lines - 1) != (ssize_t)(sizeof lines - 1)) {
		CHECK(0, "temporary file");
		return;
	}
	close(fd);
	char *paths[] = { path };
	char rej1[64], rej2[64];
	snprintf(rej1, sizeof rej1, "%s.r1", path);
	snprintf(rej2, sizeof rej2, "%s.r2", path);
	struct xo_buf got1 = XO_BUF_INIT, got2 = XO_BUF_INIT;
	struct xo_records r;
	struct xo_rejects *rj = xo_rejects_open(rej1);
	xo_records_open(&r, paths, 1, rj);
	json_t *rec;
	while ((rec = xo_records_next(&r)) != NULL) {
		char *s = json_dumps(rec, JSON_COMPACT);
		xo_buf_printf(&got1, "%ld %s\n", xo_records_line(&r), s);
		free(s);
		json_decref(rec);
	}
	xo_records_close(&r);
	xo_rejects_close(rj);
	rj = xo_rejects_open(rej2);
	xo_records_open(&r, paths, 1, rj);
	const char *text;
	size_t len;
	const struct xo_jindex *ix;
	while (xo_records_next_scanned(&r, &text, &len, &ix)) {
		rec = json_loadb(text, len, JSON_ALLOW_NUL, NULL);
		char *s = json_dumps(rec, JSON_COMPACT);
		xo_buf_printf(&got2, "%ld %s\n", xo_records_line(&r), s);
		free(s);
		json_decref(rec);
	}
	xo_records_close(&r);
	xo_rejects_close(rj);
	CHECK_STR(xo_buf_str(&got2), xo_buf_str(&got1), "the same records");
	struct xo_buf a = XO_BUF_INIT, b = XO_BUF_INIT;
	CHECK(xo_buf_read_file(&a, rej1) == 0 && xo_buf_read_file(&b, rej2) == 0 && a.len > 0,
	      "both reject files");
	CHECK_STR(xo_buf_str(&b), xo_buf_str(&a), "the same rejects and reasons");
	unlink(path);
	unlink(rej1);
	unlink(rej2);
	xo_buf_free(&a);
	xo_buf_free(&b);
	xo_buf_free(&got1);
	xo_buf_free(&got2);
}

int main(void)
{
	test_numbers_by_hand();
	test_numbers_against_printf();
	test_values_in_place();
	test_strict_as_jansson();
	test_records_scanned();
	return unit_done();
}
