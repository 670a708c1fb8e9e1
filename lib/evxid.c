#include "evxid.h"

#include <string.h>

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

size_t xo_evxid_close(const char *line, size_t len, int *empty)
{
	size_t end = len;
	while (end > 0 && blank(line[end - 1]))
		end--;
	/* line[end - 1] is the closing brace; is anything before it? */
	size_t before = end - 1;
	while (before > 0 && blank(line[before - 1]))
		before--;
	*empty = line[before - 1] == '{';
	return end - 1;
}

size_t xo_evxid_tail(const char *line, size_t len, const char xid[XO_XID_LEN + 1],
		     char tail[XO_EVXID_TAIL], size_t *keep)
{
	int empty;
	size_t close = xo_evxid_close(line, len, &empty);
	size_t n = 0;
	if (!empty)
		tail[n++] = ',';
	memcpy(tail + n, "\"xid\":\"", 7);
	memcpy(tail + n + 7, xid, XO_XID_LEN);
	memcpy(tail + n + 7 + XO_XID_LEN, "\"}\n", 3);
	*keep = close;
	return n + 7 + XO_XID_LEN + 3;
}
