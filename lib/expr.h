/* expr: the small expression language of rules files (xo-expr(7)),
 * evaluated over jansson records. Any tool may reuse it.
 *
 *   context.tenure_days >= 730 and count_steps("web:cancel.*", 30) > 0
 *   prediction.p * 400 * $weight
 *   profile.traits.segment in ["gold", "platinum"] and not exists(optout)
 *
 * Parsing builds a tree once; evaluation walks it with no allocation
 * in the common case. Field paths use lib/jpath.h syntax. The paths of
 * all expressions that share an environment (one rules file) are kept
 * in one table, so each distinct path is looked up once per record.
 *
 * Ownership: an environment owns its path table and variable names; it
 * must outlive the expressions compiled against it. An expression owns
 * its tree and its source text. A context owns its scratch memory;
 * values it returns borrow from the record, the expression or that
 * scratch, and stay valid until the next xo_expr_ctx_reset().
 */
#ifndef XO_EXPR_H
#define XO_EXPR_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "xtime.h"

/* ---- values ---- */

enum xo_val_type {
	XO_VAL_NULL,   /* null, or a field that is absent */
	XO_VAL_BOOL,
	XO_VAL_NUM,
	XO_VAL_STR,
	XO_VAL_JSON,   /* an array or an object from the record or a literal */
	XO_VAL_ERROR,  /* evaluation failed; the reason is in the context */
};

struct xo_val {
	enum xo_val_type type;
	int b;
	double num;
	const char *str;       /* not NUL-terminated in general */
	size_t len;
	const json_t *json;
};

/* Python-like truth: false, null, 0, "" and empty arrays/objects are
 * false; errors are false too (callers check for them first). */
int xo_val_truthy(const struct xo_val *v);
/* The value as JSON text appended to out (errors as null). */
void xo_val_to_json(struct xo_buf *out, const struct xo_val *v);
/* A number as xo writes it: integers without a fraction, others with
 * up to 15 significant digits; never locale-dependent. */
void xo_num_to_json(struct xo_buf *out, double num);
/* A string holding exactly a decimal number (blanks around it allowed;
 * no hex, inf or nan), as exports write numbers in quotes: 0 with *out
 * set, or -1. */
int xo_str_to_num(const char *s, size_t len, double *out);
/* A JSON value from a record as a value (NULL gives null). */
struct xo_val xo_val_from_json(const json_t *j);

/* ---- the lexer, shared with the rules file parser ---- */

enum xo_tok_type {
	XO_TOK_EOF, XO_TOK_NEWLINE, XO_TOK_NUMBER, XO_TOK_STRING, XO_TOK_PATH,
	XO_TOK_IDENT,   /* a word without dots or brackets that is not a keyword */
	XO_TOK_VAR,     /* $name */
	XO_TOK_AND, XO_TOK_OR, XO_TOK_NOT, XO_TOK_IN, XO_TOK_TRUE, XO_TOK_FALSE,
	XO_TOK_NULL,
	XO_TOK_LPAREN, XO_TOK_RPAREN, XO_TOK_LBRACKET, XO_TOK_RBRACKET, XO_TOK_COMMA,
	XO_TOK_PLUS, XO_TOK_MINUS, XO_TOK_STAR, XO_TOK_SLASH, XO_TOK_PERCENT,
	XO_TOK_EQ, XO_TOK_NE, XO_TOK_LT, XO_TOK_LE, XO_TOK_GT, XO_TOK_GE,
	XO_TOK_MATCH, XO_TOK_NOMATCH, /* =~ and !~ */
	XO_TOK_BAD,     /* a lexical error; text holds the reason */
};

struct xo_tok {
	enum xo_tok_type type;
	size_t start, end;     /* byte offsets into the source */
	long line, col;        /* where it starts, from 1 */
	double num;            /* XO_TOK_NUMBER */
	char unit[8];          /* a unit right after a number ("48h"): "h" */
	struct xo_buf text;    /* strings (unescaped), paths, idents, vars, reasons */
};

struct xo_lex {
	const char *src;       /* not owned */
	size_t len, pos;
	long line;
	size_t line_start;
	struct xo_tok tok;     /* the current token */
};

/* Tokenize src[0..len); the first token is read at once. line is the
 * line number of src[0] (1 for a whole file). */
void xo_lex_init(struct xo_lex *lx, const char *src, size_t len, long line);
void xo_lex_next(struct xo_lex *lx);
void xo_lex_free(struct xo_lex *lx);
/* "a number", "'and'", "end of line" ...: the current token for messages. */
const char *xo_tok_describe(const struct xo_tok *t, struct xo_buf *scratch);

/* ---- environments and expressions ---- */

struct xo_expr_env;
struct xo_expr;

struct xo_expr_env *xo_expr_env_new(void);
/* Declare $name; returns its index for xo_expr_ctx_set_var(). */
int xo_expr_env_var(struct xo_expr_env *env, const char *name);
size_t xo_expr_env_paths(const struct xo_expr_env *env);
void xo_expr_env_free(struct xo_expr_env *env);

/* Parse a whole string as one expression. NULL on error, with
 * "column N: expected ..., found ..." in err. */
struct xo_expr *xo_expr_parse(struct xo_expr_env *env, const char *text, struct xo_buf *err);
/* Parse one expression from the lexer's current token, stopping before
 * a newline (outside brackets), EOF or anything that cannot continue
 * it. NULL on error with "LINE:COL: expected ..." in err. */
struct xo_expr *xo_expr_parse_lex(struct xo_expr_env *env, struct xo_lex *lx, struct xo_buf *err);

/* The source text of the expression. */
const char *xo_expr_text(const struct xo_expr *e);
/* Line and column where it starts. */
long xo_expr_line(const struct xo_expr *e);
long xo_expr_col(const struct xo_expr *e);
/* 1 when the expression is a constant (no path, variable or time). */
int xo_expr_is_const(const struct xo_expr *e);
/* 1 when the expression reads a $variable. */
int xo_expr_uses_vars(const struct xo_expr *e);
/* The path when the expression is a bare field path, else NULL. */
const char *xo_expr_as_path(const struct xo_expr *e);

/* Split "a and b and c" into its conjuncts, consuming e: *parts gets a
 * new array of n expressions the caller owns (n is 1 when e is no
 * conjunction). */
void xo_expr_split_and(struct xo_expr *e, struct xo_expr ***parts, size_t *n);
/* Call fn for each distinct field path the expression reads, in order
 * of first appearance. */
void xo_expr_each_path(const struct xo_expr *e,
		       void (*fn)(const char *path, size_t slot, void *arg), void *arg);
void xo_expr_free(struct xo_expr *e);

/* ---- evaluation ---- */

struct xo_expr_ctx;

struct xo_expr_ctx *xo_expr_ctx_new(const struct xo_expr_env *env);
/* Start on a new record (borrowed until the next reset) at time now. */
void xo_expr_ctx_reset(struct xo_expr_ctx *c, const json_t *root, xo_time_t now);
void xo_expr_ctx_set_var(struct xo_expr_ctx *c, int var, struct xo_val v);
/* The value of path slot (see xo_expr_each_path) in the current record. */
struct xo_val xo_expr_ctx_path(struct xo_expr_ctx *c, size_t slot);
void xo_expr_ctx_free(struct xo_expr_ctx *c);

/* Evaluate. On XO_VAL_ERROR the reason is xo_expr_ctx_error(). */
struct xo_val xo_expr_eval(const struct xo_expr *e, struct xo_expr_ctx *c);
const char *xo_expr_ctx_error(const struct xo_expr_ctx *c);
/* Forget the last error (before evaluating another expression). */
void xo_expr_ctx_clear_error(struct xo_expr_ctx *c);

#endif
