#include "rejects.h"

#include <jansson.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "buf.h"
#include "diag.h"
#include "mem.h"
#include "out.h"
#include "utf8.h"

struct xo_rejects {
	struct xo_afile *file;
	uint64_t count;
	struct xo_buf text;
};

struct xo_rejects *xo_rejects_open(const char *path)
{
	struct xo_rejects *r = xo_calloc(1, sizeof *r);
	if (path)
		r->file = xo_afile_open_or_die(path, 0600);
	return r;
}

void xo_base64(struct xo_buf *out, const void *data, size_t len)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t i = 0;
	for (; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		char quad[4] = { abc[v >> 18], abc[v >> 12 & 63], abc[v >> 6 & 63], abc[v & 63] };
		xo_buf_add(out, quad, 4);
	}
	if (i < len) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0);
		char quad[4] = { abc[v >> 18], abc[v >> 12 & 63],
				 i + 1 < len ? abc[v >> 6 & 63] : '=', '=' };
		xo_buf_add(out, quad, 4);
	}
}

static void write_reject(struct xo_rejects *r, const char *file, long line,
			 const char *raw, size_t raw_len, const char *reason)
{
	json_t *rec = json_object();
	json_object_set_new(rec, "file", json_string(file));
	json_object_set_new(rec, "line", json_integer(line));
	json_object_set_new(rec, "reason", json_string(reason));
	xo_buf_reset(&r->text);
	if (xo_utf8_check(raw, raw_len) == raw_len) {
		json_object_set_new(rec, "raw", json_stringn(raw, raw_len));
	} else {
		xo_utf8_repair(&r->text, raw, raw_len);
		json_object_set_new(rec, "raw", json_stringn(r->text.data, r->text.len));
		xo_buf_reset(&r->text);
		xo_base64(&r->text, raw, raw_len);
		json_object_set_new(rec, "raw_base64", json_stringn(r->text.data, r->text.len));
	}
	if (xo_json_fwrite(r->file->fp, rec) != 0)
		xo_die(XO_EXIT_OUTPUT, "%s: write failed: %s", r->file->path, strerror(errno));
	json_decref(rec);
}

void xo_rejects_add(struct xo_rejects *r, const char *file, long line,
		    const char *raw, size_t raw_len, const char *reason)
{
	r->count++;
	if (r->count <= XO_REJECTS_SHOWN)
		xo_warn_at(file, line, "rejected: %s", reason);
	if (r->file)
		write_reject(r, file, line, raw, raw_len, reason);
}

uint64_t xo_rejects_count(const struct xo_rejects *r)
{
	return r->count;
}

void xo_rejects_close(struct xo_rejects *r)
{
	if (r->count > XO_REJECTS_SHOWN)
		xo_warn("%llu more rejects not shown%s", (unsigned long long)(r->count - XO_REJECTS_SHOWN),
			r->file ? "" : " (keep them all with --rejects FILE)");
	if (r->file)
		xo_afile_commit_or_die(r->file);
	xo_buf_free(&r->text);
	free(r);
}
