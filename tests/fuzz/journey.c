/* Fuzz xo-journey's reading and building: the input is an events file
 * read by lib/evstore (as xo-journey reads it), built into journeys by
 * lib/jrun and lib/journey and written by lib/jrecord. Every record
 * written must be one valid JSON object. The first byte picks options:
 * bit 0 --sorted, bit 1 no text, bit 2 an as-of date, bit 3 --keep. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "jrecord.h"
#include "jrun.h"
#include "ndjson.h"

struct sink {
	struct xo_jbuilder *b;
	struct xo_buf out;
};

static void emit(const struct xo_journey *j, void *ctx)
{
	struct sink *s = ctx;
	struct xo_buf why = XO_BUF_INIT;
	json_t *obj = NULL;
	xo_buf_reset(&s->out);
	xo_jrecord_json(j, s->b, &s->out, NULL, NULL);
	if (xo_ndjson_parse(xo_buf_str(&s->out), s->out.len, &obj, &why) != XO_NDJSON_OBJECT) {
		fprintf(stderr, "journey record is not JSON (%s): %s\n", xo_buf_str(&why),
			xo_buf_str(&s->out));
		abort();
	}
	json_decref(obj);
	xo_buf_reset(&s->out);
	xo_jrecord_tsv(j, s->b, &s->out);
	xo_buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t pick = data[0];
	const char *path = fuzz_file(data + 1, size - 1);
	if (!path)
		return 0;
	xo_diag_quiet(1);
	struct xo_buf err = XO_BUF_INIT;
	struct xo_path *issue[2] = { xo_path_compile("attrs.issue", &err),
				     xo_path_compile("attrs[\"topic\"]", &err) };
	struct xo_path *keep[2] = { xo_path_compile("attrs.plan", &err),
				    xo_path_compile("ids.email", &err) };
	struct xo_jconfig cfg;
	xo_jconfig_init(&cfg);
	if (pick & 4)
		xo_time_parse_rfc3339("2026-03-15T12:00:00Z", 20, &cfg.as_of);
	char *paths[1] = { (char *)path };
	struct xo_rejects *rejects = xo_rejects_open(NULL);
	struct xo_evstore store;
	xo_evstore_init(&store, paths, 1, rejects);
	store.as_of = cfg.as_of;
	store.issue = (const struct xo_path *const *)issue;
	store.n_issue = 2;
	if (pick & 8) {
		store.keep = (const struct xo_path *const *)keep;
		store.n_keep = 2;
	}
	store.keep_text = !(pick & 2);
	struct xo_jbuilder builder;
	xo_jbuilder_init(&builder, &cfg, &store);
	struct sink sink = { &builder, XO_BUF_INIT };
	struct xo_jrun run = { &store, &builder, pick & 1, emit, &sink, 0, 0, 0 };
	xo_jrun(&run);
	xo_jbuilder_free(&builder);
	xo_evstore_free(&store);
	xo_rejects_close(rejects);
	xo_jconfig_free(&cfg);
	for (int i = 0; i < 2; i++) {
		xo_path_free(issue[i]);
		xo_path_free(keep[i]);
	}
	xo_buf_free(&sink.out);
	xo_buf_free(&err);
	return 0;
}
