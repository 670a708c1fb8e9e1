#include "ndjson.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"

int xo_ndjson_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

enum xo_ndjson_status xo_ndjson_parse(const char *line, size_t len,
				      json_t **obj, struct xo_buf *why)
{
	json_error_t err;
	/* A raw NUL is never JSON, but jansson skips one after a number
	 * or a literal ({"a":1\0}), where lib/jscan refuses it: refuse it
	 * here too, so every tool takes the same lines. */
	const char *nul = memchr(line, '\0', len);
	if (nul) {
		*obj = NULL;
		xo_buf_reset(why);
		xo_buf_printf(why, "invalid JSON at column %zu: NUL byte", (size_t)(nul - line) + 1);
		return XO_NDJSON_BAD;
	}
	*obj = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
	if (*obj == NULL) {
		xo_buf_reset(why);
		xo_buf_printf(why, "invalid JSON at column %d: %s", err.column, err.text);
		return XO_NDJSON_BAD;
	}
	if (!json_is_object(*obj)) {
		json_decref(*obj);
		*obj = NULL;
		xo_buf_reset(why);
		xo_buf_adds(why, "expected a JSON object");
		return XO_NDJSON_BAD;
	}
	return XO_NDJSON_OBJECT;
}

enum xo_ndjson_status xo_ndjson_next(struct xo_input *in, json_t **obj,
				     struct xo_buf *why)
{
	ssize_t len;
	while ((len = xo_input_getline(in)) >= 0) {
		if (xo_ndjson_blank(in->buf, (size_t)len))
			continue;
		return xo_ndjson_parse(in->buf, (size_t)len, obj, why);
	}
	*obj = NULL;
	return XO_NDJSON_EOF;
}

void xo_ndjson_dump(const json_t *obj, struct xo_buf *out)
{
	char *text = json_dumps(obj, JSON_COMPACT);
	if (!text)
		xo_die(XO_EXIT_INTERNAL, "out of memory");
	xo_buf_reset(out);
	xo_buf_adds(out, text);
	free(text);
}
