#include "expr.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpath.h"
#include "mem.h"
#include "rx.h"
#include "utf8.h"

/* ================================================================
 * Values
 * ================================================================ */

static const struct xo_val val_null = { XO_VAL_NULL, 0, 0, NULL, 0, NULL };

static struct xo_val val_bool(int b)
{
	struct xo_val v = val_null;
	v.type = XO_VAL_BOOL;
	v.b = b != 0;
	return v;
}

static struct xo_val val_num(double n)
{
	struct xo_val v = val_null;
	v.type = XO_VAL_NUM;
	v.num = n;
	return v;
}

static struct xo_val val_str(const char *s, size_t len)
{
	struct xo_val v = val_null;
	v.type = XO_VAL_STR;
	v.str = s;
	v.len = len;
	return v;
}

struct xo_val xo_val_from_json(const json_t *j)
{
	struct xo_val v = val_null;
	if (!j)
		return v;
	switch (json_typeof(j)) {
	case JSON_STRING:
		return val_str(json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return val_num((double)json_integer_value(j));
	case JSON_REAL:
		return val_num(json_real_value(j));
	case JSON_TRUE:
		return val_bool(1);
	case JSON_FALSE:
		return val_bool(0);
	case JSON_OBJECT:
	case JSON_ARRAY:
		v.type = XO_VAL_JSON;
		v.json = j;
		return v;
	default:
		return v;
	}
}

int xo_val_truthy(const struct xo_val *v)
{
	switch (v->type) {
	case XO_VAL_BOOL: return v->b;
	case XO_VAL_NUM: return v->num != 0;
	case XO_VAL_STR: return v->len != 0;
	case XO_VAL_JSON:
		return json_is_array(v->json) ? json_array_size(v->json) != 0
					      : json_object_size(v->json) != 0;
	default: return 0;
	}
}

static void add_digits(struct xo_buf *out, unsigned long long v, int decimals)
{
	char tmp[32];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
		if (n == decimals)
			tmp[n++] = '.';
	} while (v || n <= decimals);
	if (tmp[n - 1] == '.')
		tmp[n++] = '0';
	while (n)
		xo_buf_addc(out, tmp[--n]);
}

void xo_num_to_json(struct xo_buf *out, double num)
{
	if (!isfinite(num)) {
		xo_buf_adds(out, "null");
		return;
	}
	/* Fast paths for the numbers records hold (1460, 0.72, 86.4); each
	 * gives exactly what "%.15g" would: a decimal with at most 15
	 * digits that reads back as the same double. */
	if (fabs(num) < 1e15) {
		if (num == floor(num)) {
			if (num < 0)
				xo_buf_addc(out, '-');
			add_digits(out, (unsigned long long)fabs(num), 0);
			return;
		}
		if (fabs(num) >= 1e-4) {
			double scale = 10;
			for (int k = 1; k <= 6; k++, scale *= 10) {
				double m = nearbyint(num * scale);
				if (fabs(m) < 1e15 && m / scale == num) {
					if (m < 0)
						xo_buf_addc(out, '-');
					add_digits(out, (unsigned long long)fabs(m), k);
					return;
				}
			}
		}
	}
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%.15g", num);
	xo_buf_adds(out, tmp);
}

void xo_val_to_json(struct xo_buf *out, const struct xo_val *v)
{
	switch (v->type) {
	case XO_VAL_BOOL:
		xo_buf_adds(out, v->b ? "true" : "false");
		break;
	case XO_VAL_NUM:
		xo_num_to_json(out, v->num);
		break;
	case XO_VAL_STR:
		xo_buf_add_json_string(out, v->str, v->len);
		break;
	case XO_VAL_JSON: {
		char *text = json_dumps(v->json, JSON_COMPACT | JSON_REAL_PRECISION(15));
		xo_buf_adds(out, text ? text : "null");
		free(text);
		break;
	}
	default:
		xo_buf_adds(out, "null");
	}
}

/* A string holding exactly a decimal number, as exports write them:
 * optional blanks, sign, digits, fraction, exponent. No hex, inf or
 * nan. Locale-independent because the tools keep LC_NUMERIC=C. */
int xo_str_to_num(const char *s, size_t len, double *out)
{
	char tmp[64];
	size_t i = 0, j = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (i == len || len - i >= sizeof tmp)
		return -1;
	size_t start = i;
	if (s[i] == '-' || s[i] == '+')
		i++;
	size_t digits = 0;
	while (i < len && isdigit((unsigned char)s[i]))
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (digits == 0)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == len || !isdigit((unsigned char)s[i]))
			return -1;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i != len)
		return -1;
	for (i = start; i < len; i++)
		tmp[j++] = s[i];
	tmp[j] = '\0';
	*out = strtod(tmp, NULL);
	return isfinite(*out) ? 0 : -1;
}

/* ================================================================
 * Lexer
 * ================================================================ */

static int is_word_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_word(int c)
{
	return isalnum(c) || c == '_';
}

void xo_lex_init(struct xo_lex *lx, const char *src, size_t len, long line)
{
	memset(lx, 0, sizeof *lx);
	lx->src = src;
	lx->len = len;
	lx->line = line;
	xo_lex_next(lx);
}

void xo_lex_free(struct xo_lex *lx)
{
	xo_buf_free(&lx->tok.text);
}

static int peekc(const struct xo_lex *lx, size_t ahead)
{
	return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

static void bad(struct xo_lex *lx, const char *why)
{
	lx->tok.type = XO_TOK_BAD;
	xo_buf_reset(&lx->tok.text);
	xo_buf_adds(&lx->tok.text, why);
}

static void add_utf8(struct xo_buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		xo_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		xo_buf_addc(b, (char)(0xc0 | (cp >> 6)));
		xo_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		xo_buf_addc(b, (char)(0xe0 | (cp >> 12)));
		xo_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		xo_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		xo_buf_addc(b, (char)(0xf0 | (cp >> 18)));
		xo_buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		xo_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		xo_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static int hex4(struct xo_lex *lx, unsigned long *cp)
{
	*cp = 0;
	for (int i = 0; i < 4; i++) {
		int c = peekc(lx, 0);
		if (c < 0 || !isxdigit(c))
			return -1;
		*cp = *cp * 16 + (unsigned long)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
		lx->pos++;
	}
	return 0;
}

static void lex_string(struct xo_lex *lx)
{
	char quote = lx->src[lx->pos++];
	struct xo_buf *b = &lx->tok.text;
	lx->tok.type = XO_TOK_STRING;
	for (;;) {
		int c = peekc(lx, 0);
		if (c < 0 || c == '\n') {
			bad(lx, "unterminated string");
			return;
		}
		lx->pos++;
		if (c == quote)
			break;
		if (c != '\\') {
			xo_buf_addc(b, (char)c);
			continue;
		}
		c = peekc(lx, 0);
		lx->pos++;
		unsigned long cp;
		switch (c) {
		case 'n': xo_buf_addc(b, '\n'); break;
		case 't': xo_buf_addc(b, '\t'); break;
		case 'r': xo_buf_addc(b, '\r'); break;
		case 'b': xo_buf_addc(b, '\b'); break;
		case 'f': xo_buf_addc(b, '\f'); break;
		case '/': case '\\': case '"': case '\'':
			xo_buf_addc(b, (char)c);
			break;
		case 'u':
			if (hex4(lx, &cp) != 0) {
				bad(lx, "bad \\u escape: expected 4 hex digits");
				return;
			}
			if (cp >= 0xd800 && cp < 0xdc00 && peekc(lx, 0) == '\\' && peekc(lx, 1) == 'u') {
				unsigned long lo;
				lx->pos += 2;
				if (hex4(lx, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) {
					bad(lx, "bad \\u escape: unpaired surrogate");
					return;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xd800 && cp < 0xe000) {
				bad(lx, "bad \\u escape: unpaired surrogate");
				return;
			}
			add_utf8(b, cp);
			break;
		default:
			bad(lx, "unknown escape in string (use \\\\ for a backslash)");
			return;
		}
	}
	if (xo_utf8_check(b->data ? b->data : "", b->len) != b->len)
		bad(lx, "string is not valid UTF-8");
}

static void lex_number(struct xo_lex *lx)
{
	size_t start = lx->pos;
	while (isdigit(peekc(lx, 0)))
		lx->pos++;
	if (peekc(lx, 0) == '.' && isdigit(peekc(lx, 1))) {
		lx->pos++;
		while (isdigit(peekc(lx, 0)))
			lx->pos++;
	}
	if ((peekc(lx, 0) == 'e' || peekc(lx, 0) == 'E') &&
	    (isdigit(peekc(lx, 1)) || ((peekc(lx, 1) == '-' || peekc(lx, 1) == '+') && isdigit(peekc(lx, 2))))) {
		lx->pos += 2;
		while (isdigit(peekc(lx, 0)))
			lx->pos++;
	}
	double n;
	if (xo_str_to_num(lx->src + start, lx->pos - start, &n) != 0) {
		bad(lx, "number out of range");
		return;
	}
	lx->tok.type = XO_TOK_NUMBER;
	lx->tok.num = n;
	/* A unit glued to the number: 48h, 30d, 15m. */
	size_t u = 0;
	while (is_word(peekc(lx, 0))) {
		if (u + 1 >= sizeof lx->tok.unit) {
			bad(lx, "unknown unit after a number");
			return;
		}
		lx->tok.unit[u++] = (char)lx->src[lx->pos++];
	}
	lx->tok.unit[u] = '\0';
}

/* ["key"] or [N] or [-N] right after a path; 1 when consumed. */
static int lex_bracket(struct xo_lex *lx)
{
	size_t p = lx->pos + 1;
	if (p < lx->len && lx->src[p] == '"') {
		for (p++; p < lx->len && lx->src[p] != '"' && lx->src[p] != '\n'; p++)
			if (lx->src[p] == '\\')
				p++;
		if (p + 1 < lx->len && lx->src[p] == '"' && lx->src[p + 1] == ']') {
			xo_buf_add(&lx->tok.text, lx->src + lx->pos, p + 2 - lx->pos);
			lx->pos = p + 2;
			return 1;
		}
		return 0;
	}
	if (p < lx->len && lx->src[p] == '-')
		p++;
	size_t digits = p;
	while (p < lx->len && isdigit((unsigned char)lx->src[p]))
		p++;
	if (p == digits || p >= lx->len || lx->src[p] != ']')
		return 0;
	xo_buf_add(&lx->tok.text, lx->src + lx->pos, p + 1 - lx->pos);
	lx->pos = p + 1;
	return 1;
}

static const struct {
	const char *word;
	enum xo_tok_type type;
} keywords[] = {
	{ "and", XO_TOK_AND }, { "or", XO_TOK_OR }, { "not", XO_TOK_NOT },
	{ "in", XO_TOK_IN }, { "true", XO_TOK_TRUE }, { "false", XO_TOK_FALSE },
	{ "null", XO_TOK_NULL },
};

static void lex_word(struct xo_lex *lx)
{
	struct xo_buf *t = &lx->tok.text;
	int plain = 1;
	if (lx->src[lx->pos] == '.') {
		lx->pos++; /* jq style ".cx.nps" */
		plain = 0;
	}
	size_t start = lx->pos;
	while (is_word(peekc(lx, 0)))
		lx->pos++;
	xo_buf_add(t, lx->src + start, lx->pos - start);
	for (;;) {
		int c = peekc(lx, 0);
		if (c == '.' && is_word(peekc(lx, 1))) {
			size_t s = lx->pos++;
			while (is_word(peekc(lx, 0)))
				lx->pos++;
			xo_buf_add(t, lx->src + s, lx->pos - s);
			plain = 0;
		} else if (c == '[' && lex_bracket(lx)) {
			plain = 0;
		} else {
			break;
		}
	}
	lx->tok.type = XO_TOK_PATH;
	if (!plain)
		return;
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
		if (strcmp(t->data, keywords[i].word) == 0) {
			lx->tok.type = keywords[i].type;
			return;
		}
	}
	lx->tok.type = XO_TOK_IDENT;
}

static int lex_op(struct xo_lex *lx, int c)
{
	int d = peekc(lx, 1);
	struct { char a, b; enum xo_tok_type type; } two[] = {
		{ '=', '=', XO_TOK_EQ }, { '!', '=', XO_TOK_NE }, { '<', '=', XO_TOK_LE },
		{ '>', '=', XO_TOK_GE }, { '=', '~', XO_TOK_MATCH }, { '!', '~', XO_TOK_NOMATCH },
		{ '&', '&', XO_TOK_AND }, { '|', '|', XO_TOK_OR },
	};
	for (size_t i = 0; i < sizeof two / sizeof two[0]; i++) {
		if (c == two[i].a && d == two[i].b) {
			lx->tok.type = two[i].type;
			lx->pos += 2;
			return 1;
		}
	}
	const char *one = "()[],+-*/%<>!";
	static const enum xo_tok_type types[] = {
		XO_TOK_LPAREN, XO_TOK_RPAREN, XO_TOK_LBRACKET, XO_TOK_RBRACKET, XO_TOK_COMMA,
		XO_TOK_PLUS, XO_TOK_MINUS, XO_TOK_STAR, XO_TOK_SLASH, XO_TOK_PERCENT,
		XO_TOK_LT, XO_TOK_GT, XO_TOK_NOT,
	};
	const char *at = c > 0 ? strchr(one, c) : NULL;
	if (!at)
		return 0;
	lx->tok.type = types[at - one];
	lx->pos++;
	return 1;
}

void xo_lex_next(struct xo_lex *lx)
{
	struct xo_tok *t = &lx->tok;
	xo_buf_reset(&t->text);
	t->unit[0] = '\0';
	for (;;) {
		int c = peekc(lx, 0);
		if (c == ' ' || c == '\t' || c == '\r') {
			lx->pos++;
		} else if (c == '#') {
			while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
				lx->pos++;
		} else if (c == '\\' && (peekc(lx, 1) == '\n' ||
					 (peekc(lx, 1) == '\r' && peekc(lx, 2) == '\n'))) {
			lx->pos += peekc(lx, 1) == '\n' ? 2 : 3;
			lx->line++;
			lx->line_start = lx->pos;
		} else {
			break;
		}
	}
	t->start = lx->pos;
	t->line = lx->line;
	t->col = (long)(lx->pos - lx->line_start) + 1;
	int c = peekc(lx, 0);
	if (c < 0) {
		t->type = XO_TOK_EOF;
	} else if (c == '\n') {
		t->type = XO_TOK_NEWLINE;
		lx->pos++;
		lx->line++;
		lx->line_start = lx->pos;
	} else if (c == '"' || c == '\'') {
		lex_string(lx);
	} else if (isdigit(c) || (c == '.' && isdigit(peekc(lx, 1)))) {
		lex_number(lx);
	} else if (is_word_start(c) || (c == '.' && is_word_start(peekc(lx, 1)))) {
		lex_word(lx);
	} else if (c == '$' && is_word_start(peekc(lx, 1))) {
		size_t s = ++lx->pos;
		while (is_word(peekc(lx, 0)))
			lx->pos++;
		t->type = XO_TOK_VAR;
		xo_buf_add(&t->text, lx->src + s, lx->pos - s);
	} else if (!lex_op(lx, c)) {
		lx->pos++;
		if (c == '=')
			bad(lx, "'=' is not an operator (use == to compare)");
		else if (c >= 0x80)
			bad(lx, "unexpected non-ASCII character");
		else
			bad(lx, "unexpected character");
		if (c >= 0x20 && c < 0x7f && c != '=')
			xo_buf_printf(&t->text, " '%c'", c);
	}
	t->end = lx->pos;
}

const char *xo_tok_describe(const struct xo_tok *t, struct xo_buf *s)
{
	xo_buf_reset(s);
	switch (t->type) {
	case XO_TOK_EOF: return "end of input";
	case XO_TOK_NEWLINE: return "end of line";
	case XO_TOK_NUMBER: return "a number";
	case XO_TOK_STRING: return "a string";
	case XO_TOK_PATH:
	case XO_TOK_IDENT:
		xo_buf_printf(s, "'%s'", xo_buf_str(&t->text));
		return xo_buf_str(s);
	case XO_TOK_VAR:
		xo_buf_printf(s, "'$%s'", xo_buf_str(&t->text));
		return xo_buf_str(s);
	case XO_TOK_BAD:
		return xo_buf_str(&t->text);
	default:
		break;
	}
	static const char *const ops[] = {
		[XO_TOK_AND] = "'and'", [XO_TOK_OR] = "'or'", [XO_TOK_NOT] = "'not'",
		[XO_TOK_IN] = "'in'", [XO_TOK_TRUE] = "'true'", [XO_TOK_FALSE] = "'false'",
		[XO_TOK_NULL] = "'null'", [XO_TOK_LPAREN] = "'('", [XO_TOK_RPAREN] = "')'",
		[XO_TOK_LBRACKET] = "'['", [XO_TOK_RBRACKET] = "']'", [XO_TOK_COMMA] = "','",
		[XO_TOK_PLUS] = "'+'", [XO_TOK_MINUS] = "'-'", [XO_TOK_STAR] = "'*'",
		[XO_TOK_SLASH] = "'/'", [XO_TOK_PERCENT] = "'%'", [XO_TOK_EQ] = "'=='",
		[XO_TOK_NE] = "'!='", [XO_TOK_LT] = "'<'", [XO_TOK_LE] = "'<='",
		[XO_TOK_GT] = "'>'", [XO_TOK_GE] = "'>='", [XO_TOK_MATCH] = "'=~'",
		[XO_TOK_NOMATCH] = "'!~'",
	};
	return ops[t->type] ? ops[t->type] : "a token";
}

/* ================================================================
 * Trees
 * ================================================================ */

enum op {
	N_CONST, N_PATH, N_VAR, N_LIST, N_AND, N_OR, N_NOT, N_NEG,
	N_ADD, N_SUB, N_MUL, N_DIV, N_MOD,
	N_EQ, N_NE, N_LT, N_LE, N_GT, N_GE, N_IN, N_MATCH, N_NOMATCH, N_CALL,
};

struct node;
typedef struct xo_val (*func_fn)(const struct node *n, struct xo_expr_ctx *c);

struct func {
	const char *name;
	int min_args, max_args; /* max -1: any */
	func_fn fn;
	int pattern_arg;        /* 1: the first argument is a step pattern */
	int timed;              /* depends on the clock */
};

struct node {
	enum op op;
	size_t start, end;   /* span in the source */
	long line, col;
	struct xo_val k;     /* N_CONST; strings point into kstr */
	char *kstr;
	size_t slot;         /* N_PATH, N_VAR */
	struct node **kids;
	size_t n_kids;
	const struct func *fn;
	struct xo_rx *rx;    /* N_MATCH, N_NOMATCH, pattern functions */
	size_t steps_slot;   /* pattern functions: the "steps" path */
	size_t rx_id;        /* pattern functions: their token cache in a context */
	unsigned height;     /* 1 for a leaf: bounds the recursion of eval() */
};

struct path_slot {
	char *text;
	struct xo_path *path;
};

struct xo_expr_env {
	size_t n_rx;         /* pattern functions, each with a token cache */
	struct path_slot *paths;
	size_t n_paths, cap_paths;
	char **vars;
	size_t n_vars, cap_vars;
};

struct xo_expr {
	struct node *root;
	char *text;
	long line, col;
	const struct xo_expr_env *env;
};

struct xo_expr_env *xo_expr_env_new(void)
{
	return xo_calloc(1, sizeof(struct xo_expr_env));
}

int xo_expr_env_var(struct xo_expr_env *env, const char *name)
{
	for (size_t i = 0; i < env->n_vars; i++)
		if (strcmp(env->vars[i], name) == 0)
			return (int)i;
	env->vars = xo_grow(env->vars, &env->cap_vars, env->n_vars + 1, sizeof *env->vars);
	env->vars[env->n_vars] = xo_strdup(name);
	return (int)env->n_vars++;
}

size_t xo_expr_env_paths(const struct xo_expr_env *env)
{
	return env->n_paths;
}

void xo_expr_env_free(struct xo_expr_env *env)
{
	if (!env)
		return;
	for (size_t i = 0; i < env->n_paths; i++) {
		free(env->paths[i].text);
		xo_path_free(env->paths[i].path);
	}
	for (size_t i = 0; i < env->n_vars; i++)
		free(env->vars[i]);
	free(env->paths);
	free(env->vars);
	free(env);
}

/* The slot of a path, added when new; -1 with err on a bad path. */
static long env_path(struct xo_expr_env *env, const char *text, struct xo_buf *err)
{
	for (size_t i = 0; i < env->n_paths; i++)
		if (strcmp(env->paths[i].text, text) == 0)
			return (long)i;
	struct xo_path *p = xo_path_compile(text, err);
	if (!p)
		return -1;
	env->paths = xo_grow(env->paths, &env->cap_paths, env->n_paths + 1, sizeof *env->paths);
	env->paths[env->n_paths].text = xo_strdup(text);
	env->paths[env->n_paths].path = p;
	return (long)env->n_paths++;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_kids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->kstr);
	xo_rx_free(n->rx);
	free(n);
}

void xo_expr_free(struct xo_expr *e)
{
	if (!e)
		return;
	node_free(e->root);
	free(e->text);
	free(e);
}

/* ================================================================
 * Parser
 * ================================================================ */

/* Deeper expressions are refused: evaluation recurses once a level. */
#define MAX_HEIGHT 200

struct parser {
	int nest;             /* recursion of the parser itself */
	struct xo_expr_env *env;
	struct xo_lex *lx;
	struct xo_buf *err;
	int depth;            /* inside ( ) or [ ]: newlines are blanks */
	int columns_only;     /* messages say "column N" (one-line input) */
	size_t prev_end;
	struct xo_buf scratch;
	int failed;
};

static const struct xo_tok *cur(struct parser *p)
{
	return &p->lx->tok;
}

static void advance(struct parser *p)
{
	p->prev_end = cur(p)->end;
	xo_lex_next(p->lx);
	while (cur(p)->type == XO_TOK_NEWLINE && p->depth > 0)
		xo_lex_next(p->lx);
}

/* After a binary operator the operand may be on the next line. */
static void skip_newlines(struct parser *p)
{
	while (cur(p)->type == XO_TOK_NEWLINE)
		xo_lex_next(p->lx);
}

static void fail_at(struct parser *p, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail_at(struct parser *p, long line, long col, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	xo_buf_reset(p->err);
	if (p->columns_only)
		xo_buf_printf(p->err, "column %ld: ", col);
	else
		xo_buf_printf(p->err, "%ld:%ld: ", line, col);
	va_list ap;
	va_start(ap, fmt);
	xo_buf_vprintf(p->err, fmt, ap);
	va_end(ap);
}

static void expected(struct parser *p, const char *what)
{
	const struct xo_tok *t = cur(p);
	if (t->type == XO_TOK_BAD)
		fail_at(p, t->line, t->col, "%s", xo_buf_str(&t->text));
	else
		fail_at(p, t->line, t->col, "expected %s, found %s", what,
			xo_tok_describe(t, &p->scratch));
}

static struct node *new_node(struct parser *p, enum op op, const struct xo_tok *at)
{
	struct node *n = xo_calloc(1, sizeof *n);
	n->op = op;
	n->start = at->start;
	n->end = at->end;
	n->line = at->line;
	n->col = at->col;
	n->height = 1;
	(void)p;
	return n;
}

static void add_kid(struct node *n, struct node *kid)
{
	n->kids = xo_realloc(n->kids, (n->n_kids + 1) * sizeof *n->kids);
	n->kids[n->n_kids++] = kid;
	if (kid->height + 1 > n->height)
		n->height = kid->height + 1;
}

static struct node *binary(enum op op, struct node *l, struct node *r)
{
	struct node *n = xo_calloc(1, sizeof *n);
	n->op = op;
	n->start = l->start;
	n->end = r->end;
	n->line = l->line;
	n->col = l->col;
	add_kid(n, l);
	add_kid(n, r);
	return n;
}

static struct node *parse_or(struct parser *p);
static int too_deep(struct parser *p);

/* Functions; defined with the evaluator below. */
static const struct func *find_func(const char *name);

static struct node *parse_call(struct parser *p)
{
	struct xo_tok at = *cur(p);
	memset(&at.text, 0, sizeof at.text);
	const struct func *f = find_func(xo_buf_str(&cur(p)->text));
	if (!f) {
		fail_at(p, at.line, at.col, "unknown function '%s'", xo_buf_str(&cur(p)->text));
		return NULL;
	}
	struct node *n = new_node(p, N_CALL, &at);
	n->fn = f;
	advance(p); /* name */
	p->depth++;
	advance(p); /* ( */
	while (cur(p)->type != XO_TOK_RPAREN) {
		if (n->n_kids > 0) {
			if (cur(p)->type != XO_TOK_COMMA) {
				expected(p, "',' or ')'");
				goto fail;
			}
			advance(p);
		}
		struct node *arg = parse_or(p);
		if (!arg)
			goto fail;
		add_kid(n, arg);
	}
	p->depth--;
	n->end = cur(p)->end;
	if ((int)n->n_kids < f->min_args || (f->max_args >= 0 && (int)n->n_kids > f->max_args)) {
		if (f->min_args == f->max_args)
			fail_at(p, at.line, at.col, "%s() takes %d argument%s, not %zu", f->name,
				f->min_args, f->min_args == 1 ? "" : "s", n->n_kids);
		else if (f->max_args < 0)
			fail_at(p, at.line, at.col, "%s() takes at least %d argument%s", f->name,
				f->min_args, f->min_args == 1 ? "" : "s");
		else
			fail_at(p, at.line, at.col, "%s() takes %d to %d arguments, not %zu",
				f->name, f->min_args, f->max_args, n->n_kids);
		goto fail_after;
	}
	if (strcmp(f->name, "exists") == 0 && n->kids[0]->op != N_PATH) {
		fail_at(p, n->kids[0]->line, n->kids[0]->col, "exists() takes a field path");
		goto fail_after;
	}
	if (f->pattern_arg) {
		struct node *pat = n->kids[0];
		if (pat->op != N_CONST || pat->k.type != XO_VAL_STR) {
			fail_at(p, pat->line, pat->col, "%s() takes a pattern in quotes", f->name);
			goto fail_after;
		}
		xo_buf_reset(&p->scratch);
		n->rx = xo_rx_compile(pat->kstr, PCRE2_ANCHORED | PCRE2_ENDANCHORED, &p->scratch);
		if (!n->rx) {
			fail_at(p, pat->line, pat->col, "bad pattern: %s", xo_buf_str(&p->scratch));
			goto fail_after;
		}
		long slot = env_path(p->env, "steps", &p->scratch);
		n->steps_slot = (size_t)slot;
		n->rx_id = p->env->n_rx++;
	}
	advance(p); /* ) */
	return n;
fail:
	p->depth--;
fail_after:
	node_free(n);
	return NULL;
}

static struct node *parse_list(struct parser *p)
{
	struct node *n = new_node(p, N_LIST, cur(p));
	p->depth++;
	advance(p);
	while (cur(p)->type != XO_TOK_RBRACKET) {
		if (n->n_kids > 0) {
			if (cur(p)->type != XO_TOK_COMMA) {
				expected(p, "',' or ']'");
				goto fail;
			}
			advance(p);
		}
		struct node *item = parse_or(p);
		if (!item)
			goto fail;
		add_kid(n, item);
	}
	p->depth--;
	n->end = cur(p)->end;
	advance(p);
	return n;
fail:
	p->depth--;
	node_free(n);
	return NULL;
}

static struct node *parse_primary(struct parser *p)
{
	const struct xo_tok *t = cur(p);
	struct node *n;
	switch (t->type) {
	case XO_TOK_NUMBER:
		if (t->unit[0]) {
			fail_at(p, t->line, t->col, "unexpected unit '%s' after a number", t->unit);
			return NULL;
		}
		n = new_node(p, N_CONST, t);
		n->k = val_num(t->num);
		advance(p);
		return n;
	case XO_TOK_STRING:
		n = new_node(p, N_CONST, t);
		n->kstr = xo_strndup(t->text.data ? t->text.data : "", t->text.len);
		n->k = val_str(n->kstr, t->text.len);
		advance(p);
		return n;
	case XO_TOK_TRUE:
	case XO_TOK_FALSE:
		n = new_node(p, N_CONST, t);
		n->k = val_bool(t->type == XO_TOK_TRUE);
		advance(p);
		return n;
	case XO_TOK_NULL:
		n = new_node(p, N_CONST, t);
		advance(p);
		return n;
	case XO_TOK_IDENT:
		/* A plain word is a function when "(" follows, else a field. */
		if (p->lx->pos < p->lx->len) {
			size_t q = p->lx->pos;
			while (q < p->lx->len && (p->lx->src[q] == ' ' || p->lx->src[q] == '\t'))
				q++;
			if (q < p->lx->len && p->lx->src[q] == '(')
				return parse_call(p);
		}
		/* fall through */
	case XO_TOK_PATH: {
		xo_buf_reset(&p->scratch);
		long slot = env_path(p->env, xo_buf_str(&t->text), &p->scratch);
		if (slot < 0) {
			fail_at(p, t->line, t->col, "bad field path: %s", xo_buf_str(&p->scratch));
			return NULL;
		}
		n = new_node(p, N_PATH, t);
		n->slot = (size_t)slot;
		advance(p);
		return n;
	}
	case XO_TOK_VAR: {
		const struct xo_expr_env *env = p->env;
		for (size_t i = 0; i < env->n_vars; i++) {
			if (strcmp(env->vars[i], xo_buf_str(&t->text)) == 0) {
				n = new_node(p, N_VAR, t);
				n->slot = i;
				advance(p);
				return n;
			}
		}
		xo_buf_reset(&p->scratch);
		for (size_t i = 0; i < env->n_vars; i++)
			xo_buf_printf(&p->scratch, "%s$%s", i ? ", " : "", env->vars[i]);
		fail_at(p, t->line, t->col, "unknown variable $%s (%s%s)", xo_buf_str(&t->text),
			env->n_vars ? "known: " : "none is known here",
			xo_buf_str(&p->scratch));
		return NULL;
	}
	case XO_TOK_LPAREN: {
		p->depth++;
		advance(p);
		n = parse_or(p);
		p->depth--;
		if (!n)
			return NULL;
		if (cur(p)->type != XO_TOK_RPAREN) {
			expected(p, "')'");
			node_free(n);
			return NULL;
		}
		advance(p);
		return n;
	}
	case XO_TOK_LBRACKET:
		return parse_list(p);
	default:
		expected(p, "a value, a field or '('");
		return NULL;
	}
}

static struct node *parse_unary(struct parser *p)
{
	if (cur(p)->type == XO_TOK_MINUS) {
		if (too_deep(p))
			return NULL;
		struct xo_tok at = *cur(p);
		advance(p);
		p->nest++;
		struct node *kid = parse_unary(p);
		p->nest--;
		if (!kid)
			return NULL;
		if (kid->op == N_CONST && kid->k.type == XO_VAL_NUM) {
			kid->k.num = -kid->k.num;
			kid->start = at.start;
			kid->line = at.line;
			kid->col = at.col;
			return kid;
		}
		struct node *n = xo_calloc(1, sizeof *n);
		n->op = N_NEG;
		n->start = at.start;
		n->end = kid->end;
		n->line = at.line;
		n->col = at.col;
		add_kid(n, kid);
		return n;
	}
	return parse_primary(p);
}

typedef struct node *(*parse_fn)(struct parser *p);

/* Left-associative binary levels. */
static struct node *parse_level(struct parser *p, parse_fn next, const enum xo_tok_type *toks,
				const enum op *ops, size_t n_ops)
{
	struct node *l = next(p);
	while (l) {
		size_t i;
		for (i = 0; i < n_ops; i++)
			if (cur(p)->type == toks[i])
				break;
		if (i == n_ops)
			return l;
		advance(p);
		skip_newlines(p);
		struct node *r = next(p);
		if (!r) {
			node_free(l);
			return NULL;
		}
		l = binary(ops[i], l, r);
		if (l->height > MAX_HEIGHT) {
			fail_at(p, l->line, l->col, "expression nested too deeply (more than %d levels)",
				MAX_HEIGHT);
			node_free(l);
			return NULL;
		}
	}
	return l;
}

static struct node *parse_mul(struct parser *p)
{
	static const enum xo_tok_type toks[] = { XO_TOK_STAR, XO_TOK_SLASH, XO_TOK_PERCENT };
	static const enum op ops[] = { N_MUL, N_DIV, N_MOD };
	return parse_level(p, parse_unary, toks, ops, 3);
}

static struct node *parse_add(struct parser *p)
{
	static const enum xo_tok_type toks[] = { XO_TOK_PLUS, XO_TOK_MINUS };
	static const enum op ops[] = { N_ADD, N_SUB };
	return parse_level(p, parse_mul, toks, ops, 2);
}

static struct node *parse_cmp(struct parser *p)
{
	static const enum xo_tok_type toks[] = {
		XO_TOK_EQ, XO_TOK_NE, XO_TOK_LT, XO_TOK_LE, XO_TOK_GT, XO_TOK_GE,
		XO_TOK_IN, XO_TOK_MATCH, XO_TOK_NOMATCH,
	};
	static const enum op ops[] = { N_EQ, N_NE, N_LT, N_LE, N_GT, N_GE, N_IN, N_MATCH, N_NOMATCH };
	struct node *l = parse_add(p);
	if (!l)
		return NULL;
	size_t i;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (cur(p)->type == toks[i])
			break;
	if (i == sizeof ops / sizeof ops[0])
		return l;
	advance(p);
	skip_newlines(p);
	struct node *r = parse_add(p);
	if (!r) {
		node_free(l);
		return NULL;
	}
	struct node *n = binary(ops[i], l, r);
	if (ops[i] == N_MATCH || ops[i] == N_NOMATCH) {
		if (r->op != N_CONST || r->k.type != XO_VAL_STR) {
			fail_at(p, r->line, r->col, "expected a pattern in quotes after '%s'",
				ops[i] == N_MATCH ? "=~" : "!~");
			node_free(n);
			return NULL;
		}
		xo_buf_reset(&p->scratch);
		n->rx = xo_rx_compile(r->kstr, 0, &p->scratch);
		if (!n->rx) {
			fail_at(p, r->line, r->col, "bad pattern: %s", xo_buf_str(&p->scratch));
			node_free(n);
			return NULL;
		}
	}
	/* a == b == c reads as a mistake; say so. */
	for (size_t j = 0; j < sizeof ops / sizeof ops[0]; j++) {
		if (cur(p)->type == toks[j]) {
			fail_at(p, cur(p)->line, cur(p)->col,
				"comparisons do not chain; use 'and' or parentheses");
			node_free(n);
			return NULL;
		}
	}
	return n;
}

static struct node *parse_not(struct parser *p)
{
	if (cur(p)->type == XO_TOK_NOT) {
		if (too_deep(p))
			return NULL;
		struct xo_tok at = *cur(p);
		memset(&at.text, 0, sizeof at.text);
		advance(p);
		skip_newlines(p);
		p->nest++;
		struct node *kid = parse_not(p);
		p->nest--;
		if (!kid)
			return NULL;
		struct node *n = new_node(p, N_NOT, &at);
		n->end = kid->end;
		add_kid(n, kid);
		return n;
	}
	return parse_cmp(p);
}

static struct node *parse_and(struct parser *p)
{
	static const enum xo_tok_type toks[] = { XO_TOK_AND };
	static const enum op ops[] = { N_AND };
	return parse_level(p, parse_not, toks, ops, 1);
}

static int too_deep(struct parser *p)
{
	if (p->nest <= MAX_HEIGHT)
		return 0;
	fail_at(p, cur(p)->line, cur(p)->col, "expression nested too deeply (more than %d levels)",
		MAX_HEIGHT);
	return 1;
}

static struct node *parse_or(struct parser *p)
{
	static const enum xo_tok_type toks[] = { XO_TOK_OR };
	static const enum op ops[] = { N_OR };
	p->nest++;
	struct node *n = too_deep(p) ? NULL : parse_level(p, parse_and, toks, ops, 1);
	p->nest--;
	if (!n && !p->failed)
		expected(p, "an expression");
	return n;
}

/* Lists evaluate only after 'in'. */
static int check_lists(struct parser *p, const struct node *n, int allowed)
{
	if (n->op == N_LIST && !allowed) {
		fail_at(p, n->line, n->col, "a list [...] can only stand after 'in'");
		return -1;
	}
	for (size_t i = 0; i < n->n_kids; i++)
		if (check_lists(p, n->kids[i], n->op == N_IN && i == 1) != 0)
			return -1;
	return 0;
}

static struct xo_expr *make_expr(const struct xo_expr_env *env, struct node *root, const char *src)
{
	struct xo_expr *e = xo_calloc(1, sizeof *e);
	e->root = root;
	e->env = env;
	e->text = xo_strndup(src + root->start, root->end - root->start);
	e->line = root->line;
	e->col = root->col;
	return e;
}

static struct xo_expr *parse_top(struct xo_expr_env *env, struct xo_lex *lx,
				 struct xo_buf *err, int columns_only)
{
	struct parser p = { 0 };
	p.env = env;
	p.lx = lx;
	p.err = err;
	p.columns_only = columns_only;
	struct node *root = parse_or(&p);
	if (root && check_lists(&p, root, 0) != 0) {
		node_free(root);
		root = NULL;
	}
	xo_buf_free(&p.scratch);
	if (!root)
		return NULL;
	return make_expr(env, root, lx->src);
}

struct xo_expr *xo_expr_parse_lex(struct xo_expr_env *env, struct xo_lex *lx, struct xo_buf *err)
{
	return parse_top(env, lx, err, 0);
}

struct xo_expr *xo_expr_parse(struct xo_expr_env *env, const char *text, struct xo_buf *err)
{
	struct xo_lex lx;
	xo_lex_init(&lx, text, strlen(text), 1);
	struct xo_expr *e = parse_top(env, &lx, err, 1);
	if (e && lx.tok.type != XO_TOK_EOF) {
		struct xo_buf s = XO_BUF_INIT;
		xo_buf_reset(err);
		if (lx.tok.type == XO_TOK_BAD)
			xo_buf_printf(err, "column %ld: %s", lx.tok.col, xo_buf_str(&lx.tok.text));
		else
			xo_buf_printf(err, "column %ld: expected an operator or the end, found %s",
				      lx.tok.col, xo_tok_describe(&lx.tok, &s));
		xo_buf_free(&s);
		xo_expr_free(e);
		e = NULL;
	}
	xo_lex_free(&lx);
	return e;
}

const char *xo_expr_text(const struct xo_expr *e)
{
	return e->text;
}

long xo_expr_line(const struct xo_expr *e)
{
	return e->line;
}

long xo_expr_col(const struct xo_expr *e)
{
	return e->col;
}

static int node_const(const struct node *n)
{
	if (n->op == N_PATH || n->op == N_VAR || (n->op == N_CALL && (n->fn->timed || n->rx)))
		return 0;
	for (size_t i = 0; i < n->n_kids; i++)
		if (!node_const(n->kids[i]))
			return 0;
	return 1;
}

int xo_expr_is_const(const struct xo_expr *e)
{
	return node_const(e->root);
}

static int node_uses_vars(const struct node *n)
{
	if (n->op == N_VAR)
		return 1;
	for (size_t i = 0; i < n->n_kids; i++)
		if (node_uses_vars(n->kids[i]))
			return 1;
	return 0;
}

int xo_expr_uses_vars(const struct xo_expr *e)
{
	return node_uses_vars(e->root);
}

const char *xo_expr_as_path(const struct xo_expr *e)
{
	return e->root->op == N_PATH ? e->env->paths[e->root->slot].text : NULL;
}

static void collect_and(struct node *n, struct node ***out, size_t *count, size_t *cap)
{
	if (n->op == N_AND) {
		collect_and(n->kids[0], out, count, cap);
		collect_and(n->kids[1], out, count, cap);
		n->n_kids = 0; /* the kids move out */
		node_free(n);
		return;
	}
	*out = xo_grow(*out, cap, *count + 1, sizeof **out);
	(*out)[(*count)++] = n;
}

void xo_expr_split_and(struct xo_expr *e, struct xo_expr ***parts, size_t *n)
{
	struct node **nodes = NULL;
	size_t count = 0, cap = 0;
	/* Offsets are into e->text now; rebase them to its start. */
	size_t base = e->root->start;
	collect_and(e->root, &nodes, &count, &cap);
	*parts = xo_malloc(count * sizeof **parts);
	for (size_t i = 0; i < count; i++) {
		struct xo_expr *part = xo_calloc(1, sizeof *part);
		part->root = nodes[i];
		part->env = e->env;
		part->text = xo_strndup(e->text + (nodes[i]->start - base),
					nodes[i]->end - nodes[i]->start);
		part->line = nodes[i]->line;
		part->col = nodes[i]->col;
		(*parts)[i] = part;
	}
	*n = count;
	free(nodes);
	free(e->text);
	free(e);
}

static void each_path(const struct node *n, const struct xo_expr_env *env, unsigned char *seen,
		      void (*fn)(const char *, size_t, void *), void *arg)
{
	if (n->op == N_PATH && !seen[n->slot]) {
		seen[n->slot] = 1;
		fn(env->paths[n->slot].text, n->slot, arg);
	}
	for (size_t i = 0; i < n->n_kids; i++)
		each_path(n->kids[i], env, seen, fn, arg);
}

void xo_expr_each_path(const struct xo_expr *e,
		       void (*fn)(const char *path, size_t slot, void *arg), void *arg)
{
	unsigned char *seen = xo_calloc(e->env->n_paths + 1, 1);
	each_path(e->root, e->env, seen, fn, arg);
	free(seen);
}

/* ================================================================
 * Evaluation
 * ================================================================ */

struct xo_expr_ctx {
	const struct xo_expr_env *env;
	const json_t *root;
	xo_time_t now;
	/* Path cache: slot i holds a lookup made in generation gen[i]. */
	const json_t **cache;
	unsigned *gen;
	size_t n_cache;
	unsigned generation;
	struct xo_val *vars;
	size_t n_vars;
	/* Strings made during evaluation; freed at reset. */
	char **scratch;
	size_t n_scratch, cap_scratch;
	struct xo_buf error;
	struct xo_buf tmp;
	/* The instants of the current record's steps, parsed once. */
	xo_time_t *step_ts;
	unsigned char *step_has_ts;
	size_t cap_step_ts;
	const json_t *step_ts_of;
	unsigned step_ts_gen;
	/* Per pattern function: tokens already matched (journeys use few). */
	struct token_cache *token_caches;
	size_t n_token_caches;
};

#define TOKEN_CACHE_SIZE 64

struct token_cache {
	struct {
		char *token;        /* owned; NULL when empty */
		size_t len;
		enum xo_rx_result result;
	} slot[TOKEN_CACHE_SIZE];
};

struct xo_expr_ctx *xo_expr_ctx_new(const struct xo_expr_env *env)
{
	struct xo_expr_ctx *c = xo_calloc(1, sizeof *c);
	c->env = env;
	c->generation = 1;
	return c;
}

static void free_scratch(struct xo_expr_ctx *c)
{
	for (size_t i = 0; i < c->n_scratch; i++)
		free(c->scratch[i]);
	c->n_scratch = 0;
}

void xo_expr_ctx_reset(struct xo_expr_ctx *c, const json_t *root, xo_time_t now)
{
	c->root = root;
	c->now = now;
	free_scratch(c);
	xo_buf_reset(&c->error);
	/* The environment may have grown since the context was made. */
	if (c->n_cache < c->env->n_paths) {
		c->cache = xo_realloc(c->cache, c->env->n_paths * sizeof *c->cache);
		c->gen = xo_realloc(c->gen, c->env->n_paths * sizeof *c->gen);
		for (size_t i = c->n_cache; i < c->env->n_paths; i++)
			c->gen[i] = 0;
		c->n_cache = c->env->n_paths;
	}
	if (++c->generation == 0) {
		memset(c->gen, 0, c->n_cache * sizeof *c->gen);
		c->step_ts_gen = 0;
		c->generation = 1;
	}
}

void xo_expr_ctx_set_var(struct xo_expr_ctx *c, int var, struct xo_val v)
{
	if ((size_t)var >= c->n_vars) {
		size_t n = c->env->n_vars > (size_t)var ? c->env->n_vars : (size_t)var + 1;
		c->vars = xo_realloc(c->vars, n * sizeof *c->vars);
		for (size_t i = c->n_vars; i < n; i++)
			c->vars[i] = val_null;
		c->n_vars = n;
	}
	c->vars[var] = v;
}

void xo_expr_ctx_free(struct xo_expr_ctx *c)
{
	if (!c)
		return;
	free_scratch(c);
	free(c->scratch);
	free(c->cache);
	free(c->gen);
	free(c->vars);
	xo_buf_free(&c->error);
	xo_buf_free(&c->tmp);
	free(c->step_ts);
	free(c->step_has_ts);
	for (size_t i = 0; i < c->n_token_caches; i++)
		for (size_t k = 0; k < TOKEN_CACHE_SIZE; k++)
			free(c->token_caches[i].slot[k].token);
	free(c->token_caches);
	free(c);
}

const char *xo_expr_ctx_error(const struct xo_expr_ctx *c)
{
	return xo_buf_str(&c->error);
}

void xo_expr_ctx_clear_error(struct xo_expr_ctx *c)
{
	xo_buf_reset(&c->error);
}

static const json_t *path_json(struct xo_expr_ctx *c, size_t slot)
{
	if (c->gen[slot] != c->generation) {
		c->cache[slot] = c->root ? xo_path_get(c->env->paths[slot].path, c->root) : NULL;
		c->gen[slot] = c->generation;
	}
	return c->cache[slot];
}

struct xo_val xo_expr_ctx_path(struct xo_expr_ctx *c, size_t slot)
{
	return xo_val_from_json(path_json(c, slot));
}

static struct xo_val eval_error(struct xo_expr_ctx *c, const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct xo_val eval_error(struct xo_expr_ctx *c, const struct node *n, const char *fmt, ...)
{
	if (c->error.len == 0) {
		xo_buf_printf(&c->error, "column %ld: ", n->col);
		va_list ap;
		va_start(ap, fmt);
		xo_buf_vprintf(&c->error, fmt, ap);
		va_end(ap);
	}
	struct xo_val v = val_null;
	v.type = XO_VAL_ERROR;
	return v;
}

static const char *type_name(const struct xo_val *v)
{
	switch (v->type) {
	case XO_VAL_NULL: return "null";
	case XO_VAL_BOOL: return "boolean";
	case XO_VAL_NUM: return "number";
	case XO_VAL_STR: return "string";
	case XO_VAL_JSON: return json_is_array(v->json) ? "array" : "object";
	default: return "error";
	}
}

static char *keep(struct xo_expr_ctx *c, char *s)
{
	c->scratch = xo_grow(c->scratch, &c->cap_scratch, c->n_scratch + 1, sizeof *c->scratch);
	c->scratch[c->n_scratch++] = s;
	return s;
}

static struct xo_val eval(const struct node *n, struct xo_expr_ctx *c);

#define EVAL_OR_RETURN(var, node)                  \
	struct xo_val var = eval((node), c);       \
	if (var.type == XO_VAL_ERROR)              \
		return var

/* A number, or a string that holds exactly one. */
static int as_num(const struct xo_val *v, double *out)
{
	if (v->type == XO_VAL_NUM) {
		*out = v->num;
		return 0;
	}
	if (v->type == XO_VAL_STR)
		return xo_str_to_num(v->str, v->len, out);
	return -1;
}

/* -1, 0, 1, or 2 when the two cannot be ordered. */
static int compare(const struct xo_val *a, const struct xo_val *b)
{
	double x, y;
	if (a->type == XO_VAL_STR && b->type == XO_VAL_STR) {
		size_t m = a->len < b->len ? a->len : b->len;
		int r = memcmp(a->str, b->str, m);
		if (r == 0)
			r = a->len < b->len ? -1 : a->len > b->len;
		return r < 0 ? -1 : r > 0;
	}
	if ((a->type == XO_VAL_NUM || b->type == XO_VAL_NUM) &&
	    as_num(a, &x) == 0 && as_num(b, &y) == 0)
		return x < y ? -1 : x > y;
	if (a->type != b->type)
		return 2;
	switch (a->type) {
	case XO_VAL_NULL: return 0;
	case XO_VAL_BOOL: return a->b - b->b;
	case XO_VAL_JSON: return json_equal((json_t *)a->json, (json_t *)b->json) ? 0 : 2;
	default: return 2;
	}
}

static struct xo_val eval_arith(const struct node *n, struct xo_expr_ctx *c)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	EVAL_OR_RETURN(b, n->kids[1]);
	if (a.type == XO_VAL_NULL || b.type == XO_VAL_NULL)
		return val_null;
	if (n->op == N_ADD && a.type == XO_VAL_STR && b.type == XO_VAL_STR) {
		char *s = keep(c, xo_malloc(a.len + b.len + 1));
		memcpy(s, a.str, a.len);
		memcpy(s + a.len, b.str, b.len);
		s[a.len + b.len] = '\0';
		return val_str(s, a.len + b.len);
	}
	static const char *const verbs[] = {
		[N_ADD] = "add", [N_SUB] = "subtract", [N_MUL] = "multiply",
		[N_DIV] = "divide", [N_MOD] = "take the remainder of",
	};
	double x, y, r;
	if (as_num(&a, &x) != 0 || as_num(&b, &y) != 0)
		return eval_error(c, n, "cannot %s %s and %s", verbs[n->op], type_name(&a), type_name(&b));
	switch (n->op) {
	case N_ADD: r = x + y; break;
	case N_SUB: r = x - y; break;
	case N_MUL: r = x * y; break;
	case N_DIV:
		if (y == 0)
			return eval_error(c, n, "division by zero");
		r = x / y;
		break;
	default:
		if (y == 0)
			return eval_error(c, n, "division by zero");
		r = fmod(x, y);
		break;
	}
	if (!isfinite(r))
		return eval_error(c, n, "result is not a finite number");
	return val_num(r);
}

static struct xo_val eval_in(const struct node *n, struct xo_expr_ctx *c)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	const struct node *rn = n->kids[1];
	if (rn->op == N_LIST) {
		for (size_t i = 0; i < rn->n_kids; i++) {
			EVAL_OR_RETURN(item, rn->kids[i]);
			if (compare(&a, &item) == 0)
				return val_bool(1);
		}
		return val_bool(0);
	}
	EVAL_OR_RETURN(b, rn);
	if (b.type == XO_VAL_NULL)
		return val_bool(0);
	if (b.type == XO_VAL_STR) {
		if (a.type != XO_VAL_STR)
			return eval_error(c, n, "cannot look for a %s in a string", type_name(&a));
		if (a.len == 0)
			return val_bool(1);
		for (size_t i = 0; i + a.len <= b.len; i++)
			if (memcmp(b.str + i, a.str, a.len) == 0)
				return val_bool(1);
		return val_bool(0);
	}
	if (b.type == XO_VAL_JSON && json_is_array(b.json)) {
		size_t i;
		json_t *item;
		json_array_foreach(b.json, i, item) {
			struct xo_val v = xo_val_from_json(item);
			if (compare(&a, &v) == 0)
				return val_bool(1);
		}
		return val_bool(0);
	}
	if (b.type == XO_VAL_JSON) {
		if (a.type != XO_VAL_STR)
			return eval_error(c, n, "cannot look for a %s among an object's keys", type_name(&a));
		xo_buf_reset(&c->tmp);
		xo_buf_add(&c->tmp, a.str, a.len);
		return val_bool(json_object_get(b.json, xo_buf_str(&c->tmp)) != NULL);
	}
	return eval_error(c, n, "'in' needs a list, array, object or string on its right, not a %s",
		     type_name(&b));
}

static struct xo_val eval_match(const struct node *n, struct xo_expr_ctx *c)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	if (a.type == XO_VAL_NULL)
		return val_bool(n->op == N_NOMATCH);
	const char *s = a.str;
	size_t len = a.len;
	if (a.type == XO_VAL_NUM) {
		xo_buf_reset(&c->tmp);
		xo_num_to_json(&c->tmp, a.num);
		s = c->tmp.data;
		len = c->tmp.len;
	} else if (a.type != XO_VAL_STR) {
		return eval_error(c, n, "cannot match a %s against a pattern", type_name(&a));
	}
	enum xo_rx_result r = xo_rx_match(n->rx, s, len);
	if (r < 0)
		return eval_error(c, n, "%s", xo_rx_result_text(r));
	return val_bool((r == XO_RX_MATCH) == (n->op == N_MATCH));
}

static struct xo_val eval(const struct node *n, struct xo_expr_ctx *c)
{
	switch (n->op) {
	case N_CONST:
		return n->k;
	case N_PATH:
		return xo_val_from_json(path_json(c, n->slot));
	case N_VAR:
		return n->slot < c->n_vars ? c->vars[n->slot] : val_null;
	case N_LIST:
		return eval_error(c, n, "a list can only stand after 'in'");
	case N_AND:
	case N_OR: {
		EVAL_OR_RETURN(a, n->kids[0]);
		int t = xo_val_truthy(&a);
		if (t == (n->op == N_OR))
			return val_bool(t);
		EVAL_OR_RETURN(b, n->kids[1]);
		return val_bool(xo_val_truthy(&b));
	}
	case N_NOT: {
		EVAL_OR_RETURN(a, n->kids[0]);
		return val_bool(!xo_val_truthy(&a));
	}
	case N_NEG: {
		EVAL_OR_RETURN(a, n->kids[0]);
		double x;
		if (a.type == XO_VAL_NULL)
			return a;
		if (as_num(&a, &x) != 0)
			return eval_error(c, n, "cannot negate a %s", type_name(&a));
		return val_num(-x);
	}
	case N_ADD: case N_SUB: case N_MUL: case N_DIV: case N_MOD:
		return eval_arith(n, c);
	case N_EQ: case N_NE: case N_LT: case N_LE: case N_GT: case N_GE: {
		EVAL_OR_RETURN(a, n->kids[0]);
		EVAL_OR_RETURN(b, n->kids[1]);
		int r = compare(&a, &b);
		switch (n->op) {
		case N_EQ: return val_bool(r == 0);
		case N_NE: return val_bool(r != 0);
		case N_LT: return val_bool(r == -1);
		case N_LE: return val_bool(r == -1 || r == 0);
		case N_GT: return val_bool(r == 1);
		default: return val_bool(r == 1 || r == 0);
		}
	}
	case N_IN:
		return eval_in(n, c);
	case N_MATCH:
	case N_NOMATCH:
		return eval_match(n, c);
	case N_CALL:
		return n->fn->fn(n, c);
	}
	return val_null;
}

struct xo_val xo_expr_eval(const struct xo_expr *e, struct xo_expr_ctx *c)
{
	if (c->n_cache < c->env->n_paths)
		xo_expr_ctx_reset(c, c->root, c->now);
	return eval(e->root, c);
}

/* ---- functions ---- */

/* An instant from an RFC 3339 string (date-only allowed) or epoch seconds. */
static int as_time(struct xo_expr_ctx *c, const struct xo_val *v, xo_time_t *t)
{
	if (v->type == XO_VAL_NUM) {
		if (fabs(v->num) > 1e11)
			return -1;
		*t = (xo_time_t)llround(v->num * 1e6);
		return 0;
	}
	if (v->type != XO_VAL_STR)
		return -1;
	static const struct xo_timefmt iso = { XO_TIME_ISO8601, NULL };
	const char *why;
	(void)c;
	return xo_time_parse(&iso, v->str, v->len, NULL, t, &why);
}

static struct xo_val time_since(const struct node *n, struct xo_expr_ctx *c, double unit)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	if (a.type == XO_VAL_NULL)
		return a;
	xo_time_t t;
	if (as_time(c, &a, &t) != 0)
		return eval_error(c, n, "%s(): not a time: %s", n->fn->name,
			     a.type == XO_VAL_STR ? "expected RFC 3339 like 2026-03-01T10:00:00Z"
						  : type_name(&a));
	return val_num((double)(c->now - t) / (unit * 1e6));
}

static struct xo_val fn_days_since(const struct node *n, struct xo_expr_ctx *c)
{
	return time_since(n, c, 86400);
}

static struct xo_val fn_hours_since(const struct node *n, struct xo_expr_ctx *c)
{
	return time_since(n, c, 3600);
}

static struct xo_val fn_exists(const struct node *n, struct xo_expr_ctx *c)
{
	return val_bool(path_json(c, n->kids[0]->slot) != NULL);
}

/* The token of a step: its "token", else "channel:type". */
static int step_token(struct xo_expr_ctx *c, const json_t *step, const char **s, size_t *len)
{
	const json_t *tok = json_object_get(step, "token");
	if (json_is_string(tok)) {
		*s = json_string_value(tok);
		*len = json_string_length(tok);
		return 0;
	}
	const json_t *ch = json_object_get(step, "channel"), *ty = json_object_get(step, "type");
	if (!json_is_string(ch) || !json_is_string(ty))
		return -1;
	xo_buf_reset(&c->tmp);
	xo_buf_printf(&c->tmp, "%s:%s", json_string_value(ch), json_string_value(ty));
	*s = c->tmp.data;
	*len = c->tmp.len;
	return 0;
}

/* Match a step token, remembering the answer per pattern: a journey
 * has few distinct tokens and many steps. */
static enum xo_rx_result match_token(const struct node *n, struct xo_expr_ctx *c,
				     const char *s, size_t len)
{
	if (c->n_token_caches < c->env->n_rx) {
		c->token_caches = xo_realloc(c->token_caches, c->env->n_rx * sizeof *c->token_caches);
		memset(c->token_caches + c->n_token_caches, 0,
		       (c->env->n_rx - c->n_token_caches) * sizeof *c->token_caches);
		c->n_token_caches = c->env->n_rx;
	}
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	struct token_cache *tc = &c->token_caches[n->rx_id];
	size_t k = h % TOKEN_CACHE_SIZE;
	if (tc->slot[k].token && tc->slot[k].len == len && memcmp(tc->slot[k].token, s, len) == 0)
		return tc->slot[k].result;
	enum xo_rx_result r = xo_rx_match(n->rx, s, len);
	if (r < 0)
		return r; /* limits depend on the subject only, but are rare: no caching */
	free(tc->slot[k].token);
	tc->slot[k].token = xo_strndup(s, len);
	tc->slot[k].len = len;
	tc->slot[k].result = r;
	return r;
}

/* The instants of the steps (parsed once per record); has[i] is 0 when
 * step i has no readable "ts". */
static const xo_time_t *step_times(struct xo_expr_ctx *c, const json_t *steps,
				   const unsigned char **has)
{
	size_t n = json_array_size(steps);
	if (c->step_ts_gen != c->generation || c->step_ts_of != steps) {
		if (n > c->cap_step_ts) {
			c->step_ts = xo_realloc(c->step_ts, n * sizeof *c->step_ts);
			c->step_has_ts = xo_realloc(c->step_has_ts, n);
			c->cap_step_ts = n;
		}
		for (size_t i = 0; i < n; i++) {
			const json_t *step = json_array_get(steps, i);
			struct xo_val ts = xo_val_from_json(json_is_object(step) ? json_object_get(step, "ts")
									   : NULL);
			c->step_has_ts[i] = as_time(c, &ts, &c->step_ts[i]) == 0;
		}
		c->step_ts_gen = c->generation;
		c->step_ts_of = steps;
	}
	*has = c->step_has_ts;
	return c->step_ts;
}

/* Walk the steps matching the pattern; count them, or find the latest. */
static struct xo_val scan_steps(const struct node *n, struct xo_expr_ctx *c, int want_latest)
{
	double window = -1;
	if (n->n_kids > 1) {
		EVAL_OR_RETURN(d, n->kids[1]);
		if (d.type == XO_VAL_NULL)
			return d;
		if (as_num(&d, &window) != 0 || window < 0)
			return eval_error(c, n, "%s(): the window must be a number of days >= 0", n->fn->name);
	}
	const json_t *steps = path_json(c, n->steps_slot);
	size_t count = 0, i;
	xo_time_t latest = INT64_MIN;
	const json_t *step;
	if (!json_is_array(steps))
		return want_latest ? val_null : val_num(0);
	const xo_time_t *times = NULL;
	const unsigned char *has = NULL;
	if (window >= 0 || want_latest)
		times = step_times(c, steps, &has);
	json_array_foreach(steps, i, step) {
		const char *s;
		size_t len;
		if (!json_is_object(step) || step_token(c, step, &s, &len) != 0)
			continue;
		enum xo_rx_result r = match_token(n, c, s, len);
		if (r < 0)
			return eval_error(c, n, "%s", xo_rx_result_text(r));
		if (r != XO_RX_MATCH)
			continue;
		xo_time_t t = 0;
		int has_time = 0;
		if (times) {
			has_time = has[i];
			if (!has_time)
				continue;
			t = times[i];
		}
		if (window >= 0 && (double)(c->now - t) > window * 86400e6)
			continue;
		if (window >= 0 && t > c->now)
			continue; /* the future, when replaying with --as-of */
		count++;
		if (has_time && t > latest)
			latest = t;
	}
	if (want_latest)
		return latest == INT64_MIN ? val_null : val_num((double)(c->now - latest) / 86400e6);
	return val_num((double)count);
}

static struct xo_val fn_count_steps(const struct node *n, struct xo_expr_ctx *c)
{
	return scan_steps(n, c, 0);
}

static struct xo_val fn_days_since_step(const struct node *n, struct xo_expr_ctx *c)
{
	return scan_steps(n, c, 1);
}

static struct xo_val fn_length(const struct node *n, struct xo_expr_ctx *c)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	switch (a.type) {
	case XO_VAL_NULL:
		return val_num(0);
	case XO_VAL_STR: {
		size_t chars = 0;
		for (size_t i = 0; i < a.len; i++)
			chars += ((unsigned char)a.str[i] & 0xc0) != 0x80;
		return val_num((double)chars);
	}
	case XO_VAL_JSON:
		return val_num((double)(json_is_array(a.json) ? json_array_size(a.json)
							      : json_object_size(a.json)));
	default:
		return eval_error(c, n, "length() of a %s", type_name(&a));
	}
}

static struct xo_val change_case(const struct node *n, struct xo_expr_ctx *c, int upper)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	if (a.type == XO_VAL_NULL)
		return a;
	if (a.type != XO_VAL_STR)
		return eval_error(c, n, "%s() of a %s", n->fn->name, type_name(&a));
	char *s = keep(c, xo_malloc(a.len + 1));
	for (size_t i = 0; i < a.len; i++)
		s[i] = (char)(upper ? toupper((unsigned char)a.str[i]) : tolower((unsigned char)a.str[i]));
	s[a.len] = '\0';
	return val_str(s, a.len);
}

static struct xo_val fn_lower(const struct node *n, struct xo_expr_ctx *c)
{
	return change_case(n, c, 0);
}

static struct xo_val fn_upper(const struct node *n, struct xo_expr_ctx *c)
{
	return change_case(n, c, 1);
}

/* contains, starts_with, ends_with */
static struct xo_val substring_test(const struct node *n, struct xo_expr_ctx *c, int where)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	EVAL_OR_RETURN(b, n->kids[1]);
	if (a.type == XO_VAL_NULL || b.type == XO_VAL_NULL)
		return val_bool(0);
	if (a.type != XO_VAL_STR || b.type != XO_VAL_STR)
		return eval_error(c, n, "%s() takes strings, not %s and %s", n->fn->name,
			     type_name(&a), type_name(&b));
	if (b.len > a.len)
		return val_bool(0);
	if (where == 1)
		return val_bool(memcmp(a.str, b.str, b.len) == 0);
	if (where == 2)
		return val_bool(memcmp(a.str + a.len - b.len, b.str, b.len) == 0);
	for (size_t i = 0; i + b.len <= a.len; i++)
		if (memcmp(a.str + i, b.str, b.len) == 0)
			return val_bool(1);
	return val_bool(0);
}

static struct xo_val fn_contains(const struct node *n, struct xo_expr_ctx *c)
{
	return substring_test(n, c, 0);
}

static struct xo_val fn_starts_with(const struct node *n, struct xo_expr_ctx *c)
{
	return substring_test(n, c, 1);
}

static struct xo_val fn_ends_with(const struct node *n, struct xo_expr_ctx *c)
{
	return substring_test(n, c, 2);
}

/* min, max: nulls are skipped; null when all are null. */
static struct xo_val extreme(const struct node *n, struct xo_expr_ctx *c, int want_max)
{
	struct xo_val best = val_null;
	for (size_t i = 0; i < n->n_kids; i++) {
		EVAL_OR_RETURN(a, n->kids[i]);
		double x;
		if (a.type == XO_VAL_NULL)
			continue;
		if (as_num(&a, &x) != 0)
			return eval_error(c, n, "%s() of a %s", n->fn->name, type_name(&a));
		if (best.type == XO_VAL_NULL || (want_max ? x > best.num : x < best.num))
			best = val_num(x);
	}
	return best;
}

static struct xo_val fn_min(const struct node *n, struct xo_expr_ctx *c)
{
	return extreme(n, c, 0);
}

static struct xo_val fn_max(const struct node *n, struct xo_expr_ctx *c)
{
	return extreme(n, c, 1);
}

static struct xo_val math1(const struct node *n, struct xo_expr_ctx *c, double (*f)(double))
{
	EVAL_OR_RETURN(a, n->kids[0]);
	double x;
	if (a.type == XO_VAL_NULL)
		return a;
	if (as_num(&a, &x) != 0)
		return eval_error(c, n, "%s() of a %s", n->fn->name, type_name(&a));
	return val_num(f(x));
}

static struct xo_val fn_abs(const struct node *n, struct xo_expr_ctx *c)
{
	return math1(n, c, fabs);
}

static struct xo_val fn_round(const struct node *n, struct xo_expr_ctx *c)
{
	return math1(n, c, round);
}

static struct xo_val fn_floor(const struct node *n, struct xo_expr_ctx *c)
{
	return math1(n, c, floor);
}

static struct xo_val fn_ceil(const struct node *n, struct xo_expr_ctx *c)
{
	return math1(n, c, ceil);
}

static struct xo_val fn_coalesce(const struct node *n, struct xo_expr_ctx *c)
{
	for (size_t i = 0; i < n->n_kids; i++) {
		EVAL_OR_RETURN(a, n->kids[i]);
		if (a.type != XO_VAL_NULL)
			return a;
	}
	return val_null;
}

static struct xo_val fn_if(const struct node *n, struct xo_expr_ctx *c)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	return eval(n->kids[xo_val_truthy(&a) ? 1 : 2], c);
}

static struct xo_val fn_number(const struct node *n, struct xo_expr_ctx *c)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	double x;
	if (a.type == XO_VAL_BOOL)
		return val_num(a.b);
	return as_num(&a, &x) == 0 ? val_num(x) : val_null;
}

static struct xo_val fn_string(const struct node *n, struct xo_expr_ctx *c)
{
	EVAL_OR_RETURN(a, n->kids[0]);
	if (a.type == XO_VAL_STR || a.type == XO_VAL_NULL)
		return a;
	struct xo_buf b = XO_BUF_INIT;
	xo_val_to_json(&b, &a);
	size_t len = b.len;
	return val_str(keep(c, xo_buf_steal(&b)), len);
}

static struct xo_val fn_now(const struct node *n, struct xo_expr_ctx *c)
{
	(void)n;
	return val_num((double)c->now / 1e6);
}

static const struct func funcs[] = {
	{ "abs", 1, 1, fn_abs, 0, 0 },
	{ "ceil", 1, 1, fn_ceil, 0, 0 },
	{ "coalesce", 1, -1, fn_coalesce, 0, 0 },
	{ "contains", 2, 2, fn_contains, 0, 0 },
	{ "count_steps", 1, 2, fn_count_steps, 1, 1 },
	{ "days_since", 1, 1, fn_days_since, 0, 1 },
	{ "days_since_step", 1, 1, fn_days_since_step, 1, 1 },
	{ "ends_with", 2, 2, fn_ends_with, 0, 0 },
	{ "exists", 1, 1, fn_exists, 0, 0 },
	{ "floor", 1, 1, fn_floor, 0, 0 },
	{ "hours_since", 1, 1, fn_hours_since, 0, 1 },
	{ "if", 3, 3, fn_if, 0, 0 },
	{ "length", 1, 1, fn_length, 0, 0 },
	{ "lower", 1, 1, fn_lower, 0, 0 },
	{ "max", 1, -1, fn_max, 0, 0 },
	{ "min", 1, -1, fn_min, 0, 0 },
	{ "now", 0, 0, fn_now, 0, 1 },
	{ "number", 1, 1, fn_number, 0, 0 },
	{ "round", 1, 1, fn_round, 0, 0 },
	{ "starts_with", 2, 2, fn_starts_with, 0, 0 },
	{ "string", 1, 1, fn_string, 0, 0 },
	{ "upper", 1, 1, fn_upper, 0, 0 },
};

static const struct func *find_func(const char *name)
{
	for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
		if (strcmp(funcs[i].name, name) == 0)
			return &funcs[i];
	return NULL;
}
