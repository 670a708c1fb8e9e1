#include "records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ndjson.h"

static char *const stdin_path[] = { "-" };

void xo_records_open(struct xo_records *r, char *const *paths, int n,
		     struct xo_rejects *rejects)
{
	memset(r, 0, sizeof *r);
	r->paths = n > 0 ? paths : stdin_path;
	r->n_paths = n > 0 ? n : 1;
	r->rejects = rejects;
	xo_progress_init(&r->progress);
}

static int open_next(struct xo_records *r)
{
	while (r->next_path < r->n_paths) {
		const char *path = r->paths[r->next_path++];
		if (xo_input_open(&r->in, path) == 0) {
			r->open = 1;
			return 1;
		}
		if (!r->keep_going)
			xo_die(XO_EXIT_INPUT, "%s: %s", path, strerror(errno));
		xo_error("%s: %s", path, strerror(errno));
		r->unreadable++;
	}
	return 0;
}

/* The line just read is not a record (reason in r->why): rejected, or
 * with --shard skipped unless ours is shard 0, which takes the lines
 * without an xid (lib/shard.h), so that a split run reports it once. */
static void bad_line(struct xo_records *r)
{
	if (r->shard.count > 1 && !xo_shard_has(&r->shard, NULL, 0)) {
		r->other_shards++;
		return;
	}
	r->bad++;
	if (r->rejects)
		xo_records_reject(r, r->rejects, xo_buf_str(&r->why));
	else
		xo_warn_at(r->in.name, r->in.line, "skipped: %s", xo_buf_str(&r->why));
}

json_t *xo_records_next(struct xo_records *r)
{
	for (;;) {
		if (!r->open && !open_next(r)) {
			xo_progress_done(&r->progress);
			return NULL;
		}
		json_t *obj;
		enum xo_ndjson_status st = xo_ndjson_next(&r->in, &obj, &r->why);
		if (st == XO_NDJSON_OBJECT) {
			json_t *xid = json_object_get(obj, "xid");
			if (r->shard.count > 1 &&
			    !xo_shard_has(&r->shard, json_string_value(xid), json_string_length(xid))) {
				r->other_shards++;
				json_decref(obj);
				continue;
			}
			r->read++;
			xo_progress_tick(&r->progress, r->in.offset, r->in.size);
			return obj;
		}
		if (st == XO_NDJSON_BAD) {
			bad_line(r);
			continue;
		}
		xo_input_close(&r->in);
		r->open = 0;
	}
}

/* A line a strict scan refused: jansson decides. 1 with the record
 * (read back from jansson's text) in r->index, 0 when it is bad. */
static int scan_by_jansson(struct xo_records *r, const char *line, size_t len)
{
	json_t *obj;
	if (xo_ndjson_parse(line, len, &obj, &r->why) != XO_NDJSON_OBJECT)
		return 0;
	xo_ndjson_dump(obj, &r->text);
	json_decref(obj);
	const char *why;
	size_t column;
	if (xo_jscan_index(r->text.data, r->text.len, 0, &r->index, &why, &column) == 0)
		return 1;
	xo_buf_reset(&r->why); /* only a record of 4 GiB or more */
	xo_buf_adds(&r->why, why);
	return 0;
}

/* The xid of a scanned record, for --shard. */
static int in_shard(struct xo_records *r, const char *text)
{
	int has = xo_jindex_string(text, &r->index, 0, "xid", 3, &r->xid);
	return xo_shard_has(&r->shard, has ? xo_buf_str(&r->xid) : NULL, r->xid.len);
}

/* The next line that is a record (1, its text in *text), or the end
 * of the files (0). */
static int next_scanned(struct xo_records *r, const char **text, size_t *text_len)
{
	for (;;) {
		if (!r->open && !open_next(r))
			return 0;
		ssize_t len = xo_input_getline(&r->in);
		if (len < 0) {
			xo_input_close(&r->in);
			r->open = 0;
			continue;
		}
		if (xo_ndjson_blank(r->in.buf, (size_t)len))
			continue;
		const char *why;
		size_t column;
		*text = r->in.buf;
		*text_len = (size_t)len;
		if (xo_jscan_index(r->in.buf, (size_t)len, 1, &r->index, &why, &column) == 0)
			return 1;
		if (scan_by_jansson(r, r->in.buf, (size_t)len)) {
			*text = r->text.data;
			*text_len = r->text.len;
			return 1;
		}
		bad_line(r);
	}
}

int xo_records_next_scanned(struct xo_records *r, const char **text, size_t *len,
			    const struct xo_jindex **ix)
{
	while (next_scanned(r, text, len)) {
		if (r->shard.count > 1 && !in_shard(r, *text)) {
			r->other_shards++;
			continue;
		}
		r->read++;
		xo_progress_tick(&r->progress, r->in.offset, r->in.size);
		*ix = &r->index;
		return 1;
	}
	xo_progress_done(&r->progress);
	return 0;
}

void xo_records_reject(const struct xo_records *r, struct xo_rejects *rejects, const char *why)
{
	xo_rejects_add(rejects, r->in.name, r->in.line, r->in.buf, r->in.len, why);
}

const char *xo_records_file(const struct xo_records *r)
{
	return r->open ? r->in.name : "";
}

long xo_records_line(const struct xo_records *r)
{
	return r->open ? r->in.line : 0;
}

void xo_records_close(struct xo_records *r)
{
	if (r->open)
		xo_input_close(&r->in);
	xo_buf_free(&r->why);
	xo_buf_free(&r->text);
	xo_buf_free(&r->xid);
	free(r->index.nodes);
	r->index.nodes = NULL;
	r->open = 0;
}
