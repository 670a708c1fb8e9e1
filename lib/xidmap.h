/* xidmap: the identifier -> xid map of a split xo-merge run.
 *
 * The join step (xo-merge --join) writes, for every identifier of the
 * run's events that links, and for every event that links through none
 * (kind "@event", its 16-digit id), the xid its customer got. The label
 * steps (xo-merge --label) look each event's identifiers up in it. The
 * file is binary so that any number of label processes map it at once
 * and look up without loading it; its layout is in xo-links(5):
 * a header, a bucket index by the hash's top bits, entries sorted by
 * hash (hash, xid, where the identifier's text is) and the texts, which
 * every lookup compares, so that a hash shared by two identifiers never
 * gives the wrong xid. Numbers are little-endian.
 */
#ifndef XO_XIDMAP_H
#define XO_XIDMAP_H

#include <stddef.h>
#include <stdint.h>

struct xo_xidmap_entry {
	uint64_t hash;       /* xo_idg_hash_of(kind, value) */
	uint64_t xid;
	uint64_t ref;        /* the caller's handle of the identifier */
};

/* The identifier of ref: kind (NUL-terminated) and value[0..len). */
typedef void (*xo_xidmap_text_fn)(void *ctx, uint64_t ref, const char **kind,
				  const char **value, size_t *len);

/* Write the n entries (reordered here) to path, atomically; dies with
 * XO_EXIT_OUTPUT when it cannot. */
void xo_xidmap_write(const char *path, struct xo_xidmap_entry *e, size_t n,
		     xo_xidmap_text_fn text, void *ctx);

struct xo_xidmap;

/* Map a file written by xo_xidmap_write. Dies with XO_EXIT_INPUT when it
 * cannot be read, XO_EXIT_USAGE when it is not such a file. */
struct xo_xidmap *xo_xidmap_open(const char *path);
/* The xid of kind (NUL-terminated) / value[0..len) whose hash is given,
 * or 0 when the map has none. */
uint64_t xo_xidmap_get(const struct xo_xidmap *m, uint64_t hash, const char *kind,
		       const char *value, size_t len);
size_t xo_xidmap_size(const struct xo_xidmap *m);
void xo_xidmap_close(struct xo_xidmap *m);

#endif
