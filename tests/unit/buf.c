/* Unit tests for lib/buf: JSON string escaping agrees with jansson's on
 * random text (controls, quotes, backslashes and multi-byte characters
 * at every offset of the 8-byte fast path); integers; printf growth. */
#include <jansson.h>
#include <stdlib.h>

#include "buf.h"
#include "unit.h"

static const char *const pieces[] = {
	"a", "b", "z", " ", "\"", "\\", "\n", "\r", "\t", "\b", "\f", "\x01", "\x1f",
	"\x7f", "\xc3\xa8", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "/", "0", "~",
};

int main(void)
{
	unsigned seed = 12345;
	int agree = 1;
	for (int round = 0; round < 20000 && agree; round++) {
		struct xo_buf text = XO_BUF_INIT, ours = XO_BUF_INIT;
		int n = (int)(rand_r(&seed) % 40);
		for (int i = 0; i < n; i++) {
			/* Mostly plain letters, so the fast path is taken often. */
			int k = rand_r(&seed) % 4 ? (int)(rand_r(&seed) % 3) : (int)(rand_r(&seed) % 20);
			xo_buf_adds(&text, pieces[k]);
		}
		xo_buf_add_json_string(&ours, xo_buf_str(&text), text.len);
		json_t *str = json_stringn(xo_buf_str(&text), text.len);
		char *theirs = json_dumps(str, JSON_ENCODE_ANY);
		if (strcmp(theirs, xo_buf_str(&ours)) != 0) {
			printf("# text %s\n# ours %s\n# jansson %s\n", text.data, ours.data, theirs);
			agree = 0;
		}
		free(theirs);
		json_decref(str);
		xo_buf_free(&text);
		xo_buf_free(&ours);
	}
	CHECK(agree, "JSON escaping agrees with jansson on 20,000 random strings");

	struct xo_buf b = XO_BUF_INIT;
	xo_buf_add_int(&b, 0);
	xo_buf_addc(&b, ' ');
	xo_buf_add_int(&b, -9223372036854775807LL - 1);
	xo_buf_addc(&b, ' ');
	xo_buf_add_int(&b, 1234567890123LL);
	CHECK_STR(b.data, "0 -9223372036854775808 1234567890123", "integers without printf");
	xo_buf_reset(&b);
	for (int i = 0; i < 1000; i++)
		xo_buf_printf(&b, "%d,", i);
	CHECK_INT(b.len, 3890, "printf grows the buffer: 10+90*2+900*3 digits and 1000 commas");
	xo_buf_free(&b);
	return unit_done();
}
