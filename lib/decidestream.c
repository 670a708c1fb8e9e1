#include "decidestream.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "out.h"

struct pending {
	json_t *doc;
	char *file;
	long line;
};

static void reject(struct xo_rejects *rejects, const struct pending *p, const char *why)
{
	char *raw = json_dumps(p->doc, JSON_COMPACT);
	xo_rejects_add(rejects, p->file, p->line, raw ? raw : "", raw ? strlen(raw) : 0, why);
	free(raw);
}

/* Read up to max records that can be decided; returns how many. */
static long read_batch(struct xo_records *r, const struct xo_join *join, struct xo_rejects *rejects,
		       struct pending *batch, long max, uint64_t *rejected)
{
	long n = 0;
	json_t *rec;
	while (n < max && (rec = xo_records_next(r)) != NULL) {
		struct pending *p = &batch[n];
		p->file = xo_strdup(xo_records_file(r));
		p->line = xo_records_line(r);
		p->doc = xo_join_document(join, rec);
		const json_t *xid = json_object_get(p->doc, "xid");
		if (json_is_string(xid) && json_string_length(xid) > 0) {
			n++;
			continue;
		}
		reject(rejects, p, xid ? "\"xid\" is not a non-empty string" : "no \"xid\"");
		(*rejected)++;
		json_decref(p->doc);
		free(p->file);
	}
	return n;
}

uint64_t xo_decide_stream(struct xo_decider *d, struct xo_dstate *state, struct xo_records *r,
			  const struct xo_join *join, struct xo_rejects *rejects, long batch_max,
			  const xo_time_t *as_of)
{
	struct pending *batch = xo_calloc((size_t)batch_max, sizeof *batch);
	size_t *ends = xo_calloc((size_t)batch_max, sizeof *ends);
	struct xo_buf out = XO_BUF_INIT, why = XO_BUF_INIT;
	uint64_t rejected = 0;
	long n;
	while ((n = read_batch(r, join, rejects, batch, batch_max, &rejected)) > 0) {
		xo_time_t now = as_of ? *as_of : xo_time_now();
		xo_buf_reset(&out);
		xo_dstate_begin(state);
		for (long i = 0; i < n; i++) {
			if (xo_decide(d, batch[i].doc, now, &out, &why) < 0) {
				reject(rejects, &batch[i], xo_buf_str(&why));
				rejected++;
			}
			ends[i] = out.len;
			json_decref(batch[i].doc);
			free(batch[i].file);
		}
		xo_dstate_commit(state);
		size_t start = 0;
		for (long i = 0; i < n; i++) {
			xo_out_write(out.data + start, ends[i] - start);
			xo_out_record_end();
			start = ends[i];
		}
	}
	free(batch);
	free(ends);
	xo_buf_free(&out);
	xo_buf_free(&why);
	return rejected;
}
