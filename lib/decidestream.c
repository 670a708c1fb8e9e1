#include "decidestream.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"
#include "ndjson.h"
#include "out.h"

/* A record waiting for its batch's transaction: its text, index and
 * file name, copied into the batch's store (the reader reuses its
 * buffers), as offsets because the store grows. */
struct pending {
	size_t text, len;
	size_t nodes, n_nodes;
	size_t file;
	long line;
	size_t xid;                   /* its "xid", decoded, in the reader's xids */
};

struct reader {
	struct xo_records *r;
	const struct xo_join *join;
	struct xo_rejects *rejects;
	struct xo_buf store;          /* the records of one batch; kept for the next */
	struct xo_buf xids;           /* their "xid"s, NUL-terminated */
	struct xo_buf xid;
	const char **xid_of;          /* [record of the batch] */
	struct xo_buf why;
	struct xo_jindex joined;      /* a joined document, read back */
	struct xo_buf joined_text;
	uint64_t rejected;
	const char *file;             /* the file of the last record kept */
	size_t file_at;               /* its name in the store */
};

/* A pending record's text and index. */
static const char *text_of(const struct reader *rd, const struct pending *p,
			   struct xo_jindex *ix)
{
	ix->nodes = (struct xo_jnode *)(void *)(rd->store.data + p->nodes);
	ix->n = ix->cap = p->n_nodes;
	return rd->store.data + p->text;
}

/* A rejected record as jansson writes it, as the reject stream always
 * had it. */
static void reject(struct reader *rd, const struct pending *p, const char *why)
{
	json_t *doc = json_loadb(rd->store.data + p->text, p->len, JSON_ALLOW_NUL, NULL);
	char *raw = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	xo_rejects_add(rd->rejects, rd->store.data + p->file, p->line, raw ? raw : "",
		       raw ? strlen(raw) : 0, why);
	free(raw);
	json_decref(doc);
	rd->rejected++;
}

/* The joined document's text, indexed in rd->joined; 0 when it cannot
 * be read back (only a document of 4 GiB or more). */
static int index_joined(struct reader *rd, const char **text, size_t *len,
			const struct xo_jindex **ix)
{
	const char *why;
	size_t column;
	*text = rd->joined_text.data;
	*len = rd->joined_text.len;
	*ix = &rd->joined;
	if (xo_jscan_index(*text, *len, 0, &rd->joined, &why, &column) == 0)
		return 1;
	xo_rejects_add(rd->rejects, xo_records_file(rd->r), xo_records_line(rd->r), *text, *len,
		       why);
	rd->rejected++;
	return 0;
}

/* With --context or --profiles: the input record joined with the
 * customer's stored ones. A profile is added to the record's text; a
 * live event is joined to its context as a tree, then read back. */
static int next_joined(struct reader *rd, const char **text, size_t *len,
		       const struct xo_jindex **ix)
{
	while (xo_records_next_scanned(rd->r, text, len, ix)) {
		int made = xo_join_text(rd->join, *text, *len, *ix, &rd->joined_text);
		if (made == 0)
			return 1;
		if (made < 0) {
			json_t *rec = json_loadb(*text, *len, JSON_ALLOW_NUL, NULL);
			if (!rec)
				xo_die(XO_EXIT_INTERNAL, "a record read no longer parses");
			json_t *doc = xo_join_document(rd->join, rec);
			xo_ndjson_dump(doc, &rd->joined_text);
			json_decref(doc);
		}
		if (index_joined(rd, text, len, ix))
			return 1;
	}
	return 0;
}

/* Append n bytes (and a NUL) to the store at an offset aligned for
 * index nodes; returns the offset. */
static size_t store(struct reader *rd, const void *data, size_t n)
{
	size_t align = _Alignof(struct xo_jnode);
	size_t at = (rd->store.len + align - 1) & ~(align - 1);
	xo_buf_reserve(&rd->store, at - rd->store.len + n);
	rd->store.len = at;
	xo_buf_add(&rd->store, data, n);
	return at;
}

/* Keep the record just read in the batch's store; the index holds
 * offsets into the text, so it moves with it as it is. */
static void keep(struct reader *rd, struct pending *p, const char *text, size_t len,
		 const struct xo_jindex *ix)
{
	const char *file = xo_records_file(rd->r);
	p->text = store(rd, text, len);
	p->len = len;
	p->nodes = store(rd, ix->nodes, ix->n * sizeof *ix->nodes);
	p->n_nodes = ix->n;
	/* The file's name once a batch, not once a record. */
	if (file != rd->file) {
		rd->file = file;
		rd->file_at = store(rd, file, strlen(file));
	}
	p->file = rd->file_at;
	p->line = xo_records_line(rd->r);
}

/* Read up to max records that can be decided; returns how many. */
static long read_batch(struct reader *rd, struct pending *batch, long max)
{
	long n = 0;
	const struct xo_jindex *ix;
	const char *text;
	size_t len;
	int joining = rd->join->context || rd->join->profiles;
	xo_buf_reset(&rd->store);
	xo_buf_reset(&rd->xids);
	rd->file = NULL;
	while (n < max && (joining ? next_joined(rd, &text, &len, &ix)
				   : xo_records_next_scanned(rd->r, &text, &len, &ix))) {
		struct pending *p = &batch[n];
		keep(rd, p, text, len, ix);
		if (xo_decide_xid(text, ix, &rd->xid, &rd->why) == 0) {
			/* As a C string, as the decider reads it. */
			p->xid = rd->xids.len;
			xo_buf_adds(&rd->xids, xo_buf_str(&rd->xid));
			xo_buf_addc(&rd->xids, '\0');
			n++;
		} else
			reject(rd, p, xo_buf_str(&rd->why));
	}
	return n;
}

uint64_t xo_decide_stream(struct xo_decider *d, struct xo_dstate *state, struct xo_records *r,
			  const struct xo_join *join, struct xo_rejects *rejects, long batch_max,
			  const xo_time_t *as_of)
{
	struct reader rd = { r, join, rejects, XO_BUF_INIT, XO_BUF_INIT, XO_BUF_INIT, NULL,
			     XO_BUF_INIT, { NULL, 0, 0 }, XO_BUF_INIT, 0, NULL, 0 };
	struct pending *batch = xo_calloc((size_t)batch_max, sizeof *batch);
	rd.xid_of = xo_calloc((size_t)batch_max, sizeof *rd.xid_of);
	struct xo_buf out = XO_BUF_INIT;
	long n;
	xo_dstate_defer_checkpoints(state);
	while ((n = read_batch(&rd, batch, batch_max)) > 0) {
		xo_time_t now = as_of ? *as_of : xo_time_now();
		xo_buf_reset(&out);
		xo_dstate_begin(state);
		for (long i = 0; i < n; i++)
			rd.xid_of[i] = rd.xids.data + batch[i].xid;
		xo_decider_batch(d, rd.xid_of, (size_t)n, now);
		for (long i = 0; i < n; i++) {
			struct xo_jindex ix;
			const char *text = text_of(&rd, &batch[i], &ix);
			xo_decide_scanned(d, text, &ix, rd.xid_of[i], now, &out);
		}
		xo_dstate_commit(state);
		/* The batch's lines at once: big writes need no copy. */
		xo_out_write(out.data, out.len);
		xo_out_record_end();
		xo_dstate_idle(state);
	}
	free(batch);
	free(rd.xid_of);
	xo_buf_free(&rd.xids);
	xo_buf_free(&rd.xid);
	xo_buf_free(&out);
	xo_buf_free(&rd.why);
	xo_buf_free(&rd.store);
	free(rd.joined.nodes);
	xo_buf_free(&rd.joined_text);
	return rd.rejected;
}
