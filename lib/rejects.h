/* rejects: the reject stream, where records that cannot be used go.
 *
 * Each reject is one NDJSON line (xo-rejects(5)):
 *   {"file":"calls.csv","line":12,"reason":"...","raw":"..."}
 * "raw" is the record's text as read (invalid UTF-8 repaired with
 * U+FFFD, and the exact bytes then kept in "raw_base64"). The first
 * XO_REJECTS_SHOWN rejects are also reported on stderr as FILE:LINE:
 * reason. The rejects file is written atomically when closed.
 */
#ifndef XO_REJECTS_H
#define XO_REJECTS_H

#include <stddef.h>
#include <stdint.h>

#define XO_REJECTS_SHOWN 10

struct xo_rejects;

/* path NULL: rejects are only counted and reported on stderr. */
struct xo_rejects *xo_rejects_open(const char *path);
void xo_rejects_add(struct xo_rejects *r, const char *file, long line,
		    const char *raw, size_t raw_len, const char *reason);
uint64_t xo_rejects_count(const struct xo_rejects *r);
/* Commit the file (or die with XO_EXIT_OUTPUT); frees r. */
void xo_rejects_close(struct xo_rejects *r);

/* Base64 (RFC 4648) of data appended to out. */
struct xo_buf;
void xo_base64(struct xo_buf *out, const void *data, size_t len);

#endif
