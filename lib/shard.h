/* shard: which customers one process of a split run handles.
 *
 * "--shard I/N" keeps the records whose xid falls in shard I of N:
 *   SipHash-2-4 (key zero) of the xid's bytes, modulo N, equals I.
 * Every xid is in exactly one shard, so N processes with I = 0..N-1
 * together see every customer once, and each sees all of its customer's
 * records. Records without an xid go to shard 0.
 */
#ifndef XO_SHARD_H
#define XO_SHARD_H

#include <stddef.h>

#define XO_SHARD_MAX 4096

struct xo_shard {
	unsigned index, count; /* count 0: no sharding */
};

/* "I/N" with 0 <= I < N <= XO_SHARD_MAX: 0, or -1. */
int xo_shard_parse(const char *text, struct xo_shard *out);
/* 1 when the record with this xid (NULL or empty: none) is ours. */
int xo_shard_has(const struct xo_shard *s, const char *xid, size_t len);
/* The shard of an xid among n. */
unsigned xo_shard_of(const char *xid, size_t len, unsigned n);

#endif
