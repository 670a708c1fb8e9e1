#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid sequence at s (1..4), or 0 when invalid. */
static size_t sequence(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	uint32_t cp;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t xo_utf8_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		/* ASCII runs eight bytes at a time. */
		uint64_t w;
		while (i + 8 <= len && (memcpy(&w, p + i, 8), (w & UINT64_C(0x8080808080808080)) == 0))
			i += 8;
		if (i >= len)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = sequence(p + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

void xo_utf8_repair(struct xo_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t good = xo_utf8_check(s + i, len - i);
		xo_buf_add(out, s + i, good);
		i += good;
		if (i < len) {
			xo_buf_add(out, "\xef\xbf\xbd", 3);
			/* Skip one byte, then any continuation bytes of the bad sequence. */
			i++;
			while (i < len && (p[i] & 0xc0) == 0x80)
				i++;
		}
	}
}

void xo_latin1_to_utf8(struct xo_buf *out, const char *s, size_t len)
{
	xo_buf_reserve(out, len * 2);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			xo_buf_addc(out, (char)c);
		} else {
			xo_buf_addc(out, (char)(0xc0 | c >> 6));
			xo_buf_addc(out, (char)(0x80 | (c & 0x3f)));
		}
	}
}
