/* Fuzz the expression language (xo-expr(7)): compile the input and
 * evaluate it against a fixed journey record, with $x = 7, $name =
 * "anna" and a fixed clock. Input: EXPRESSION, optionally followed by a
 * NUL byte and a JSON object used as the record instead. */
#include <string.h>

#include "diag.h"
#include "expr.h"
#include "fuzz.h"
#include "ndjson.h"

static const char record[] =
	"{\"xid\":\"X-1\",\"as_of\":\"2026-03-15T12:00:00Z\","
	"\"steps\":[{\"ts\":\"2026-01-02T10:00:00Z\",\"channel\":\"web\",\"type\":\"visit\","
	"\"token\":\"web:visit\"},{\"ts\":\"2026-03-14T09:30:00+01:00\",\"channel\":\"phone\","
	"\"type\":\"complaint\",\"token\":\"phone:complaint\",\"cx\":{\"nps\":3}},"
	"{\"ts\":\"2026-03-15T11:00:00Z\",\"channel\":\"web\",\"type\":\"cancel.start\","
	"\"token\":\"web:cancel.start\",\"text\":\"Non funziona \\u00e8 lento!!\"}],"
	"\"context\":{\"tenure_days\":800,\"recency_days\":0.04,\"contacts_30d\":2,"
	"\"cx_last\":{\"nps\":3},\"open_issues\":1,\"big\":1e308,\"neg\":-0.0},"
	"\"score\":{\"nps\":-100,\"sentiment\":-0.62},"
	"\"prediction\":{\"p\":0.83,\"top\":[\"tenure_days\",\"plan=basic\"]},"
	"\"profile\":{\"traits\":{\"segment\":\"gold\",\"tz\":\"Europe/Rome\",\"optout\":false,"
	"\"tags\":[\"vip\",\"it\"],\"Order ID\":\"A-7\"}},"
	"\"attrs\":{\"region\":\"north\",\"amount\":\"12.50\",\"empty\":\"\",\"none\":null}}";

static void visit_path(const char *path, size_t slot, void *arg)
{
	struct xo_expr_ctx *c = arg;
	struct xo_val v = xo_expr_ctx_path(c, slot);
	(void)path;
	(void)v;
}

static void evaluate(struct xo_expr_env *env, struct xo_expr *e, const json_t *rec,
		     int x, int name)
{
	struct xo_buf out = XO_BUF_INIT;
	xo_time_t now;
	xo_time_parse_rfc3339("2026-03-15T12:00:00Z", 20, &now);
	struct xo_expr_ctx *c = xo_expr_ctx_new(env);
	xo_expr_ctx_reset(c, rec, now);
	struct xo_val v = { XO_VAL_NUM, 0, 7, NULL, 0 };
	xo_expr_ctx_set_var(c, x, v);
	v.type = XO_VAL_STR;
	v.str = "anna";
	v.len = 4;
	xo_expr_ctx_set_var(c, name, v);
	struct xo_val r = xo_expr_eval(e, c);
	if (r.type == XO_VAL_ERROR) {
		xo_buf_adds(&out, xo_expr_ctx_error(c));
		xo_expr_ctx_clear_error(c);
	} else {
		xo_val_to_json(&out, &r);
		xo_val_truthy(&r);
	}
	xo_expr_each_path(e, visit_path, c);
	xo_expr_ctx_free(c);
	xo_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t expr_len = nul ? (size_t)(nul - data) : size;
	char *text = fuzz_string(data, expr_len);
	if (!text)
		return 0;
	xo_diag_quiet(1);
	json_t *rec = NULL;
	struct xo_buf why = XO_BUF_INIT, err = XO_BUF_INIT;
	if (nul && xo_ndjson_parse((const char *)nul + 1, size - expr_len - 1, &rec, &why) !=
			   XO_NDJSON_OBJECT)
		rec = NULL;
	if (!rec)
		rec = json_loads(record, 0, NULL);

	struct xo_expr_env *env = xo_expr_env_new();
	int x = xo_expr_env_var(env, "x");
	int name = xo_expr_env_var(env, "name");
	struct xo_expr *e = xo_expr_parse(env, text, &err);
	if (e) {
		xo_expr_text(e);
		xo_expr_is_const(e);
		xo_expr_uses_vars(e);
		xo_expr_as_path(e);
		evaluate(env, e, rec, x, name);
		/* Each conjunct on its own, as the rules file splits 'when'. */
		struct xo_expr **parts;
		size_t n;
		xo_expr_split_and(e, &parts, &n);
		for (size_t i = 0; i < n; i++) {
			evaluate(env, parts[i], rec, x, name);
			xo_expr_free(parts[i]);
		}
		free(parts);
	}
	double num;
	xo_str_to_num(text, expr_len, &num);
	xo_expr_env_free(env);
	json_decref(rec);
	xo_buf_free(&why);
	xo_buf_free(&err);
	free(text);
	return 0;
}
