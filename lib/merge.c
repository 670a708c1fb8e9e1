#include "merge.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "bigmem.h"
#include "diag.h"
#include "evcore.h"
#include "evread.h"
#include "evxid.h"
#include "hash.h"
#include "idgraph.h"
#include "input.h"
#include "linkage.h"
#include "mem.h"
#include "mergelinks.h"
#include "mergestate.h"
#include "mlines.h"
#include "out.h"
#include "progress.h"
#include "rejects.h"
#include "u64map.h"
#include "xidassign.h"
#include "xidmap.h"

/* Per-event flags kept between the passes. */
enum {
	EV_REJECTED = 1, /* not used: in the reject stream */
	EV_JSON = 2,     /* written through jansson: it has an "xid" to replace */
	EV_DUP = 4,      /* same id as an earlier event of this run */
	EV_OLD = 8,      /* counted by an earlier run (state) */
};

#define EVENT_KIND "@event"

/* Where an output goes: standard output, a file, or nowhere. */
struct sink {
	int on;
	struct xo_afile *file;
};

/* Events read in the first pass wait in a batch until their identifiers
 * are interned together: the table lookups of a whole batch are started
 * before the first is needed, which hides most of their memory latency. */
#define BATCH 256

struct pending {
	size_t event;
	size_t first, n;         /* its identifiers: requests first..first+n */
};

struct batch {
	struct pending ev[BATCH];
	size_t n_ev;
	struct xo_idg_req *req;
	size_t *value_off;       /* where each request's value is in text */
	size_t n_req, cap_req, cap_off;
	struct xo_buf text;
};

struct run {
	const struct xo_merge_opts *o;
	struct xo_idg *g;
	struct xo_rejects *rejects;
	struct xo_evinput *inputs;
	int n_inputs;
	struct xo_progress progress;
	/* Events, by number in input order. */
	size_t n_events, cap_events;
	uint8_t *ev_flags;
	uint16_t *ev_n;
	uint64_t *ev_key;
	xo_node *ev_primary;     /* its first linkable identifier, or its own node */
	xo_node *flat;           /* each event's nodes, one after the other */
	size_t n_flat, cap_flat;
	int full;                /* pass 2 parses every event (profiles, state) */
	/* Kinds: whether each links, known once the kind is first seen. */
	signed char *kind_links;
	size_t cap_kinds;
	unsigned event_kind;
	/* Events carrying each placeholder or hub (the guards' reports), in
	 * each customer over --max-cluster (by xid), and with profiles or a
	 * state in each component (by root). */
	struct xo_u64map flagged_events;
	struct xo_u64map big_events;
	uint32_t *root_events;
	xo_time_t *root_first, *root_last;
	/* Guards. */
	xo_node *hubs;
	size_t n_hubs, cap_hubs;
	xo_node *big;            /* roots of clusters over --max-cluster */
	size_t n_big, cap_big;
	size_t placeholders;
	/* Probabilistic linking. */
	struct xo_linkage *lk;
	size_t *rec_event;       /* per record: its event, or SIZE_MAX (from the state) */
	size_t cap_rec_event;
	xo_node *rec_node;       /* per record: its node */
	char **rec_id;           /* per record: its event id (owned) */
	size_t cap_rec, n_rec_ids;
	struct xo_prob_link *prob;
	size_t n_prob, cap_prob;
	struct xo_linkage_stats lstats;
	/* State. */
	struct xo_mstate *st;
	long long *split_ids;
	uint64_t *split_xids;    /* survivor, absorbed pairs */
	/* Results. */
	struct xo_assign assign;
	struct xo_profiles *prof;
	struct sink events_out, profiles_out, pairs_out;
	struct xo_afile *report;
	struct xo_u64map touched;  /* xids of customers this run changed */
	uint64_t duplicates, old_events, unlinked_events;
	struct xo_evcore ev;
	struct xo_profile_in parts;  /* an event's, for its profile */
	struct batch batch;
	struct xo_buf why, text;
	struct xo_buf pseudo;     /* --hash-ids: a pseudonym */
	int state_pseudo;        /* the state holds pseudonyms */
	/* The join of a split run: link records in, not events. */
	struct xo_links_reader links;
};

/* ------------------------------------------------------------------ */
/* Outputs */

static void sink_open(struct sink *s, const char *where)
{
	s->on = where != NULL;
	if (where && strcmp(where, "-") != 0)
		s->file = xo_afile_open_or_die(where, 0600); /* personal data */
}

static void sink_write(struct sink *s, const char *data, size_t len)
{
	if (!s->file) {
		xo_out_write(data, len);
		return;
	}
	if (fwrite(data, 1, len, s->file->fp) != len)
		xo_die(XO_EXIT_OUTPUT, "%s: write failed: %s", s->file->path, strerror(errno));
}

static void sink_json(struct sink *s, const json_t *v)
{
	if (!s->file) {
		xo_out_json(v);
		return;
	}
	if (xo_json_fwrite(s->file->fp, v) != 0)
		xo_die(XO_EXIT_OUTPUT, "%s: write failed: %s", s->file->path, strerror(errno));
}

static void sink_close(struct sink *s)
{
	if (s->file)
		xo_afile_commit_or_die(s->file);
	s->file = NULL;
}

static void report(struct run *r, json_t *rec)
{
	if (r->report && xo_json_fwrite(r->report->fp, rec) != 0)
		xo_die(XO_EXIT_OUTPUT, "%s: write failed: %s", r->report->path, strerror(errno));
	json_decref(rec);
}

static json_t *ident_json(struct run *r, xo_node n)
{
	size_t len;
	const char *v = xo_idg_value(r->g, n, &len);
	unsigned kind = xo_idg_node_kind(r->g, n);
	const char *k = xo_idg_kind_name(r->g, kind);
	if (kind == r->event_kind)
		k = "event";
	return json_pack("{s:s%}", k, v, len);
}

static json_t *xid_json(uint64_t xid)
{
	char text[XO_XID_LEN + 1];
	xo_xid_format(xid, text);
	return json_string(text);
}

/* ------------------------------------------------------------------ */
/* Kinds and identifiers */

static int kind_links(struct run *r, unsigned kind)
{
	if (kind >= r->cap_kinds) {
		size_t old = r->cap_kinds;
		r->kind_links = xo_grow(r->kind_links, &r->cap_kinds, kind + 1, 1);
		memset(r->kind_links + old, -1, r->cap_kinds - old);
	}
	if (r->kind_links[kind] < 0) {
		const char *name = xo_idg_kind_name(r->g, kind);
		int links = r->o->keys == NULL;
		for (size_t i = 0; i < r->o->n_keys && !links; i++)
			links = strcmp(r->o->keys[i], name) == 0;
		r->kind_links[kind] = (signed char)links;
	}
	return r->kind_links[kind];
}

/* Flags a node gets from what it is: its kind and its value. */
static void classify(struct run *r, xo_node n)
{
	unsigned kind = xo_idg_node_kind(r->g, n);
	unsigned flags = xo_idg_flags(r->g, n) & ~(unsigned)XO_NODE_UNLINKABLE;
	if (kind == r->event_kind) {
		xo_idg_set_flags(r->g, n, flags | XO_NODE_RECORD);
		return;
	}
	size_t len;
	const char *v = xo_idg_value(r->g, n, &len);
	if (!kind_links(r, kind))
		flags |= XO_NODE_NOLINK;
	else if (xo_placeholder(r->o->ignore, xo_idg_kind_name(r->g, kind), v, len) ||
		 (len == strlen(XO_PSEUDO_PLACEHOLDER) && memcmp(v, XO_PSEUDO_PLACEHOLDER, len) == 0))
		flags |= XO_NODE_PLACEHOLDER, r->placeholders++;
	xo_idg_set_flags(r->g, n, flags);
}

/* --hash-ids: point *value at the pseudonym of the normalized value.
 * Placeholders (of the --ignore files too) all become the one
 * placeholder pseudonym, which classify() knows, as xo-ingest --hash-ids
 * does with the built-in ones. */
static void pseudonymize(struct run *r, unsigned kind, const char **value, size_t *len)
{
	const char *name = xo_idg_kind_name(r->g, kind);
	if (xo_pseudo_is(*value, *len))
		return;
	xo_buf_reset(&r->pseudo);
	if (xo_placeholder(r->o->ignore, name, *value, *len))
		xo_buf_adds(&r->pseudo, XO_PSEUDO_PLACEHOLDER);
	else
		xo_pseudo_of(r->o->pseudo, name, *value, *len, &r->pseudo);
	*value = r->pseudo.data;
	*len = r->pseudo.len;
}

/* ------------------------------------------------------------------ */
/* Pass 1 */

static void reserve_events(struct run *r, size_t cap)
{
	size_t old = r->cap_events;
	r->ev_flags = xo_big_realloc(r->ev_flags, old * sizeof *r->ev_flags, cap * sizeof *r->ev_flags);
	r->ev_n = xo_big_realloc(r->ev_n, old * sizeof *r->ev_n, cap * sizeof *r->ev_n);
	r->ev_key = xo_big_realloc(r->ev_key, old * sizeof *r->ev_key, cap * sizeof *r->ev_key);
	r->ev_primary = xo_big_realloc(r->ev_primary, old * sizeof *r->ev_primary,
				       cap * sizeof *r->ev_primary);
	r->cap_events = cap;
}

static void grow_events(struct run *r)
{
	if (r->n_events == r->cap_events)
		reserve_events(r, r->cap_events ? r->cap_events * 2 : 4096);
}

static void reserve_flat(struct run *r, size_t cap)
{
	r->flat = xo_big_realloc(r->flat, r->cap_flat * sizeof *r->flat, cap * sizeof *r->flat);
	r->cap_flat = cap;
}

/* Arrays sized once from the inputs' size (an event takes 150 bytes or
 * more), rather than grown and copied again and again; pages never
 * touched cost nothing. */
static void reserve_for_inputs(struct run *r)
{
	int64_t bytes = 0;
	for (int i = 0; i < r->n_inputs; i++) {
		struct stat st;
		if (strcmp(r->inputs[i].path, "-") != 0 && stat(r->inputs[i].path, &st) == 0 &&
		    S_ISREG(st.st_mode))
			bytes += st.st_size;
	}
	size_t events = (size_t)(bytes / 150) + 4096;
	reserve_events(r, events);
	reserve_flat(r, 2 * events);
	/* Exports carry about one new identifier and one new link for every
	 * two or three events; more is grown into. */
	xo_idg_reserve(r->g, events / 3, events / 3);
}

/* The node that stands for an event without a linkable identifier. */
static xo_node event_node(struct run *r, uint64_t key)
{
	char hex[17];
	xo_hash_hex(key, hex);
	int created;
	xo_node n = xo_idg_intern(r->g, r->event_kind, hex, 16, &created);
	if (created)
		classify(r, n);
	return n;
}

static void add_record(struct run *r, size_t event, const json_t *obj, int side)
{
	/* Records of events with the same identifiers and values are one. */
	uint64_t group = 0;
	if (r->ev_n[event] > 0)
		group = xo_siphash(&XO_HASH_PUBLIC, r->flat + r->n_flat - r->ev_n[event],
				   r->ev_n[event] * sizeof *r->flat) | 1;
	size_t before = xo_linkage_records(r->lk);
	long rec = xo_linkage_add_event(r->lk, obj, side, group);
	if (rec < 0 || (size_t)rec < before)
		return;
	r->rec_event = xo_grow(r->rec_event, &r->cap_rec_event, (size_t)rec + 1,
			       sizeof *r->rec_event);
	r->rec_event[rec] = event;
}

/* Queue one identifier of the event being queued, normalized. */
static void queue_value(struct run *r, const char *kind_name, size_t kind_len, const char *value,
			size_t len)
{
	struct batch *b = &r->batch;
	if (kind_len == 0 || kind_name[0] == '@')
		return;
	unsigned kind = xo_idg_kind(r->g, kind_name, kind_len);
	/* The link step normalized the values of link records. */
	if (!r->o->join) {
		xo_idnorm(xo_idg_kind_name(r->g, kind), value, len, &r->text);
		value = r->text.data;
		len = r->text.len;
	}
	if (len == 0)
		return;
	if (r->o->pseudo)
		pseudonymize(r, kind, &value, &len);
	else if (r->state_pseudo && !xo_pseudo_is(value, len))
		xo_die(XO_EXIT_USAGE, "%s: the state holds pseudonyms, but an event has %s as it "
		       "is: run with --hash-ids and the key the state was made with",
		       r->o->state, xo_idg_kind_name(r->g, kind));
	b->req = xo_grow(b->req, &b->cap_req, b->n_req + 1, sizeof *b->req);
	b->value_off = xo_grow(b->value_off, &b->cap_off, b->n_req + 1, sizeof *b->value_off);
	b->req[b->n_req] = (struct xo_idg_req){ kind, NULL, len, 0 };
	b->value_off[b->n_req++] = b->text.len;
	xo_buf_add(&b->text, value, len);
}

static struct pending *queue_event(struct run *r, size_t event)
{
	struct pending *p = &r->batch.ev[r->batch.n_ev++];
	p->event = event;
	p->first = r->batch.n_req;
	return p;
}

/* Queue the parsed event's identifiers for interning. */
static void queue_ids(struct run *r, size_t event)
{
	struct pending *p = queue_event(r, event);
	for (size_t i = 0; i < r->ev.n_ids; i++) {
		const struct xo_evid *id = &r->ev.ids[i];
		queue_value(r, id->kind, id->kind_len, id->value, id->value_len);
	}
	p->n = r->batch.n_req - p->first;
}

static void append_node(struct run *r, xo_node n)
{
	if (r->n_flat == r->cap_flat)
		reserve_flat(r, r->cap_flat ? r->cap_flat * 2 : 4096);
	r->flat[r->n_flat++] = n;
}

/* Intern one waiting event's identifiers and choose its node; its links
 * are made later (link_ids), once every event of the batch is here. */
static void take_ids(struct run *r, const struct pending *p, uint8_t *linkable)
{
	size_t event = p->event, start = r->n_flat;
	for (size_t i = 0; i < p->n; i++) {
		int created;
		unsigned flags;
		xo_node n = xo_idg_intern_hashed(r->g, &r->batch.req[p->first + i], &created, &flags);
		if (created) {
			classify(r, n);
			flags = xo_idg_flags(r->g, n);
		}
		if (flags & XO_NODE_PLACEHOLDER)
			(*xo_u64map_ref(&r->flagged_events, n))++;
		linkable[i] = !(flags & XO_NODE_UNLINKABLE);
		append_node(r, n);
	}
	r->ev_n[event] = (uint16_t)p->n;
	r->ev_primary[event] = XO_NODE_NONE;
	for (size_t i = 0; i < p->n && r->ev_primary[event] == XO_NODE_NONE; i++)
		if (linkable[i])
			r->ev_primary[event] = r->flat[start + i];
	if (r->ev_primary[event] == XO_NODE_NONE)
		r->ev_primary[event] = event_node(r, r->ev_key[event]);
}

/* Every pair of an event's linkable identifiers is a link (prefetch:
 * only start loading the links' slots). */
static void link_ids(struct run *r, const xo_node *nodes, const uint8_t *linkable, size_t n,
		     int prefetch)
{
	for (size_t i = 0; i < n; i++) {
		if (!linkable[i])
			continue;
		for (size_t j = i + 1; j < n; j++) {
			if (!linkable[j])
				continue;
			if (prefetch)
				xo_idg_prefetch_edge(r->g, nodes[i], nodes[j]);
			else
				xo_idg_edge(r->g, nodes[i], nodes[j], 0);
		}
	}
}

static void flush_batch(struct run *r)
{
	struct batch *b = &r->batch;
	for (size_t i = 0; i < b->n_req; i++) {
		b->req[i].value = b->text.data + b->value_off[i];
		xo_idg_prefetch(r->g, &b->req[i]);
	}
	for (size_t i = 0; i < b->n_req; i++)
		xo_idg_prefetch_record(r->g, &b->req[i]);
	uint8_t *linkable = xo_malloc(b->n_req + 1);
	size_t start = r->n_flat;
	for (size_t i = 0; i < b->n_ev; i++)
		take_ids(r, &b->ev[i], linkable + b->ev[i].first);
	for (int prefetch = 1; prefetch >= 0; prefetch--)
		for (size_t i = 0, off = start; i < b->n_ev; off += b->ev[i].n, i++)
			link_ids(r, r->flat + off, linkable + b->ev[i].first, b->ev[i].n, prefetch);
	free(linkable);
	b->n_ev = 0;
	b->n_req = 0;
	xo_buf_reset(&b->text);
}

static void take_event(struct run *r, const struct xo_mlines *in, int side)
{
	grow_events(r);
	size_t k = r->n_events++;
	r->ev_flags[k] = 0;
	r->ev_n[k] = 0;
	r->ev_key[k] = 0;
	r->ev_primary[k] = XO_NODE_NONE;
	if (xo_evcore_read(&r->ev, in->buf, in->len, r->lk != NULL, &r->why) != 0) {
		r->ev_flags[k] = EV_REJECTED;
		xo_rejects_add(r->rejects, in->name, in->line, in->buf, in->len, xo_buf_str(&r->why));
		return;
	}
	if (r->ev.has_xid)
		r->ev_flags[k] |= EV_JSON;
	r->ev_key[k] = xo_event_key(r->ev.id, r->ev.id_len);
	queue_ids(r, k);
	/* A record needs its event's nodes now, while the event is parsed. */
	if (r->batch.n_ev == BATCH || r->lk)
		flush_batch(r);
	if (r->lk) {
		xo_pseudo_record(r->o->pseudo, r->ev.obj);
		add_record(r, k, r->ev.obj, side);
	}
}

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* The identifiers of an event read by the reader thread, queued. */
static void queue_read(struct run *r, size_t event, const struct xo_evread_batch *rb,
		       const struct xo_evread_event *e)
{
	struct pending *p = queue_event(r, event);
	for (uint32_t i = e->first; i < e->first + e->n; i++) {
		const struct xo_evread_id *id = &rb->ids[i];
		queue_value(r, id->kind, id->kind_len, id->value, id->len);
	}
	p->n = r->batch.n_req - p->first;
}

static void take_read_batch(struct run *r, const struct xo_evread_batch *rb)
{
	for (size_t i = 0; i < rb->n_events; i++) {
		const struct xo_evread_event *e = &rb->events[i];
		grow_events(r);
		size_t k = r->n_events++;
		r->ev_flags[k] = e->rejected ? EV_REJECTED : e->has_xid ? EV_JSON : 0;
		r->ev_n[k] = 0;
		r->ev_key[k] = e->key;
		r->ev_primary[k] = XO_NODE_NONE;
		if (e->rejected)
			continue;
		queue_read(r, k, rb, e);
		if (r->batch.n_ev == BATCH)
			flush_batch(r);
	}
	flush_batch(r);
}

/* Without probabilistic linking (which needs each event parsed when its
 * record is taken), a thread reads and checks the events while this one
 * links the identifiers of the batch before. */
static void pass1_threaded(struct run *r)
{
	struct xo_evread *rd = xo_evread_start(r->inputs, r->n_inputs, r->rejects, &r->progress);
	const struct xo_evread_batch *b;
	while ((b = xo_evread_next(rd)))
		take_read_batch(r, b);
	xo_evread_finish(rd);
}

static void take_line(void *ctx, const struct xo_mlines *in, int side)
{
	take_event(ctx, in, side);
}

static void pass1_file(struct run *r, struct xo_evinput *f)
{
	xo_evinput_read(f, &r->progress, take_line, r);
	flush_batch(r);
}

/* The join: an event's link record takes the place of the event. */
static void take_link(void *ctx, const struct xo_mlines *in, int side)
{
	struct run *r = ctx;
	if (!xo_links_read(&r->links, in, 0))
		return;
	const struct xo_link_event *le = &r->links.ev;
	grow_events(r);
	size_t k = r->n_events++;
	r->ev_flags[k] = 0;
	r->ev_n[k] = 0;
	r->ev_key[k] = le->key;
	r->ev_primary[k] = XO_NODE_NONE;
	struct pending *p = queue_event(r, k);
	for (size_t i = 0; i < le->n_ids; i++)
		queue_value(r, le->ids[i].kind, le->ids[i].kind_len, le->ids[i].value, le->ids[i].len);
	p->n = r->batch.n_req - p->first;
	if (r->batch.n_ev == BATCH)
		flush_batch(r);
}

static void pass1_links(struct run *r)
{
	xo_links_reader_init(&r->links, r->o->traits, 1);
	for (int i = 0; i < r->n_inputs; i++) {
		xo_evinput_read(&r->inputs[i], &r->progress, take_link, r);
		xo_links_reader_end(&r->links, r->inputs[i].path);
	}
	flush_batch(r);
}

/* ------------------------------------------------------------------ */
/* Between the passes: guards, links, xids */

static void mark_hubs(struct run *r)
{
	if (r->o->max_degree == 0)
		return;
	const uint32_t *deg = xo_idg_degrees(r->g);
	size_t n = xo_idg_nodes(r->g);
	for (xo_node i = 0; i < n; i++) {
		unsigned f = xo_idg_flags(r->g, i);
		if ((f & XO_NODE_UNLINKABLE) || deg[i] <= r->o->max_degree)
			continue;
		xo_idg_set_flags(r->g, i, f | XO_NODE_HUB);
		r->hubs = xo_grow(r->hubs, &r->cap_hubs, r->n_hubs + 1, sizeof *r->hubs);
		r->hubs[r->n_hubs++] = i;
	}
}

static xo_node first_linkable(struct run *r, const xo_node *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (xo_idg_linkable(r->g, nodes[i]))
			return nodes[i];
	return XO_NODE_NONE;
}

/* Events repeated (the same id) are written but counted once: the
 * first in input order counts. Sorting the ids finds the repeated ones
 * without a table of every id. */
static void mark_repeats(struct run *r)
{
	uint64_t *keys = xo_big_calloc((r->n_events + 1) * sizeof *keys);
	size_t n = 0;
	for (size_t k = 0; k < r->n_events; k++)
		if (!(r->ev_flags[k] & EV_REJECTED))
			keys[n++] = r->ev_key[k];
	xo_u64_sort(keys, n);
	struct xo_u64map repeated = XO_U64MAP_INIT;
	for (size_t i = 1; i < n; i++)
		if (keys[i] == keys[i - 1])
			xo_u64map_put(&repeated, keys[i], 0);
	xo_big_free(keys, (r->n_events + 1) * sizeof *keys);
	if (xo_u64map_count(&repeated) == 0)
		return;
	size_t off = 0;
	for (size_t k = 0; k < r->n_events; off += r->ev_n[k], k++) {
		uint64_t *seen;
		if ((r->ev_flags[k] & EV_REJECTED) || !xo_u64map_get(&repeated, r->ev_key[k], NULL))
			continue;
		seen = xo_u64map_ref(&repeated, r->ev_key[k]);
		if ((*seen)++ == 0)
			continue;
		r->ev_flags[k] |= EV_DUP;
		r->duplicates++;
		for (size_t i = 0; i < r->ev_n[k]; i++)
			if (xo_idg_flags(r->g, r->flat[off + i]) & XO_NODE_PLACEHOLDER)
				(*xo_u64map_ref(&r->flagged_events, r->flat[off + i]))--;
	}
	xo_u64map_free(&repeated);
}

/* Events that carry a hub: counted for the report, and given another
 * node when the hub was their first linkable identifier. The hubs are
 * few, so a bitmap of them keeps this one pass over the events cheap. */
static void events_of_hubs(struct run *r)
{
	if (r->n_hubs == 0)
		return;
	size_t n_nodes = xo_idg_nodes(r->g);
	unsigned char *hub = xo_big_calloc(n_nodes / 8 + 1);
	for (size_t i = 0; i < r->n_hubs; i++)
		hub[r->hubs[i] / 8] |= (unsigned char)(1u << (r->hubs[i] % 8));
	size_t off = 0;
	for (size_t k = 0; k < r->n_events; off += r->ev_n[k], k++) {
		const xo_node *nodes = r->flat + off;
		int any = 0;
		for (size_t i = 0; i < r->ev_n[k]; i++) {
			if (!(hub[nodes[i] / 8] & (1u << (nodes[i] % 8))))
				continue;
			any = 1;
			if (!(r->ev_flags[k] & EV_DUP))
				(*xo_u64map_ref(&r->flagged_events, nodes[i]))++;
		}
		if (!any || !(hub[r->ev_primary[k] / 8] & (1u << (r->ev_primary[k] % 8))))
			continue;
		r->ev_primary[k] = first_linkable(r, nodes, r->ev_n[k]);
		if (r->ev_primary[k] == XO_NODE_NONE)
			r->ev_primary[k] = event_node(r, r->ev_key[k]);
	}
	xo_big_free(hub, n_nodes / 8 + 1);
}

static void record_nodes(struct run *r)
{
	size_t n_rec = xo_linkage_records(r->lk);
	size_t from_state = r->st ? xo_mstate_records(r->st) : 0;
	r->rec_node = xo_realloc(r->rec_node, (n_rec ? n_rec : 1) * sizeof *r->rec_node);
	r->rec_id = xo_realloc(r->rec_id, (n_rec ? n_rec : 1) * sizeof *r->rec_id);
	for (size_t i = from_state; i < n_rec; i++) {
		size_t k = r->rec_event[i];
		r->rec_node[i] = r->ev_primary[k];
		char hex[17];
		xo_hash_hex(r->ev_key[k], hex);
		r->rec_id[i] = xo_strdup(hex);
	}
	r->n_rec_ids = n_rec;
}

static void on_link(void *ctx, const struct xo_link *link)
{
	struct run *r = ctx;
	xo_node a = r->rec_node[link->a], b = r->rec_node[link->b];
	if (a == b)
		return;
	unsigned before = xo_idg_edge(r->g, a, b, XO_EDGE_PROB);
	xo_idg_union(r->g, a, b);
	if (before & XO_EDGE_KNOWN)
		return;
	r->prob = xo_grow(r->prob, &r->cap_prob, r->n_prob + 1, sizeof *r->prob);
	struct xo_prob_link *p = &r->prob[r->n_prob++];
	p->a = a;
	p->b = b;
	p->weight = link->weight;
	json_t *ev = xo_linkage_evidence(r->lk, link);
	json_object_set_new(ev, "p", json_real(round(link->p * 1e9) / 1e9));
	p->evidence = json_dumps(ev, XO_JSON_FLAGS);
	json_decref(ev);
	if (!p->evidence)
		xo_die(XO_EXIT_INTERNAL, "out of memory");
	/* "a" is the event with the smaller id, whatever the input order. */
	int swap = strcmp(r->rec_id[link->a], r->rec_id[link->b]) > 0;
	p->event_a = xo_strdup(r->rec_id[swap ? link->b : link->a]);
	p->event_b = xo_strdup(r->rec_id[swap ? link->a : link->b]);
}

static void link_probabilistic(struct run *r)
{
	record_nodes(r);
	xo_linkage_run(r->lk, on_link, r, &r->lstats);
	report(r, json_pack("{s:o}", "model", xo_linkage_model(r->lk)));
}

static void find_big_clusters(struct run *r)
{
	if (r->o->max_cluster == 0)
		return;
	size_t n = xo_idg_nodes(r->g);
	for (xo_node i = 0; i < n; i++) {
		if (!xo_idg_linkable(r->g, i) || xo_idg_root(r->g, i) != i)
			continue;
		if (xo_idg_component_size(r->g, i) > r->o->max_cluster) {
			r->big = xo_grow(r->big, &r->cap_big, r->n_big + 1, sizeof *r->big);
			r->big[r->n_big++] = i;
		}
	}
}

static void assign_xids(struct run *r)
{
	struct xo_assign_rules rules = { 0 };
	if (r->st) {
		rules.stored = xo_mstate_stored(r->st, &rules.n_stored);
		rules.taken = xo_mstate_taken;
		rules.survivor_cmp = xo_mstate_survivor_cmp;
		rules.ctx = r->st;
	}
	xo_assign_run(&r->assign, r->g, &rules);
}

/* ------------------------------------------------------------------ */
/* Pass 2 */

static void write_event(struct run *r, size_t k, const struct xo_mlines *in, uint64_t xid)
{
	char x[XO_XID_LEN + 1];
	xo_xid_format(xid, x);
	if (!(r->ev_flags[k] & EV_JSON) && !r->o->pseudo) {
		char tail[XO_EVXID_TAIL];
		size_t keep, n = xo_evxid_tail(in->buf, in->len, x, tail, &keep);
		sink_write(&r->events_out, in->buf, keep);
		sink_write(&r->events_out, tail, n);
	} else {
		json_t *obj = xo_evcore_json(&r->ev);
		json_object_set_new(obj, "xid", json_string(x));
		sink_json(&r->events_out, obj);
	}
	if (!r->events_out.file)
		xo_out_record_end();
}

/* With profiles or a state: each component's events and span, and each
 * link's events. */
static void count_event(struct run *r, size_t k, const xo_node *nodes, xo_node primary,
			xo_time_t ts)
{
	size_t n = r->ev_n[k];
	xo_node root = xo_idg_root(r->g, primary);
	r->root_events[root]++;
	if (ts < r->root_first[root])
		r->root_first[root] = ts;
	if (ts > r->root_last[root])
		r->root_last[root] = ts;
	if (!r->st && !r->pairs_out.on)
		return;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (xo_idg_edge_count(r->g, nodes[i], nodes[j], 1))
				xo_idg_edge(r->g, nodes[i], nodes[j], XO_EDGE_DIRTY);
}

/* What every event read in the second pass adds up to: its customer,
 * and when counted, the guards' counts, the links' events, the profile
 * (from parts, NULL when neither profiles nor a state are wanted). */
static void count_pass2(struct run *r, size_t k, const xo_node *nodes, xo_time_t ts,
			const struct xo_profile_in *parts)
{
	xo_node primary = r->ev_primary[k];
	uint64_t xid = r->assign.xid[primary];
	if (r->st)
		xo_u64set_add(&r->touched, xid);
	if (r->ev_flags[k] & (EV_DUP | EV_OLD))
		return;
	uint64_t big;
	if (r->n_big && xo_u64map_get(&r->big_events, xid, &big))
		xo_u64map_put(&r->big_events, xid, big + 1);
	if (!r->full) {
		if (r->pairs_out.on)
			for (size_t i = 0; i < r->ev_n[k]; i++)
				for (size_t j = i + 1; j < r->ev_n[k]; j++)
					xo_idg_edge_count(r->g, nodes[i], nodes[j], 1);
		return;
	}
	count_event(r, k, nodes, primary, ts);
	if (r->prof) {
		uint64_t owner = r->st ? primary : xid;
		xo_profiles_add_in(r->prof, owner, parts, ts, nodes, r->ev_n[k]);
	}
}

static void pass2_event(struct run *r, size_t k, const struct xo_mlines *in, const xo_node *nodes)
{
	uint8_t flags = r->ev_flags[k];
	int counted = !(flags & (EV_DUP | EV_OLD));
	int pseudo = r->o->pseudo != NULL;
	int parse = (r->full && counted) || ((flags & EV_JSON || pseudo) && r->events_out.on);
	if (parse && xo_evcore_read(&r->ev, in->buf, in->len, r->full || pseudo, &r->why) != 0)
		xo_die_at(XO_EXIT_INPUT, in->name, in->line, "changed while being read");
	if (parse)
		xo_pseudo_record(r->o->pseudo, xo_evcore_json(&r->ev));
	if (r->events_out.on)
		write_event(r, k, in, r->assign.xid[r->ev_primary[k]]);
	if (r->prof && counted)
		xo_profile_in_read(&r->parts, r->o->traits, r->ev.obj);
	count_pass2(r, k, nodes, r->ev.ts, &r->parts);
}

/* The join's second pass: an event's link record, and its parts when
 * it counts for a profile. */
static void pass2_link(struct run *r, size_t k, const struct xo_mlines *in, const xo_node *nodes)
{
	int counted = !(r->ev_flags[k] & (EV_DUP | EV_OLD));
	const struct xo_link_event *le = &r->links.ev;
	if (r->prof && counted && !le->has_parts)
		xo_die_at(XO_EXIT_INPUT, in->name, in->line,
			  "event %016llx cannot be read as JSON (a number out of range?), and its "
			  "profile needs it", (unsigned long long)le->key);
	count_pass2(r, k, nodes, le->ts, &le->parts);
}

static void open_again(struct xo_evinput *f, struct xo_mlines *in)
{
	if (f->spool) {
		if (fseek(f->spool, 0, SEEK_SET) != 0)
			xo_die(XO_EXIT_INTERNAL, "cannot read back a temporary file: %s",
			       strerror(errno));
		xo_mlines_open_fp(in, f->spool, strcmp(f->path, "-") == 0 ? "(stdin)" : f->path);
		f->spool = NULL;
		return;
	}
	if (xo_mlines_open(in, f->path) != 0)
		xo_die(XO_EXIT_INPUT, "%s: %s", f->path, strerror(errno));
	if (in->size != f->size)
		xo_die(XO_EXIT_INPUT, "%s: changed while being read", in->name);
}

static void pass2(struct run *r)
{
	size_t k = 0, off = 0;
	if (r->o->join)
		xo_links_reader_rewind(&r->links);
	for (int i = 0; i < r->n_inputs; i++) {
		struct xo_mlines in;
		open_again(&r->inputs[i], &in);
		while (xo_mlines_next(&in)) {
			if (is_blank(in.buf, in.len))
				continue;
			if (r->o->join) {
				int parts = k < r->n_events && r->full &&
					    !(r->ev_flags[k] & (EV_DUP | EV_OLD));
				if (!xo_links_read(&r->links, &in, parts))
					continue;
			}
			if (k >= r->n_events)
				xo_die(XO_EXIT_INPUT, "%s: changed while being read", in.name);
			/* The xid of an event a little ahead, loading meanwhile. */
			if (k + 16 < r->n_events && r->ev_primary[k + 16] != XO_NODE_NONE)
				__builtin_prefetch(&r->assign.xid[r->ev_primary[k + 16]]);
			if (r->o->join)
				pass2_link(r, k, &in, r->flat + off);
			else if (!(r->ev_flags[k] & EV_REJECTED))
				pass2_event(r, k, &in, r->flat + off);
			off += r->ev_n[k];
			k++;
		}
		xo_mlines_close(&in);
	}
	if (k != r->n_events)
		xo_die(XO_EXIT_INPUT, "an input changed while being read");
}

/* ------------------------------------------------------------------ */
/* Pairs, profiles, report */

struct pair_ctx {
	struct run *r;
	struct xo_u64map prob_index; /* edge key -> index into r->prob + 1 */
	json_t **out;
	uint64_t *order;
	size_t n, cap;
};

static uint64_t pair_key(xo_node a, xo_node b)
{
	return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static json_t *prob_pair_json(struct run *r, const struct xo_prob_link *p)
{
	json_t *ev = json_loads(p->evidence, 0, NULL);
	json_t *prob = json_object_get(ev, "p");
	json_t *rec = json_pack("{s:s,s:{s:s},s:{s:s},s:f,s:O}", "link", "match", "a", "event",
				p->event_a, "b", "event", p->event_b, "weight",
				round(p->weight * 1e4) / 1e4, "p", prob ? prob : json_null());
	json_object_del(ev, "p");
	json_object_set_new(rec, "evidence", ev);
	return rec;
}

static int pair_edge(void *ctx, xo_node a, xo_node b, unsigned flags, uint32_t count)
{
	struct pair_ctx *pc = ctx;
	struct run *r = pc->r;
	if ((flags & XO_EDGE_CUT) || !xo_idg_linkable(r->g, a) || !xo_idg_linkable(r->g, b))
		return 0;
	/* "a" is the end with the smaller hash, whatever the input order. */
	if (xo_idg_hash(r->g, a) > xo_idg_hash(r->g, b)) {
		xo_node t = a;
		a = b;
		b = t;
	}
	uint64_t xid = r->assign.xid[a];
	if (r->st && !xo_u64map_get(&r->touched, xid, NULL))
		return 0;
	json_t *rec;
	uint64_t idx;
	if (flags & XO_EDGE_PROB) {
		if (xo_u64map_get(&pc->prob_index, pair_key(a, b), &idx)) {
			rec = prob_pair_json(r, &r->prob[idx - 1]);
		} else {
			double w = 0;
			char *evidence = r->st ? xo_mstate_evidence(r->st, r->g, a, b, &w) : NULL;
			rec = json_pack("{s:s,s:o,s:o,s:f}", "link", "match", "a", ident_json(r, a),
					"b", ident_json(r, b), "weight", w);
			if (evidence)
				json_object_set_new(rec, "evidence", json_loads(evidence, 0, NULL));
			free(evidence);
		}
	} else {
		rec = json_pack("{s:s,s:o,s:o,s:I}", "link", "ids", "a", ident_json(r, a), "b",
				ident_json(r, b), "events", (json_int_t)count);
	}
	json_object_set_new(rec, "xid", xid_json(xid));
	pc->out = xo_grow(pc->out, &pc->cap, pc->n + 1, sizeof *pc->out);
	pc->order = xo_realloc(pc->order, pc->cap * 2 * sizeof *pc->order);
	uint64_t ha = xo_idg_hash(r->g, a), hb = xo_idg_hash(r->g, b);
	pc->order[2 * pc->n] = xid;
	pc->order[2 * pc->n + 1] = ha < hb ? ha ^ (hb >> 1) : hb ^ (ha >> 1);
	pc->out[pc->n++] = rec;
	return 0;
}

/* Pairs come out by xid, then by a number made of their ends' hashes:
 * the same order whatever the order of the input. */
static const uint64_t *pair_order;

static int cmp_pair(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	for (int i = 0; i < 2; i++)
		if (pair_order[2 * a + i] != pair_order[2 * b + i])
			return pair_order[2 * a + i] < pair_order[2 * b + i] ? -1 : 1;
	return (a > b) - (a < b);
}

static void write_pairs(struct run *r)
{
	struct pair_ctx pc = { .r = r, .prob_index = XO_U64MAP_INIT };
	for (size_t i = 0; i < r->n_prob; i++)
		xo_u64map_put(&pc.prob_index, pair_key(r->prob[i].a, r->prob[i].b), i + 1);
	xo_idg_each_edge(r->g, pair_edge, &pc);
	size_t *idx = xo_malloc((pc.n ? pc.n : 1) * sizeof *idx);
	for (size_t i = 0; i < pc.n; i++)
		idx[i] = i;
	pair_order = pc.order;
	qsort(idx, pc.n, sizeof *idx, cmp_pair);
	for (size_t i = 0; i < pc.n; i++) {
		sink_json(&r->pairs_out, pc.out[idx[i]]);
		json_decref(pc.out[idx[i]]);
	}
	free(idx);
	free(pc.out);
	free(pc.order);
	xo_u64map_free(&pc.prob_index);
}

/* Customers to write: every one, or with a state the ones this run
 * touched; with their owners (nodes with a state, else the xid). */
struct customer {
	uint64_t xid;
	size_t first, n;     /* into the owners array */
};

static int cmp_u64pair(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

static void write_profiles(struct run *r)
{
	xo_profiles_set_owners(r->prof, r->assign.xid, r->assign.n_nodes);
	size_t n_owners;
	uint64_t *owners = xo_profiles_owners(r->prof, &n_owners);
	/* (xid, owner) pairs sorted by xid group each customer's owners. */
	uint64_t *pairs = xo_malloc((n_owners ? n_owners : 1) * 2 * sizeof *pairs);
	for (size_t i = 0; i < n_owners; i++) {
		pairs[2 * i] = r->st ? r->assign.xid[owners[i]] : owners[i];
		pairs[2 * i + 1] = owners[i];
	}
	qsort(pairs, n_owners, 2 * sizeof *pairs, cmp_u64pair);
	uint64_t *group = xo_malloc((n_owners ? n_owners : 1) * sizeof *group);
	for (size_t i = 0; i < n_owners;) {
		size_t j = i, n = 0;
		while (j < n_owners && pairs[2 * j] == pairs[2 * i])
			group[n++] = pairs[2 * j++ + 1];
		if (!r->st || xo_u64map_get(&r->touched, pairs[2 * i], NULL)) {
			char x[XO_XID_LEN + 1];
			xo_xid_format(pairs[2 * i], x);
			json_t *p = xo_profiles_json(r->prof, group, n, x);
			if (p)
				sink_json(&r->profiles_out, p);
			json_decref(p);
		}
		i = j;
	}
	free(group);
	free(pairs);
	free(owners);
}

/* The map for the label steps: every identifier of this run's events
 * that links, and every event's node that stands for it alone, with the
 * xid of its customer. The label step takes an event's first identifier
 * found in it, which is the identifier the event was linked through. */
static void map_text(void *ctx, uint64_t ref, const char **kind, const char **value, size_t *len)
{
	struct run *r = ctx;
	*kind = xo_idg_kind_name(r->g, xo_idg_node_kind(r->g, (xo_node)ref));
	*value = xo_idg_value(r->g, (xo_node)ref, len);
}

static void write_map(struct run *r)
{
	size_t n_nodes = xo_idg_nodes(r->g), bytes = n_nodes / 8 + 1;
	unsigned char *seen = xo_big_calloc(bytes);
	for (size_t i = 0; i < r->n_flat; i++)
		seen[r->flat[i] / 8] |= (unsigned char)(1u << (r->flat[i] % 8));
	for (size_t k = 0; k < r->n_events; k++)
		if (r->ev_primary[k] != XO_NODE_NONE)
			seen[r->ev_primary[k] / 8] |= (unsigned char)(1u << (r->ev_primary[k] % 8));
	size_t n = 0;
	for (xo_node i = 0; i < n_nodes; i++)
		n += (seen[i / 8] >> (i % 8) & 1) && xo_idg_linkable(r->g, i) && r->assign.xid[i];
	struct xo_xidmap_entry *e = xo_big_calloc((n ? n : 1) * sizeof *e);
	size_t j = 0;
	for (xo_node i = 0; i < n_nodes; i++)
		if ((seen[i / 8] >> (i % 8) & 1) && xo_idg_linkable(r->g, i) && r->assign.xid[i])
			e[j++] = (struct xo_xidmap_entry){ xo_idg_hash(r->g, i), r->assign.xid[i], i };
	xo_big_free(seen, bytes);
	xo_xidmap_write(r->o->map_out, e, n, map_text, r);
	xo_big_free(e, (n ? n : 1) * sizeof *e);
}

/* Nodes ordered by kind name then value: reports in the same order
 * whatever the order of the input. */
static struct xo_idg *sort_graph;

static int cmp_node(const void *x, const void *y)
{
	xo_node a = *(const xo_node *)x, b = *(const xo_node *)y;
	int c = strcmp(xo_idg_kind_name(sort_graph, xo_idg_node_kind(sort_graph, a)),
		       xo_idg_kind_name(sort_graph, xo_idg_node_kind(sort_graph, b)));
	if (c)
		return c;
	size_t la, lb;
	const char *va = xo_idg_value(sort_graph, a, &la), *vb = xo_idg_value(sort_graph, b, &lb);
	c = memcmp(va, vb, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

static void sort_nodes(struct run *r, xo_node *list, size_t n)
{
	sort_graph = r->g;
	if (n > 1)
		qsort(list, n, sizeof *list, cmp_node);
}

/* The first few of a kind of warning on stderr, the rest counted. */
#define WARN_SHOWN 10

static uint64_t events_of(const struct run *r, xo_node n)
{
	uint64_t v = 0;
	xo_u64map_get(&r->flagged_events, n, &v);
	return v;
}

static void report_placeholders(struct run *r)
{
	size_t n = xo_u64map_count(&r->flagged_events), k = 0;
	xo_node *list = xo_malloc((n ? n : 1) * sizeof *list);
	for (size_t s = 0; s < r->flagged_events.slots; s++) {
		uint64_t node = r->flagged_events.keys[s];
		if (node != UINT64_MAX && r->flagged_events.vals[s] &&
		    (xo_idg_flags(r->g, (xo_node)node) & XO_NODE_PLACEHOLDER))
			list[k++] = (xo_node)node;
	}
	sort_nodes(r, list, k);
	for (size_t i = 0; i < k; i++) {
		json_t *rec = json_pack("{s:s}", "guard", "placeholder");
		json_object_update_new(rec, ident_json(r, list[i]));
		json_object_set_new(rec, "events", json_integer((json_int_t)events_of(r, list[i])));
		report(r, rec);
	}
	free(list);
}

static void report_hubs(struct run *r)
{
	const uint32_t *deg = xo_idg_degrees(r->g);
	sort_nodes(r, r->hubs, r->n_hubs);
	for (size_t i = 0; i < r->n_hubs; i++) {
		xo_node h = r->hubs[i];
		size_t len;
		const char *v = xo_idg_value(r->g, h, &len);
		if (i < WARN_SHOWN)
			xo_warn("%s \"%.*s\" is linked to %u other identifiers (over --max-degree %lu): "
				"not used", xo_idg_kind_name(r->g, xo_idg_node_kind(r->g, h)),
				(int)(len > 60 ? 60 : len), v, deg[h], r->o->max_degree);
		json_t *rec = json_pack("{s:s}", "guard", "max-degree");
		json_object_update_new(rec, ident_json(r, h));
		json_object_set_new(rec, "degree", json_integer(deg[h]));
		json_object_set_new(rec, "limit", json_integer((json_int_t)r->o->max_degree));
		json_object_set_new(rec, "events", json_integer((json_int_t)events_of(r, h)));
		report(r, rec);
	}
	if (r->n_hubs > WARN_SHOWN)
		xo_warn("%zu more identifiers over --max-degree not shown%s", r->n_hubs - WARN_SHOWN,
			r->report ? "" : " (see them all with --report FILE)");
}

static void report_big(struct run *r)
{
	/* Customers by xid. */
	uint64_t *pairs = xo_malloc((r->n_big + 1) * 2 * sizeof *pairs);
	for (size_t i = 0; i < r->n_big; i++) {
		pairs[2 * i] = r->assign.xid[r->big[i]];
		pairs[2 * i + 1] = r->big[i];
	}
	qsort(pairs, r->n_big, 2 * sizeof *pairs, cmp_u64pair);
	for (size_t i = 0; i < r->n_big; i++) {
		xo_node root = (xo_node)pairs[2 * i + 1];
		char x[XO_XID_LEN + 1];
		xo_xid_format(pairs[2 * i], x);
		uint32_t size = xo_idg_component_size(r->g, root);
		uint64_t events = 0;
		xo_u64map_get(&r->big_events, pairs[2 * i], &events);
		if (i < WARN_SHOWN)
			xo_warn("customer %s has %u identifiers (over --max-cluster %lu)", x, size,
				r->o->max_cluster);
		report(r, json_pack("{s:s,s:s,s:I,s:I,s:I}", "guard", "max-cluster", "xid", x,
				    "identifiers", (json_int_t)size, "events", (json_int_t)events, "limit",
				    (json_int_t)r->o->max_cluster));
	}
	if (r->n_big > WARN_SHOWN)
		xo_warn("%zu more customers over --max-cluster not shown%s", r->n_big - WARN_SHOWN,
			r->report ? "" : " (see them all with --report FILE)");
	free(pairs);
}

static void report_guards(struct run *r)
{
	if (r->report)
		report_placeholders(r);
	report_hubs(r);
	report_big(r);
}

static json_t *cause_json(struct run *r, xo_node a, xo_node b)
{
	if (a == XO_NODE_NONE)
		return json_null();
	unsigned flags = xo_idg_edge_flags(r->g, a, b, NULL);
	return json_pack("{s:s,s:o,s:o}", "link", (flags & XO_EDGE_PROB) ? "match" : "ids", "a",
			 ident_json(r, a), "b", ident_json(r, b));
}

static void report_merges(struct run *r, const long long *merge_ids)
{
	for (size_t i = 0; i < r->assign.n_merges; i++) {
		const struct xo_merge_event *m = &r->assign.merges[i];
		char s[XO_XID_LEN + 1], a[XO_XID_LEN + 1];
		xo_xid_format(m->survivor, s);
		xo_xid_format(m->absorbed, a);
		if (i < WARN_SHOWN)
			xo_warn("merge %lld: customer %s merged into %s", merge_ids ? merge_ids[i] : 0LL,
				a, s);
		json_t *rec = json_pack("{s:I,s:s,s:s,s:o,s:I}", "merge",
					(json_int_t)(merge_ids ? merge_ids[i] : 0), "survivor", s,
					"absorbed", a, "cause", cause_json(r, m->cause_a, m->cause_b),
					"identifiers", (json_int_t)m->n_members);
		report(r, rec);
	}
	for (size_t i = 0; i < r->assign.n_detaches; i++) {
		const struct xo_detach_event *d = &r->assign.detaches[i];
		char f[XO_XID_LEN + 1], t[XO_XID_LEN + 1];
		xo_xid_format(d->from, f);
		xo_xid_format(d->to, t);
		if (i < WARN_SHOWN)
			xo_warn("customer %s: a part no longer linked to it is now %s", f, t);
		report(r, json_pack("{s:s,s:s,s:I}", "detach", f, "xid", t, "identifiers",
				    (json_int_t)xo_idg_component_size(r->g, d->root)));
	}
	size_t hidden = (r->assign.n_merges > WARN_SHOWN ? r->assign.n_merges - WARN_SHOWN : 0) +
			(r->assign.n_detaches > WARN_SHOWN ? r->assign.n_detaches - WARN_SHOWN : 0);
	if (hidden)
		xo_warn("%zu more merges and detached parts not shown%s", hidden,
			r->report ? "" : " (see them all with --report FILE)");
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Events read, rejected ones too (in a join, the link steps' count). */
static size_t events_read(const struct run *r)
{
	return r->n_events + (size_t)r->links.rejected;
}

/* Identifiers seen, leaving out the nodes that stand for events. */
static size_t identifiers(struct run *r)
{
	size_t n = xo_idg_nodes(r->g), k = 0;
	for (xo_node i = 0; i < n; i++)
		k += !(xo_idg_flags(r->g, i) & XO_NODE_RECORD);
	return k;
}

static void summary(struct run *r, size_t rejected)
{
	size_t customers = r->assign.customers, ids = identifiers(r);
	size_t events = events_read(r);
	json_t *s = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "events",
			      (json_int_t)events, "rejected", (json_int_t)rejected, "duplicates",
			      (json_int_t)r->duplicates, "identifiers", (json_int_t)ids, "customers",
			      (json_int_t)customers, "placeholders", (json_int_t)r->placeholders,
			      "over_max_degree", (json_int_t)r->n_hubs, "over_max_cluster",
			      (json_int_t)r->n_big, "probabilistic_links", (json_int_t)r->lstats.links);
	if (r->st) {
		json_object_set_new(s, "merges", json_integer((json_int_t)r->assign.n_merges));
		json_object_set_new(s, "detached", json_integer((json_int_t)r->assign.n_detaches));
		json_object_set_new(s, "already_counted", json_integer((json_int_t)r->old_events));
	}
	report(r, json_pack("{s:o}", "summary", s));
	struct xo_buf line = XO_BUF_INIT;
	xo_buf_printf(&line, "%zu %s", events, plural(events, "event", "events"));
	if (rejected || r->duplicates)
		xo_buf_printf(&line, " (%zu rejected, %llu %s)", rejected,
			      (unsigned long long)r->duplicates,
			      plural(r->duplicates, "repeated id", "repeated ids"));
	xo_buf_printf(&line, ", %zu %s -> %zu %s", ids, plural(ids, "identifier", "identifiers"),
		      customers, plural(customers, "customer", "customers"));
	if (r->placeholders || r->n_hubs || r->n_big)
		xo_buf_printf(&line, "; guards: %zu %s, %zu over --max-degree, %zu %s over --max-cluster",
			      r->placeholders, plural(r->placeholders, "placeholder", "placeholders"),
			      r->n_hubs, r->n_big, plural(r->n_big, "customer", "customers"));
	if (r->lk)
		xo_buf_printf(&line, "; %llu probabilistic %s from %llu candidate pairs",
			      (unsigned long long)r->lstats.links,
			      plural(r->lstats.links, "link", "links"),
			      (unsigned long long)r->lstats.candidates);
	if (r->st)
		xo_buf_printf(&line, "; state: %zu %s, %zu detached, %llu %s counted before",
			      r->assign.n_merges, plural(r->assign.n_merges, "merge", "merges"),
			      r->assign.n_detaches, (unsigned long long)r->old_events,
			      plural(r->old_events, "event", "events"));
	xo_warn("%s", xo_buf_str(&line));
	xo_buf_free(&line);
	if (r->lstats.rx_limits)
		xo_error("%llu linkage field values left empty: an extract pattern hit the match "
			 "limit", (unsigned long long)r->lstats.rx_limits);
}

/* ------------------------------------------------------------------ */
/* The state */

/* A state keeps identifiers as they are or pseudonymized (by
 * --hash-ids here or in xo-ingest): mixing the two would give every
 * known customer a new xid. (Another key cannot be told.) */
static void check_state_pseudonyms(struct run *r)
{
	size_t n = xo_idg_nodes(r->g), len;
	for (xo_node i = 0; i < n; i++) {
		if (xo_idg_node_kind(r->g, i) == r->event_kind)
			continue;
		const char *v = xo_idg_value(r->g, i, &len);
		r->state_pseudo = xo_pseudo_is(v, len);
		if (!r->state_pseudo && r->o->pseudo)
			xo_die(XO_EXIT_USAGE, "%s: the state holds identifiers as they are: run "
			       "without --hash-ids, or start a new state", r->o->state);
		return;
	}
}

static void state_before(struct run *r)
{
	r->st = xo_mstate_open(r->o->state, r->o->command);
	xo_mstate_load(r->st, r->g);
	size_t n = xo_idg_nodes(r->g);
	for (xo_node i = 0; i < n; i++)
		classify(r, i);
	check_state_pseudonyms(r);
	for (size_t i = 0; i < r->o->n_splits; i++) {
		long long id;
		uint64_t survivor, absorbed;
		if (xo_mstate_split(r->st, r->g, r->o->splits[i], &r->why, &id, &survivor,
				    &absorbed) != 0)
			xo_die(XO_EXIT_USAGE, "--split %s: %s", r->o->splits[i], xo_buf_str(&r->why));
		char s[XO_XID_LEN + 1], a[XO_XID_LEN + 1];
		xo_xid_format(survivor, s);
		xo_xid_format(absorbed, a);
		xo_warn("split %lld: customer %s taken back out of %s", id, a, s);
		report(r, json_pack("{s:I,s:s,s:s}", "split", (json_int_t)id, "survivor", s,
				    "restored", a));
		xo_u64set_add(&r->touched, survivor);
		xo_u64set_add(&r->touched, absorbed);
	}
	if (r->lk) {
		xo_mstate_load_records(r->st, r->lk, &r->rec_node, &r->rec_id, &r->cap_rec);
		size_t n_rec = xo_mstate_records(r->st);
		r->n_rec_ids = n_rec;
		r->rec_event = xo_grow(r->rec_event, &r->cap_rec_event, n_rec + 1,
				       sizeof *r->rec_event);
		for (size_t i = 0; i < n_rec; i++)
			r->rec_event[i] = SIZE_MAX;
	}
}

static void mark_old_events(struct run *r)
{
	struct xo_u64map seen = XO_U64MAP_INIT;
	xo_mstate_seen(r->st, r->ev_key, r->n_events, &seen);
	for (size_t k = 0; k < r->n_events; k++) {
		if ((r->ev_flags[k] & (EV_REJECTED | EV_DUP)) || !xo_u64map_get(&seen, r->ev_key[k], NULL))
			continue;
		r->ev_flags[k] |= EV_OLD;
		r->old_events++;
	}
	xo_u64map_free(&seen);
}

static void touch_changes(struct run *r)
{
	for (size_t i = 0; i < r->assign.n_merges; i++)
		xo_u64set_add(&r->touched, r->assign.merges[i].survivor);
	for (size_t i = 0; i < r->assign.n_detaches; i++) {
		xo_u64set_add(&r->touched, r->assign.detaches[i].from);
		xo_u64set_add(&r->touched, r->assign.detaches[i].to);
	}
}

/* Nodes of the touched customers: their stored accumulators are read
 * so that profiles cover every run, and (for nodes with new events)
 * written back with this run's events added. */
static void state_profiles(struct run *r)
{
	size_t n = xo_idg_nodes(r->g), k = 0;
	xo_node *nodes = xo_malloc((n ? n : 1) * sizeof *nodes);
	uint64_t *owners = xo_malloc((n ? n : 1) * sizeof *owners);
	for (xo_node i = 0; i < n; i++) {
		uint64_t x = r->assign.xid[i];
		if (x && xo_u64map_get(&r->touched, x, NULL)) {
			nodes[k] = i;
			owners[k++] = i;
		}
	}
	xo_mstate_load_accs(r->st, r->prof, r->g, nodes, owners, k);
	free(nodes);
	free(owners);
}

static void customer_stats(struct run *r, struct xo_u64map *index,
			   struct xo_customer_stats **stats, size_t *n_stats)
{
	size_t n = xo_idg_nodes(r->g), k = 0;
	*stats = xo_malloc((r->assign.customers + 1) * sizeof **stats);
	for (xo_node i = 0; i < n; i++) {
		if (!xo_idg_linkable(r->g, i) || xo_idg_root(r->g, i) != i ||
		    r->root_events[i] == 0)
			continue;
		xo_u64map_put(index, r->assign.xid[i], k);
		(*stats)[k++] = (struct xo_customer_stats){ r->root_events[i], r->root_first[i],
							    r->root_last[i] };
	}
	*n_stats = k;
}

static void save_state(struct run *r, long long *merge_ids)
{
	struct xo_mstate_changes c = { .g = r->g, .assign = &r->assign };
	struct xo_u64map index = XO_U64MAP_INIT;
	struct xo_customer_stats *stats;
	size_t n_stats;
	customer_stats(r, &index, &stats, &n_stats);
	c.customer_index = &index;
	c.customer = stats;
	char **causes = xo_calloc(r->assign.n_merges + 1, sizeof *causes);
	for (size_t i = 0; i < r->assign.n_merges; i++) {
		json_t *cause = cause_json(r, r->assign.merges[i].cause_a, r->assign.merges[i].cause_b);
		causes[i] = json_dumps(cause, XO_JSON_FLAGS | JSON_ENCODE_ANY);
		json_decref(cause);
	}
	c.merge_causes = causes;
	uint64_t *fresh = xo_malloc((r->n_events ? r->n_events : 1) * sizeof *fresh);
	size_t n_fresh = 0;
	for (size_t k = 0; k < r->n_events; k++)
		if (!(r->ev_flags[k] & (EV_REJECTED | EV_DUP | EV_OLD)))
			fresh[n_fresh++] = r->ev_key[k];
	c.new_events = fresh;
	c.n_new_events = n_fresh;
	c.prob = r->prob;
	c.n_prob = r->n_prob;
	/* Records new in this run, with their cleaned values. */
	size_t from_state = r->lk ? xo_mstate_records(r->st) : 0;
	size_t n_rec = r->lk ? xo_linkage_records(r->lk) : 0;
	struct xo_new_record *recs = xo_calloc(n_rec - from_state + 1, sizeof *recs);
	const char **values = NULL;
	size_t n_fields = r->o->spec ? r->o->spec->n_fields : 0;
	if (n_rec > from_state)
		values = xo_malloc((n_rec - from_state) * (n_fields ? n_fields : 1) * sizeof *values);
	for (size_t i = from_state; i < n_rec; i++) {
		struct xo_new_record *nr = &recs[i - from_state];
		nr->event_id = r->rec_id[i];
		nr->node = r->rec_node[i];
		nr->side = xo_linkage_side(r->lk, i);
		nr->group = xo_linkage_group(r->lk, i);
		nr->values = values + (i - from_state) * n_fields;
		nr->n_values = n_fields;
		for (size_t f = 0; f < n_fields; f++)
			values[(i - from_state) * n_fields + f] = xo_linkage_value(r->lk, i, f);
	}
	c.records = recs;
	c.n_records = n_rec - from_state;
	c.profiles = r->prof;
	/* Every owner is a node here: those loaded and those with new events. */
	size_t n_owners = 0;
	uint64_t *owners = r->prof ? xo_profiles_owners(r->prof, &n_owners) : NULL;
	xo_node *acc_nodes = xo_malloc((n_owners ? n_owners : 1) * sizeof *acc_nodes);
	for (size_t i = 0; i < n_owners; i++)
		acc_nodes[i] = (xo_node)owners[i];
	free(owners);
	c.acc_nodes = acc_nodes;
	c.n_acc_nodes = n_owners;
	c.events_read = events_read(r);
	xo_mstate_save(r->st, &c, merge_ids);
	for (size_t i = 0; i < r->assign.n_merges; i++)
		free(causes[i]);
	free(causes);
	free(acc_nodes);
	free(values);
	free(recs);
	free(fresh);
	free(stats);
	xo_u64map_free(&index);
}

/* ------------------------------------------------------------------ */

static void run_init(struct run *r, const struct xo_merge_opts *o, char **inputs, int n)
{
	memset(r, 0, sizeof *r);
	r->o = o;
	r->g = xo_idg_new();
	r->event_kind = xo_idg_kind(r->g, EVENT_KIND, strlen(EVENT_KIND));
	r->rejects = xo_rejects_open(o->rejects);
	xo_evcore_init(&r->ev);
	xo_progress_init(&r->progress);
	r->full = o->profiles_out != NULL || o->state != NULL;
	static char *stdin_only[] = { "-" };
	int read_stdin = n == 0 && o->n_splits == 0;
	if (n == 0) {
		inputs = stdin_only;
		n = read_stdin ? 1 : 0;
	}
	r->n_inputs = o->link_a ? n + 1 : n;
	r->inputs = xo_calloc((size_t)r->n_inputs + 1, sizeof *r->inputs);
	int j = 0;
	if (o->link_a)
		r->inputs[j++] = (struct xo_evinput){ o->link_a, NULL, -1, 0 };
	for (int i = 0; i < n; i++)
		r->inputs[j++] = (struct xo_evinput){ inputs[i], NULL, -1, o->link_a ? 1 : 0 };
	if (o->spec)
		r->lk = xo_linkage_new(o->spec, o->link_a != NULL);
	if (r->full)
		r->prof = xo_profiles_new(o->traits, r->g);
	sink_open(&r->events_out, o->events_out);
	sink_open(&r->profiles_out, o->profiles_out);
	sink_open(&r->pairs_out, o->pairs_out);
	if (o->report)
		r->report = xo_afile_open_or_die(o->report, 0600);
}

static void run_free(struct run *r)
{
	xo_assign_free(&r->assign);
	xo_profiles_free(r->prof);
	xo_linkage_free(r->lk);
	for (size_t i = 0; i < r->n_prob; i++) {
		free(r->prob[i].evidence);
		free(r->prob[i].event_a);
		free(r->prob[i].event_b);
	}
	free(r->prob);
	for (size_t i = 0; i < r->n_rec_ids; i++)
		free(r->rec_id[i]);
	free(r->rec_id);
	free(r->rec_node);
	free(r->rec_event);
	free(r->hubs);
	free(r->big);
	xo_u64map_free(&r->flagged_events);
	xo_u64map_free(&r->big_events);
	free(r->root_events);
	free(r->root_first);
	free(r->root_last);
	xo_big_free(r->ev_flags, r->cap_events * sizeof *r->ev_flags);
	xo_big_free(r->ev_n, r->cap_events * sizeof *r->ev_n);
	xo_big_free(r->ev_key, r->cap_events * sizeof *r->ev_key);
	xo_big_free(r->ev_primary, r->cap_events * sizeof *r->ev_primary);
	xo_big_free(r->flat, r->cap_flat * sizeof *r->flat);
	free(r->kind_links);
	free(r->inputs);
	xo_u64map_free(&r->touched);
	xo_evcore_free(&r->ev);
	xo_buf_free(&r->pseudo);
	xo_profile_in_free(&r->parts);
	xo_links_reader_free(&r->links);
	free(r->batch.req);
	free(r->batch.value_off);
	xo_buf_free(&r->batch.text);
	xo_buf_free(&r->why);
	xo_buf_free(&r->text);
	xo_idg_free(r->g);
}

int xo_merge_run(const struct xo_merge_opts *o, char **inputs, int n)
{
	struct run r;
	run_init(&r, o, inputs, n);
	if (o->state)
		state_before(&r);
	reserve_for_inputs(&r);
	if (o->join) {
		pass1_links(&r);
	} else if (r.lk) {
		for (int i = 0; i < r.n_inputs; i++)
			pass1_file(&r, &r.inputs[i]);
	} else {
		pass1_threaded(&r);
	}
	xo_progress_done(&r.progress);
	mark_repeats(&r);
	if (r.st)
		mark_old_events(&r);
	mark_hubs(&r);
	events_of_hubs(&r);
	xo_idg_link_edges(r.g);
	if (r.lk)
		link_probabilistic(&r);
	find_big_clusters(&r);
	assign_xids(&r);
	for (size_t i = 0; i < r.n_big; i++)
		xo_u64map_put(&r.big_events, r.assign.xid[r.big[i]], 0);
	if (r.full) {
		size_t nodes = xo_idg_nodes(r.g) + 1;
		r.root_events = xo_calloc(nodes, sizeof *r.root_events);
		r.root_first = xo_malloc(nodes * sizeof *r.root_first);
		r.root_last = xo_malloc(nodes * sizeof *r.root_last);
		for (size_t i = 0; i < nodes; i++) {
			r.root_first[i] = INT64_MAX;
			r.root_last[i] = INT64_MIN;
		}
	}
	pass2(&r);
	long long *merge_ids = xo_calloc(r.assign.n_merges + 1, sizeof *merge_ids);
	if (r.st) {
		touch_changes(&r);
		state_profiles(&r);
		save_state(&r, merge_ids);
	}
	if (r.pairs_out.on)
		write_pairs(&r);
	if (r.profiles_out.on)
		write_profiles(&r);
	if (o->map_out)
		write_map(&r);
	report_guards(&r);
	report_merges(&r, r.st ? merge_ids : NULL);
	size_t rejected = (size_t)(xo_rejects_count(r.rejects) + r.links.rejected);
	summary(&r, rejected);
	sink_close(&r.events_out);
	sink_close(&r.profiles_out);
	sink_close(&r.pairs_out);
	if (r.report)
		xo_afile_commit_or_die(r.report);
	xo_rejects_close(r.rejects);
	xo_out_finish();
	if (r.st) {
		if (getenv("XO_MERGE_PAUSE_BEFORE_COMMIT"))
			sleep((unsigned)atoi(getenv("XO_MERGE_PAUSE_BEFORE_COMMIT")));
		if (!o->dry_run)
			xo_mstate_commit(r.st);
		xo_mstate_close(r.st);
	}
	free(merge_ids);
	run_free(&r);
	return rejected || r.lstats.rx_limits ? XO_EXIT_REJECTS : XO_EXIT_OK;
}
