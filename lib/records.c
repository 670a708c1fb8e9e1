#include "records.h"

#include <errno.h>
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
			r->bad++;
			if (r->rejects)
				xo_rejects_add(r->rejects, r->in.name, r->in.line, r->in.buf,
					       r->in.len, xo_buf_str(&r->why));
			else
				xo_warn_at(r->in.name, r->in.line, "skipped: %s", xo_buf_str(&r->why));
			continue;
		}
		xo_input_close(&r->in);
		r->open = 0;
	}
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
	r->open = 0;
}
