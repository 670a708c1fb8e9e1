/* Fuzz xo-merge's reading of events (lib/evcore over lib/jscan, and
 * jansson when the event must be parsed): each line of the input is
 * read as an event, once in place and once parsed, reusing one evcore
 * as xo-merge does. Both readings must agree on whether the line is
 * usable and on what they read from it. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "evcore.h"
#include "evread.h"
#include "fuzz.h"

struct seen {
	int ok;
	xo_time_t ts;
	char *id;
	size_t n_ids;
};

static void read_line(struct xo_evcore *e, const char *line, size_t len, int need_json,
		      struct xo_buf *why, struct seen *s)
{
	xo_buf_reset(why);
	s->ok = xo_evcore_read(e, line, len, need_json, why) == 0;
	s->id = NULL;
	if (!s->ok)
		return;
	s->ts = e->ts;
	s->id = malloc(e->id_len + 1);
	if (s->id) {
		memcpy(s->id, e->id, e->id_len);
		s->id[e->id_len] = '\0';
	}
	s->n_ids = e->n_ids;
	xo_event_key(e->id, e->id_len);
	for (size_t i = 0; i < e->n_ids; i++)
		if (strlen(e->ids[i].value) > e->ids[i].value_len)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xo_diag_quiet(1);
	struct xo_evcore e;
	struct xo_buf why = XO_BUF_INIT;
	xo_evcore_init(&e);
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct seen fast, parsed;
		read_line(&e, p, len, 0, &why, &fast);
		read_line(&e, p, len, 1, &why, &parsed);
		/* Parsing may refuse more (repeated keys, numbers out of
		 * range), never less; what both accept reads the same. */
		if (parsed.ok && !fast.ok)
			abort();
		if (parsed.ok && fast.ok &&
		    (parsed.ts != fast.ts || strcmp(parsed.id, fast.id) != 0 ||
		     parsed.n_ids != fast.n_ids))
			abort();
		free(fast.id);
		free(parsed.id);
		p += len + 1;
	}
	xo_evcore_free(&e);
	xo_buf_free(&why);
	return 0;
}
