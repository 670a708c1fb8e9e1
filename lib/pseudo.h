/* pseudo: keyed pseudonyms for personal identifiers (--hash-ids), the
 * same in every xo tool for the same key, so outputs can be shared and
 * still joined.
 *
 * pseudonym = "h:" + the first 20 hex digits of
 *             HMAC-SHA-256(key, kind + ":" + normalized value)
 *
 * The key is read from the file named by --hash-key-file or by the
 * environment variable XO_HASH_KEY_FILE, or taken from XO_HASH_KEY; never
 * from a command-line argument, where other users could read it (ps).
 * It must be at least 16 bytes; a key file readable by group or others is
 * refused.
 */
#ifndef XO_PSEUDO_H
#define XO_PSEUDO_H

#include <stddef.h>

#include "buf.h"

#define XO_PSEUDO_PREFIX "h:"
#define XO_PSEUDO_HEX 20

struct xo_pseudo;

/* key_file NULL: from the environment. NULL with the reason in err. */
struct xo_pseudo *xo_pseudo_open(const char *key_file, struct xo_buf *err);
/* Append the pseudonym of kind:value to out. */
void xo_pseudo_of(const struct xo_pseudo *p, const char *kind, const char *value, size_t len,
		  struct xo_buf *out);
void xo_pseudo_free(struct xo_pseudo *p);

#endif
