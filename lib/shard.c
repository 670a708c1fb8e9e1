#include "shard.h"

#include <stdlib.h>

#include "hash.h"

int xo_shard_parse(const char *text, struct xo_shard *out)
{
	char *slash, *end;
	unsigned long i = strtoul(text, &slash, 10);
	if (slash == text || *slash != '/' || text[0] == '-')
		return -1;
	unsigned long n = strtoul(slash + 1, &end, 10);
	if (end == slash + 1 || *end || slash[1] == '-' || n == 0 || n > XO_SHARD_MAX || i >= n)
		return -1;
	out->index = (unsigned)i;
	out->count = (unsigned)n;
	return 0;
}

unsigned xo_shard_of(const char *xid, size_t len, unsigned n)
{
	return (unsigned)(xo_siphash(&XO_HASH_PUBLIC, xid, len) % n);
}

int xo_shard_has(const struct xo_shard *s, const char *xid, size_t len)
{
	if (s->count <= 1)
		return 1;
	if (!xid || len == 0)
		return s->index == 0;
	return xo_shard_of(xid, len, s->count) == s->index;
}
