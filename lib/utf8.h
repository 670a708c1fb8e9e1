/* utf8: checking and repairing text that claims to be UTF-8.
 *
 * Exports arrive in UTF-8, in Latin-1 from old systems, or broken. Each
 * map says which (xo-map(5), "encoding"); these do the work.
 */
#ifndef XO_UTF8_H
#define XO_UTF8_H

#include <stddef.h>

#include "buf.h"

/* Offset of the first invalid byte, or len when s is valid UTF-8
 * (overlongs, surrogates and code points over U+10FFFF are invalid). */
size_t xo_utf8_check(const char *s, size_t len);
/* Append s to out with each invalid sequence replaced by U+FFFD. */
void xo_utf8_repair(struct xo_buf *out, const char *s, size_t len);
/* Append Latin-1 (ISO 8859-1) s to out as UTF-8. */
void xo_latin1_to_utf8(struct xo_buf *out, const char *s, size_t len);
/* How much of s[0..len) to quote in a message: len, or at most max bytes
 * cut on a character boundary (a 10 MB value must not make a 10 MB
 * message). */
size_t xo_utf8_clip(const char *s, size_t len, size_t max);

#endif
