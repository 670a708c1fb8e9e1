#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "mem.h"

void xo_buf_grow(struct xo_buf *b, size_t extra)
{
	b->data = xo_grow(b->data, &b->cap, b->len + extra + 1, 1);
}

void xo_buf_add(struct xo_buf *b, const void *data, size_t len)
{
	xo_buf_reserve(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void xo_buf_adds(struct xo_buf *b, const char *s)
{
	xo_buf_add(b, s, strlen(s));
}

void xo_buf_addc(struct xo_buf *b, char c)
{
	xo_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void xo_buf_vprintf(struct xo_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	/* Try the room there is first: most calls fit, saving a second pass. */
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, copy);
	va_end(copy);
	if (n <= 0)
		return;
	if ((size_t)n >= room) {
		xo_buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void xo_buf_add_int(struct xo_buf *b, long long v)
{
	char digits[24];
	int n = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	xo_buf_reserve(b, (size_t)n + 1);
	if (v < 0)
		b->data[b->len++] = '-';
	while (n > 0)
		b->data[b->len++] = digits[--n];
	b->data[b->len] = '\0';
}

void xo_buf_printf(struct xo_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	xo_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Whether any of the 8 bytes at p is below 0x20, '"' or '\\' (the
 * classic "has zero byte" bit trick, on x - n and x ^ c). */
static int word_needs_escape(const char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	uint64_t quote = x ^ (ONES * '"'), slash = x ^ (ONES * '\\');
	uint64_t hit = ((x - ONES * 0x20) & ~x) | ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash);
	return (hit & HIGHS) != 0;
}

static int plain_byte(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\';
}

/* Length of the run of bytes at s that need no escape. */
static size_t plain_run(const char *s, size_t len)
{
	size_t i = 0;
	for (;;) {
		/* Eight plain bytes at a time: most text needs no escape. */
		while (i + 8 <= len && !word_needs_escape(s + i))
			i += 8;
		size_t stop = i + 8 < len ? i + 8 : len;
		while (i < stop && plain_byte((unsigned char)s[i]))
			i++;
		if (i < stop || i == len)
			return i;
	}
}

void xo_buf_add_json_string(struct xo_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
	xo_buf_reserve(b, len + 2);
	b->data[b->len++] = '"';
	size_t i = 0;
	while (i < len) {
		size_t run = plain_run(s + i, len - i);
		xo_buf_add(b, s + i, run);
		i += run;
		if (i == len)
			break;
		unsigned char c = (unsigned char)s[i++];
		switch (c) {
		case '"': xo_buf_add(b, "\\\"", 2); break;
		case '\\': xo_buf_add(b, "\\\\", 2); break;
		case '\n': xo_buf_add(b, "\\n", 2); break;
		case '\r': xo_buf_add(b, "\\r", 2); break;
		case '\t': xo_buf_add(b, "\\t", 2); break;
		case '\b': xo_buf_add(b, "\\b", 2); break;
		case '\f': xo_buf_add(b, "\\f", 2); break;
		default: {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			xo_buf_add(b, esc, 6);
		}
		}
	}
	xo_buf_addc(b, '"');
}

void xo_buf_reset(struct xo_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

const char *xo_buf_str(const struct xo_buf *b)
{
	return b->data ? b->data : "";
}

char *xo_buf_steal(struct xo_buf *b)
{
	char *data = b->data ? b->data : xo_strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return data;
}

void xo_buf_free(struct xo_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int xo_buf_read_file(struct xo_buf *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		xo_buf_add(b, chunk, n);
	int failed = ferror(f), saved = errno;
	fclose(f);
	if (failed) {
		errno = saved ? saved : EIO;
		return -1;
	}
	return 0;
}
