/* buf: a growable byte buffer, always NUL-terminated.
 *
 * The struct owns data. Initialise with XO_BUF_INIT, release with
 * xo_buf_free(). xo_buf_steal() hands data to the caller.
 */
#ifndef XO_BUF_H
#define XO_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct xo_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define XO_BUF_INIT { NULL, 0, 0 }

void xo_buf_grow(struct xo_buf *b, size_t extra);

/* Make room for extra more bytes and the NUL. */
static inline void xo_buf_reserve(struct xo_buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		xo_buf_grow(b, extra);
}
void xo_buf_add(struct xo_buf *b, const void *data, size_t len);
void xo_buf_adds(struct xo_buf *b, const char *s);
/* Append a string literal, its length known at compile time. */
#define xo_buf_addlit(b, lit) xo_buf_add((b), (lit), sizeof(lit) - 1)
void xo_buf_addc(struct xo_buf *b, char c);
void xo_buf_printf(struct xo_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void xo_buf_vprintf(struct xo_buf *b, const char *fmt, va_list ap);
/* Append v in decimal, without printf. */
void xo_buf_add_int(struct xo_buf *b, long long v);
/* Append s as a JSON string literal, quotes included. s must be UTF-8. */
void xo_buf_add_json_string(struct xo_buf *b, const char *s, size_t len);
/* Append the whole file at path (config files: rules, maps); 0, or -1
 * with errno set. */
int xo_buf_read_file(struct xo_buf *b, const char *path);
void xo_buf_reset(struct xo_buf *b);
/* The empty string when nothing was added, never NULL. */
const char *xo_buf_str(const struct xo_buf *b);
char *xo_buf_steal(struct xo_buf *b);
void xo_buf_free(struct xo_buf *b);

#endif
