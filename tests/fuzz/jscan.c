/* Fuzz lib/jscan, the in-place JSON reader of xo-merge, xo-journey and
 * xo-report, against jansson (lib/ndjson), which the other tools use:
 * every line jansson takes as an object jscan must take too, with the
 * same members, strings, numbers and path lookups. The input is one
 * line. A disagreement aborts (a crash for the fuzzer). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "jpath.h"
#include "jscan.h"
#include "ndjson.h"

static const char *const path_texts[] = {
	"ts", "id", "ids.email", "attrs[\"Order ID\"]", "steps[-1].type", "steps[0]",
	"a.b.c", "cx.nps", "attrs.x[2]", "xid",
};

#define N_PATHS (sizeof path_texts / sizeof *path_texts)

static void fail(const char *what)
{
	fprintf(stderr, "jscan and jansson disagree: %s\n", what);
	abort();
}

/* Compare a jscan value with the jansson value of the same text. */
static void compare(const struct xo_jval *v, const json_t *j, struct xo_buf *tmp, int depth)
{
	switch (v->type) {
	case XO_J_STRING:
		if (!json_is_string(j))
			fail("type (string)");
		xo_buf_reset(tmp);
		xo_jscan_string(v, tmp);
		if (tmp->len != json_string_length(j) ||
		    memcmp(xo_buf_str(tmp), json_string_value(j), tmp->len) != 0)
			fail("string value");
		break;
	case XO_J_NUMBER: {
		double d;
		if (!json_is_number(j))
			fail("type (number)");
		if (xo_jscan_number(v, &d) == 0 && d != json_number_value(j) &&
		    !(json_is_integer(j) && fabs(d) >= 9007199254740992.0))
			fail("number value");
		break;
	}
	case XO_J_TRUE:
		if (!json_is_true(j))
			fail("type (true)");
		break;
	case XO_J_FALSE:
		if (!json_is_false(j))
			fail("type (false)");
		break;
	case XO_J_NULL:
		if (!json_is_null(j))
			fail("type (null)");
		break;
	case XO_J_ARRAY: {
		if (!json_is_array(j))
			fail("type (array)");
		struct xo_jval el;
		size_t n = json_array_size(j);
		for (size_t i = 0; i < n && i < 256 && depth < 64; i++) {
			if (xo_jscan_at(v, (long)i, &el) != 0)
				fail("array element missing");
			compare(&el, json_array_get(j, i), tmp, depth + 1);
		}
		if (xo_jscan_at(v, (long)n, &el) == 0)
			fail("array element beyond the end");
		if (n && (xo_jscan_at(v, -1, &el) != 0 || el.type == XO_J_NONE))
			fail("last array element");
		break;
	}
	case XO_J_OBJECT: {
		if (!json_is_object(j))
			fail("type (object)");
		size_t pos = 0, n = 0;
		struct xo_jval key, val;
		struct xo_buf name = XO_BUF_INIT;
		while (xo_jscan_next(v, &pos, &key, &val)) {
			n++;
			xo_buf_reset(&name);
			xo_jscan_string(&key, &name);
			if (memchr(xo_buf_str(&name), '\0', name.len))
				continue; /* jansson cannot look such a key up */
			const json_t *jm = json_object_get(j, xo_buf_str(&name));
			if (!jm)
				fail("member missing in jansson");
			if (depth < 64)
				compare(&val, jm, tmp, depth + 1);
		}
		xo_buf_free(&name);
		if (n != json_object_size(j))
			fail("member count");
		break;
	}
	default:
		fail("no type");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xo_path *paths[N_PATHS];
	if (!paths[0]) {
		struct xo_buf err = XO_BUF_INIT;
		for (size_t i = 0; i < N_PATHS; i++)
			paths[i] = xo_path_compile(path_texts[i], &err);
		xo_buf_free(&err);
	}
	struct xo_jmembers m = { 0 };
	struct xo_buf tmp = XO_BUF_INIT, why = XO_BUF_INIT;
	const char *reason;
	size_t column;
	const char *line = (const char *)data;
	int ok = xo_jscan_object(line, size, &m, &reason, &column) == 0;
	json_t *obj = NULL;
	int jansson_ok = xo_ndjson_parse(line, size, &obj, &why) == XO_NDJSON_OBJECT;
	if (jansson_ok && !ok)
		fail(reason);
	if (ok) {
		/* Every way of reading the members works on any checked line. */
		for (size_t i = 0; i < m.n; i++) {
			double d;
			xo_buf_reset(&tmp);
			xo_jscan_text(&m.items[i].val, &tmp);
			xo_jscan_number(&m.items[i].val, &d);
			xo_jscan_key_is(&m.items[i].key, "ts", 2);
		}
		for (size_t i = 0; i < N_PATHS; i++) {
			struct xo_jval v;
			int found = xo_jscan_path(&m, paths[i], &v) == 0;
			if (jansson_ok) {
				const json_t *j = xo_path_get(paths[i], obj);
				if (found != (j != NULL))
					fail(path_texts[i]);
				if (found)
					compare(&v, j, &tmp, 0);
			}
		}
	}
	if (jansson_ok) {
		struct xo_jval whole = { line, size, XO_J_OBJECT, 0 };
		/* jscan reads an object value from its opening brace. */
		while (whole.len && *whole.p != '{') {
			whole.p++;
			whole.len--;
		}
		while (whole.len && whole.p[whole.len - 1] != '}')
			whole.len--;
		compare(&whole, obj, &tmp, 0);
	}
	json_decref(obj);
	free(m.items);
	xo_buf_free(&tmp);
	xo_buf_free(&why);
	return 0;
}
