#include "evread.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "evcore.h"
#include "hash.h"
#include "mem.h"
#include "mlines.h"

/* Events per batch: enough that handing a batch over costs nothing. */
#define READ_BATCH 4096

/* Two buffers: the thread fills one while the caller uses the other. */
struct buffer {
	struct xo_evread_batch b;
	size_t cap_events, cap_ids;
	size_t *kind_off, *value_off; /* into text, until handed over */
	struct xo_buf text;
	int full;                     /* handed over, not yet given back */
	int last;                     /* nothing follows */
};

struct xo_evread {
	struct xo_evinput *inputs;
	int n;
	struct xo_rejects *rejects;
	struct xo_progress *progress;
	struct buffer buf[2];
	struct buffer *filling;       /* the thread's */
	int fill, take, holding;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct xo_evcore ev;
	struct xo_buf why;
};

uint64_t xo_event_key(const char *id, size_t len)
{
	if (len == 16) {
		uint64_t k = 0;
		size_t i = 0;
		for (; i < 16; i++) {
			char c = id[i];
			unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
				   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;
			if (d == 16)
				break;
			k = k << 4 | d;
		}
		if (i == 16)
			return k;
	}
	return xo_siphash(&XO_HASH_PUBLIC, id, len);
}

FILE *xo_spool_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	struct xo_buf path = XO_BUF_INIT;
	xo_buf_printf(&path, "%s/xo-merge.XXXXXX", dir);
	int fd = mkstemp(path.data);
	FILE *fp = fd >= 0 ? fdopen(fd, "w+") : NULL;
	if (!fp)
		xo_die(XO_EXIT_INTERNAL, "cannot create a temporary file in %s: %s", dir,
		       strerror(errno));
	unlink(path.data);
	xo_buf_free(&path);
	return fp;
}

void xo_spool_line(FILE *spool, const char *name, const char *line, size_t len)
{
	if (fwrite(line, 1, len, spool) != len || putc('\n', spool) == EOF)
		xo_die(XO_EXIT_INTERNAL, "cannot copy %s to a temporary file: %s", name,
		       strerror(errno));
}

static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Append a string to the buffer's text; its offset. */
static size_t add_text(struct buffer *b, const char *s, size_t len)
{
	size_t off = b->text.len;
	xo_buf_add(&b->text, s, len);
	return off;
}

static void add_event(struct xo_evread *rd, struct buffer *b, const struct xo_mlines *in)
{
	b->b.events = xo_grow(b->b.events, &b->cap_events, b->b.n_events + 1, sizeof *b->b.events);
	struct xo_evread_event *e = &b->b.events[b->b.n_events++];
	memset(e, 0, sizeof *e);
	e->first = (uint32_t)b->b.n_ids;
	if (xo_evcore_read(&rd->ev, in->buf, in->len, 0, &rd->why) != 0) {
		e->rejected = 1;
		xo_rejects_add(rd->rejects, in->name, in->line, in->buf, in->len,
			       xo_buf_str(&rd->why));
		return;
	}
	e->has_xid = rd->ev.has_xid;
	e->key = xo_event_key(rd->ev.id, rd->ev.id_len);
	for (size_t i = 0; i < rd->ev.n_ids; i++) {
		const struct xo_evid *id = &rd->ev.ids[i];
		if (id->kind_len == 0 || id->kind[0] == '@')
			continue;
		size_t n = b->b.n_ids;
		b->b.ids = xo_grow(b->b.ids, &b->cap_ids, n + 1, sizeof *b->b.ids);
		size_t cap = b->cap_ids;
		b->kind_off = xo_realloc(b->kind_off, cap * sizeof *b->kind_off);
		b->value_off = xo_realloc(b->value_off, cap * sizeof *b->value_off);
		b->kind_off[n] = add_text(b, id->kind, id->kind_len);
		b->value_off[n] = add_text(b, id->value, id->value_len);
		b->b.ids[n].kind_len = id->kind_len;
		b->b.ids[n].len = id->value_len;
		b->b.n_ids++;
	}
	e->n = (uint32_t)(b->b.n_ids - e->first);
}

/* Hand the filled buffer over and wait for the other to be free. */
static struct buffer *hand_over(struct xo_evread *rd, int last)
{
	struct buffer *b = &rd->buf[rd->fill];
	for (size_t i = 0; i < b->b.n_ids; i++) {
		b->b.ids[i].kind = b->text.data + b->kind_off[i];
		b->b.ids[i].value = b->text.data + b->value_off[i];
	}
	pthread_mutex_lock(&rd->mu);
	b->last = last;
	b->full = 1;
	pthread_cond_broadcast(&rd->cv);
	rd->fill ^= 1;
	struct buffer *next = &rd->buf[rd->fill];
	while (next->full && !last)
		pthread_cond_wait(&rd->cv, &rd->mu);
	pthread_mutex_unlock(&rd->mu);
	if (!last) {
		next->b.n_events = 0;
		next->b.n_ids = 0;
		xo_buf_reset(&next->text);
	}
	return next;
}

void xo_evinput_read(struct xo_evinput *f, struct xo_progress *progress,
		     void (*fn)(void *ctx, const struct xo_mlines *in, int side), void *ctx)
{
	struct xo_mlines in;
	if (xo_mlines_open(&in, f->path) != 0)
		xo_die(XO_EXIT_INPUT, "%s: %s", f->path, strerror(errno));
	f->size = in.size;
	if (in.size < 0)
		f->spool = xo_spool_file();
	while (xo_mlines_next(&in)) {
		if (blank(in.buf, in.len))
			continue;
		if (f->spool)
			xo_spool_line(f->spool, in.name, in.buf, in.len);
		fn(ctx, &in, f->side);
		xo_progress_tick(progress, in.offset, in.size);
	}
	xo_mlines_close(&in);
}

static void read_line(void *ctx, const struct xo_mlines *in, int side)
{
	struct xo_evread *rd = ctx;
	add_event(rd, rd->filling, in);
	if (rd->filling->b.n_events == READ_BATCH)
		rd->filling = hand_over(rd, 0);
}

static void *reader(void *arg)
{
	struct xo_evread *rd = arg;
	rd->filling = &rd->buf[rd->fill];
	for (int i = 0; i < rd->n; i++)
		xo_evinput_read(&rd->inputs[i], rd->progress, read_line, rd);
	if (rd->filling->b.n_events)
		rd->filling = hand_over(rd, 0);
	hand_over(rd, 1);
	return NULL;
}

struct xo_evread *xo_evread_start(struct xo_evinput *inputs, int n, struct xo_rejects *rejects,
				  struct xo_progress *progress)
{
	struct xo_evread *rd = xo_calloc(1, sizeof *rd);
	rd->inputs = inputs;
	rd->n = n;
	rd->rejects = rejects;
	rd->progress = progress;
	xo_evcore_init(&rd->ev);
	pthread_mutex_init(&rd->mu, NULL);
	pthread_cond_init(&rd->cv, NULL);
	int rc = pthread_create(&rd->thread, NULL, reader, rd);
	if (rc != 0)
		xo_die(XO_EXIT_INTERNAL, "cannot start a thread: %s", strerror(rc));
	return rd;
}

const struct xo_evread_batch *xo_evread_next(struct xo_evread *rd)
{
	pthread_mutex_lock(&rd->mu);
	if (rd->holding) {
		/* Give back the batch the caller is done with. */
		rd->buf[rd->take ^ 1].full = 0;
		rd->holding = 0;
		pthread_cond_broadcast(&rd->cv);
	}
	struct buffer *b = &rd->buf[rd->take];
	while (!b->full)
		pthread_cond_wait(&rd->cv, &rd->mu);
	pthread_mutex_unlock(&rd->mu);
	if (b->last && b->b.n_events == 0)
		return NULL;
	rd->take ^= 1;
	rd->holding = 1;
	return &b->b;
}

void xo_evread_finish(struct xo_evread *rd)
{
	pthread_join(rd->thread, NULL);
	pthread_mutex_destroy(&rd->mu);
	pthread_cond_destroy(&rd->cv);
	for (int i = 0; i < 2; i++) {
		free(rd->buf[i].b.events);
		free(rd->buf[i].b.ids);
		free(rd->buf[i].kind_off);
		free(rd->buf[i].value_off);
		xo_buf_free(&rd->buf[i].text);
	}
	xo_evcore_free(&rd->ev);
	xo_buf_free(&rd->why);
	free(rd);
}
