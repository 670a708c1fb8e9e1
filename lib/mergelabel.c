#include "mergelabel.h"

#include <string.h>

#include "buf.h"
#include "diag.h"
#include "evcore.h"
#include "evread.h"
#include "evxid.h"
#include "hash.h"
#include "idgraph.h"
#include "idnorm.h"
#include "out.h"
#include "progress.h"
#include "rejects.h"
#include "slice.h"
#include "xidmap.h"

#define EVENT_KIND "@event"

struct label {
	const struct xo_label_opts *o;
	struct xo_xidmap *map;
	struct xo_evcore ev;
	struct xo_rejects *rejects;
	struct xo_buf kind, norm, why;
	uint64_t events, written;
};

/* The xid of the event just read: through its first identifier the map
 * holds, else through the event itself; 0 when neither. */
static uint64_t xid_of(struct label *l)
{
	for (size_t i = 0; i < l->ev.n_ids; i++) {
		const struct xo_evid *id = &l->ev.ids[i];
		if (xo_idnorm_event(id->kind, id->kind_len, id->value, id->value_len, &l->kind,
				    &l->norm) != 0)
			continue;
		uint64_t hash = xo_idg_hash_of(l->kind.data, l->norm.data, l->norm.len);
		uint64_t xid = xo_xidmap_get(l->map, hash, l->kind.data, l->norm.data, l->norm.len);
		if (xid)
			return xid;
	}
	char hex[17];
	xo_hash_hex(xo_event_key(l->ev.id, l->ev.id_len), hex);
	return xo_xidmap_get(l->map, xo_idg_hash_of(EVENT_KIND, hex, 16), EVENT_KIND, hex, 16);
}

static void take_line(void *ctx, const struct xo_mlines *in)
{
	struct label *l = ctx;
	l->events++;
	if (xo_evcore_read(&l->ev, in->buf, in->len, 0, &l->why) != 0) {
		xo_rejects_add(l->rejects, in->name, in->line, in->buf, in->len, xo_buf_str(&l->why));
		return;
	}
	uint64_t xid = xid_of(l);
	if (!xid)
		xo_die_at(XO_EXIT_INPUT, in->name, in->line,
			  "event \"%.40s\" is not in %s: was it among the join's events?", l->ev.id,
			  l->o->map);
	char x[XO_XID_LEN + 1];
	xo_xid_format(xid, x);
	if (!xo_shard_has(&l->o->shard, x, XO_XID_LEN))
		return;
	if (l->o->key) {
		xo_out_write(x, XO_XID_LEN);
		xo_out_write("\t", 1);
	}
	json_t *obj = xo_evcore_json(&l->ev);
	if (obj) {
		/* It had an xid: replaced where it was. */
		json_object_set_new(obj, "xid", json_string(x));
		xo_out_json(obj);
	} else {
		char tail[XO_EVXID_TAIL];
		size_t keep, n = xo_evxid_tail(in->buf, in->len, x, tail, &keep);
		xo_out_write(in->buf, keep);
		xo_out_write(tail, n);
	}
	xo_out_record_end();
	l->written++;
}

int xo_label_run(const struct xo_label_opts *o, char **inputs, int n)
{
	struct label l = { .o = o };
	l.map = xo_xidmap_open(o->map);
	xo_evcore_init(&l.ev);
	l.rejects = xo_rejects_open(o->rejects);
	struct xo_progress progress;
	xo_progress_init(&progress);
	xo_slice_read(inputs, n, &o->part, &progress, take_line, &l);
	xo_progress_done(&progress);
	uint64_t rejected = xo_rejects_count(l.rejects);
	xo_rejects_close(l.rejects);
	xo_out_finish();
	if (o->shard.count)
		xo_warn("%llu events (%llu rejected), %llu of them in shard %u/%u, written with their xids",
			(unsigned long long)l.events, (unsigned long long)rejected,
			(unsigned long long)l.written, o->shard.index, o->shard.count);
	else
		xo_warn("%llu events (%llu rejected) written with their xids",
			(unsigned long long)l.events, (unsigned long long)rejected);
	xo_evcore_free(&l.ev);
	xo_buf_free(&l.kind);
	xo_buf_free(&l.norm);
	xo_buf_free(&l.why);
	xo_xidmap_close(l.map);
	return rejected ? XO_EXIT_REJECTS : XO_EXIT_OK;
}
