/* The expression language's golden table (tests/expr.test), in the
 * spirit of jq's tests/jq.test. Each case is three lines and a blank:
 *
 *   EXPRESSION
 *   INPUT RECORD (one JSON object)
 *   EXPECTED (the value as JSON, or "error: MESSAGE" at run time)
 *
 * A case that must not compile is "%%FAIL", the expression, and the
 * expected message. Lines starting with '#' are comments. $x is 7 and
 * $name is "anna" in every case; the clock is $XO_NOW.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "input.h"
#include "ndjson.h"
#include "unit.h"

static int next_line(struct xo_input *in, const char **line)
{
	for (;;) {
		if (xo_input_getline(in) < 0)
			return -1;
		if (in->buf[0] != '#') {
			*line = in->buf;
			return 0;
		}
	}
}

static void run_case(char *expr_text, const char *input, const char *want, long line)
{
	struct xo_expr_env *env = xo_expr_env_new();
	int x = xo_expr_env_var(env, "x");
	int name = xo_expr_env_var(env, "name");
	struct xo_buf err = XO_BUF_INIT, got = XO_BUF_INIT, what = XO_BUF_INIT;
	xo_buf_printf(&what, "line %ld: %s", line, expr_text);
	struct xo_expr *e = xo_expr_parse(env, expr_text, &err);
	if (!e) {
		xo_buf_printf(&got, "compile error: %s", xo_buf_str(&err));
	} else {
		json_t *rec = NULL;
		struct xo_buf why = XO_BUF_INIT;
		if (xo_ndjson_parse(input, strlen(input), &rec, &why) != XO_NDJSON_OBJECT) {
			xo_buf_printf(&got, "bad input: %s", xo_buf_str(&why));
		} else {
			struct xo_expr_ctx *c = xo_expr_ctx_new(env);
			xo_expr_ctx_reset(c, rec, xo_time_now());
			struct xo_val v = { XO_VAL_NUM, 0, 7, NULL, 0, NULL };
			xo_expr_ctx_set_var(c, x, v);
			v.type = XO_VAL_STR;
			v.str = "anna";
			v.len = 4;
			xo_expr_ctx_set_var(c, name, v);
			struct xo_val r = xo_expr_eval(e, c);
			if (r.type == XO_VAL_ERROR)
				xo_buf_printf(&got, "error: %s", xo_expr_ctx_error(c));
			else
				xo_val_to_json(&got, &r);
			xo_expr_ctx_free(c);
		}
		json_decref(rec);
		xo_buf_free(&why);
	}
	CHECK_STR(xo_buf_str(&got), want, xo_buf_str(&what));
	xo_expr_free(e);
	xo_expr_env_free(env);
	xo_buf_free(&err);
	xo_buf_free(&got);
	xo_buf_free(&what);
}

int main(int argc, char **argv)
{
	struct xo_input in;
	if (argc != 2 || xo_input_open(&in, argv[1]) != 0) {
		fprintf(stderr, "usage: expr tests/expr.test\n");
		return 2;
	}
	const char *line;
	while (next_line(&in, &line) == 0) {
		if (line[0] == '\0')
			continue;
		long at = in.line;
		int must_fail = strcmp(line, "%%FAIL") == 0;
		if (must_fail && next_line(&in, &line) != 0)
			break;
		char *expr_text = strdup(line);
		char *input = NULL, *want = NULL;
		if (!must_fail) {
			if (next_line(&in, &line) != 0)
				break;
			input = strdup(line);
		}
		if (next_line(&in, &line) != 0) {
			free(expr_text);
			free(input);
			break;
		}
		if (must_fail) {
			want = malloc(strlen(line) + 16);
			sprintf(want, "compile error: %s", line);
		} else {
			want = strdup(line);
		}
		run_case(expr_text, input ? input : "{}", want, at);
		free(expr_text);
		free(input);
		free(want);
	}
	xo_input_close(&in);
	return unit_done();
}
