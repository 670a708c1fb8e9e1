#include "journey.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"

#define DEFAULT_CONTACT "^(phone|email|chat|sms|social|messaging|whatsapp|letter):"
#define DEFAULT_ISSUE_START \
	"[:.](complaint|escalation)(\\.|$)|[:.](case|ticket)\\.open(ed)?(\\.|$)"
#define DEFAULT_ISSUE_END "[:.](resolved|closed|solved)(\\.|$)"

static struct xo_rx *builtin_rx(const char *pattern)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_rx *rx = xo_rx_compile(pattern, 0, &err);
	if (!rx)
		xo_die(XO_EXIT_INTERNAL, "built-in pattern: %s", xo_buf_str(&err));
	return rx;
}

void xo_jconfig_init(struct xo_jconfig *c)
{
	memset(c, 0, sizeof *c);
	c->as_of = xo_time_now();
	c->gap = 30 * 60 * XO_USEC_PER_SEC;
	c->repeat_window = 7 * XO_USEC_PER_DAY;
	c->contact = builtin_rx(DEFAULT_CONTACT);
	xo_jconfig_kind(c, "issue", builtin_rx(DEFAULT_ISSUE_START),
			builtin_rx(DEFAULT_ISSUE_END), 30 * XO_USEC_PER_DAY);
}

int xo_jconfig_kind(struct xo_jconfig *c, const char *name, struct xo_rx *start,
		    struct xo_rx *end, xo_time_t timeout)
{
	size_t k;
	for (k = 0; k < c->n_kinds; k++)
		if (strcmp(c->kinds[k].name, name) == 0)
			break;
	if (k == XO_JOURNEY_MAX_KINDS) {
		xo_rx_free(start);
		xo_rx_free(end);
		return -1;
	}
	struct xo_episode_kind *kind = &c->kinds[k];
	if (k == c->n_kinds) {
		kind->name = xo_strdup(name);
		c->n_kinds++;
	} else {
		xo_rx_free(kind->start);
		xo_rx_free(kind->end);
	}
	kind->start = start;
	kind->end = end;
	kind->timeout = timeout;
	return 0;
}

void xo_jconfig_free(struct xo_jconfig *c)
{
	xo_rx_free(c->contact);
	for (size_t k = 0; k < c->n_kinds; k++) {
		free(c->kinds[k].name);
		xo_rx_free(c->kinds[k].start);
		xo_rx_free(c->kinds[k].end);
	}
	memset(c, 0, sizeof *c);
}

void xo_jbuilder_init(struct xo_jbuilder *b, const struct xo_jconfig *cfg,
		      const struct xo_evstore *store)
{
	memset(b, 0, sizeof *b);
	b->cfg = cfg;
	b->store = store;
}

void xo_jbuilder_free(struct xo_jbuilder *b)
{
	free(b->tokens);
	xo_intern_free(&b->keys);
	free(b->key_last);
	free(b->key_failed);
	free(b->open);
	free(b->sort_tmp);
	xo_buf_free(&b->scratch);
}

/* Whether rx matches a token; a pattern that hits its limit on a token
 * (which is short) counts as no match and is reported once. */
static int token_matches(struct xo_jbuilder *b, struct xo_rx *rx, const char *s, size_t len)
{
	enum xo_rx_result r = xo_rx_match(rx, s, len);
	if (r == XO_RX_LIMIT || r == XO_RX_ERROR) {
		if (b->rx_limits++ == 0)
			xo_warn("pattern /%s/ on token \"%s\": %s", rx->source, s,
				xo_rx_result_text(r));
		return 0;
	}
	return r == XO_RX_MATCH;
}

const struct xo_jtoken *xo_jbuilder_token(struct xo_jbuilder *b, uint32_t token)
{
	if (token >= b->cap_tokens) {
		size_t old = b->cap_tokens;
		b->tokens = xo_grow(b->tokens, &b->cap_tokens, (size_t)token + 1, sizeof *b->tokens);
		memset(b->tokens + old, 0, (b->cap_tokens - old) * sizeof *b->tokens);
	}
	struct xo_jtoken *t = &b->tokens[token];
	if (t->known)
		return t;
	const char *s = xo_intern_str(&b->store->names, token);
	size_t len = xo_intern_len(&b->store->names, token);
	t->contact = (uint8_t)token_matches(b, b->cfg->contact, s, len);
	for (size_t k = 0; k < b->cfg->n_kinds; k++) {
		if (token_matches(b, b->cfg->kinds[k].start, s, len))
			t->starts |= UINT32_C(1) << k;
		if (token_matches(b, b->cfg->kinds[k].end, s, len))
			t->ends |= UINT32_C(1) << k;
	}
	t->known = 1;
	return t;
}

const char *xo_jbuilder_key(const struct xo_jbuilder *b, uint32_t key, size_t *len)
{
	*len = xo_intern_len(&b->keys, key);
	return xo_intern_str(&b->keys, key);
}

double xo_days(xo_time_t from, xo_time_t to)
{
	return xo_round_to((double)(to - from) / (double)XO_USEC_PER_DAY, 3);
}

/* Stable merge sort of event pointers: small runs by insertion. */
static void sort_events(struct xo_jbuilder *b, const struct xo_event **a, size_t n)
{
	if (n < 2)
		return;
	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			const struct xo_event *e = a[i];
			size_t j = i;
			while (j > 0 && xo_event_cmp(a[j - 1], e) > 0) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = e;
		}
		return;
	}
	size_t half = n / 2;
	sort_events(b, a, half);
	sort_events(b, a + half, n - half);
	if (xo_event_cmp(a[half - 1], a[half]) <= 0)
		return; /* already in order: the common case for sorted input */
	b->sort_tmp = xo_grow(b->sort_tmp, &b->cap_sort_tmp, n, sizeof *b->sort_tmp);
	memcpy(b->sort_tmp, a, half * sizeof *a);
	size_t i = 0, j = half, k = 0;
	while (i < half && j < n)
		a[k++] = xo_event_cmp(a[j], b->sort_tmp[i]) < 0 ? a[j++] : b->sort_tmp[i++];
	while (i < half)
		a[k++] = b->sort_tmp[i++];
}

/* The issue key of a step: its explicit issue, or its type without the
 * first dotted part. */
static uint32_t issue_key(struct xo_jbuilder *b, const struct xo_event *e)
{
	const char *s;
	size_t len;
	if (e->issue) {
		s = xo_intern_str(&b->store->issues, e->issue);
		len = xo_intern_len(&b->store->issues, e->issue);
	} else {
		s = xo_intern_str(&b->store->names, e->type);
		len = xo_intern_len(&b->store->names, e->type);
		const char *dot = memchr(s, '.', len);
		if (dot && (size_t)(dot - s) + 1 < len) {
			len -= (size_t)(dot - s) + 1;
			s = dot + 1;
		}
	}
	uint32_t known = b->keys.count;
	uint32_t key = xo_intern(&b->keys, s, len);
	if (key >= b->cap_keys) {
		size_t cap = b->cap_keys;
		b->key_last = xo_grow(b->key_last, &cap, (size_t)key + 1, sizeof *b->key_last);
		cap = b->cap_keys;
		b->key_failed = xo_grow(b->key_failed, &cap, (size_t)key + 1, sizeof *b->key_failed);
		b->cap_keys = cap;
	}
	if (key > known) {
		/* New for this customer. */
		b->key_last[key] = INT64_MIN;
		b->key_failed[key] = 0;
	}
	return key;
}

static void grow_steps(struct xo_journey *j, size_t n)
{
	j->steps = xo_grow(j->steps, &j->cap_steps, n, sizeof *j->steps);
}

static void add_session(struct xo_journey *j, uint32_t first)
{
	j->sessions = xo_grow(j->sessions, &j->cap_sessions, j->n_sessions + 1,
			      sizeof *j->sessions);
	j->sessions[j->n_sessions].first = first;
	j->sessions[j->n_sessions].last = first;
	j->n_sessions++;
}

static void split_sessions(struct xo_jbuilder *b, struct xo_journey *j)
{
	j->n_sessions = 0;
	for (size_t i = 0; i < j->n_steps; i++) {
		if (i == 0 || j->steps[i].ev->ts - j->steps[i - 1].ev->ts > b->cfg->gap)
			add_session(j, (uint32_t)i);
		j->sessions[j->n_sessions - 1].last = (uint32_t)i;
		j->steps[i].session = (uint32_t)(j->n_sessions - 1);
	}
}

/* Contacts, repeats and failed first-contact resolution. */
static void mark_contacts(struct xo_jbuilder *b, struct xo_journey *j)
{
	struct xo_jcontext *c = &j->ctx;
	const xo_time_t as_of = j->as_of;
	for (size_t i = 0; i < j->n_steps; i++) {
		struct xo_jstep *st = &j->steps[i];
		const struct xo_jtoken *t = xo_jbuilder_token(b, st->ev->token);
		st->contact = t->contact;
		st->repeat = 0;
		st->issue = 0;
		if (!st->contact)
			continue;
		xo_time_t ts = st->ev->ts;
		uint32_t key = st->issue = issue_key(b, st->ev);
		c->contacts++;
		c->contacts_7d += as_of - ts < 7 * XO_USEC_PER_DAY;
		c->contacts_30d += as_of - ts < 30 * XO_USEC_PER_DAY;
		c->contacts_90d += as_of - ts < 90 * XO_USEC_PER_DAY;
		c->last_contact = ts;
		if (b->key_last[key] != INT64_MIN && ts - b->key_last[key] <= b->cfg->repeat_window) {
			st->repeat = 1;
			c->repeat_contacts++;
			if (!b->key_failed[key]) {
				b->key_failed[key] = 1;
				c->fcr_failed++;
			}
		} else {
			c->first_contacts++;
			b->key_failed[key] = 0;
		}
		b->key_last[key] = ts;
	}
}

static void end_episode(struct xo_journey *j, struct xo_jbuilder *b, size_t o,
			enum xo_episode_status status, xo_time_t end, uint32_t last)
{
	struct xo_jepisode *e = &j->episodes[b->open[o]];
	e->status = status;
	e->end = end;
	e->last = last;
	memmove(b->open + o, b->open + o + 1, (b->n_open - o - 1) * sizeof *b->open);
	b->n_open--;
}

static void time_out_before(struct xo_journey *j, struct xo_jbuilder *b, xo_time_t ts,
			    uint32_t last)
{
	for (size_t o = 0; o < b->n_open;) {
		struct xo_jepisode *e = &j->episodes[b->open[o]];
		xo_time_t timeout = b->cfg->kinds[e->kind].timeout;
		if (ts - e->start > timeout)
			end_episode(j, b, o, XO_EP_TIMEOUT, e->start + timeout, last);
		else
			o++;
	}
}

/* The open episode of kind k to close with step st: the one with the
 * step's explicit issue as key, else the first opened. */
static size_t episode_to_close(struct xo_journey *j, struct xo_jbuilder *b, uint32_t k,
			       const struct xo_event *ev)
{
	size_t first = SIZE_MAX;
	uint32_t key = 0;
	if (ev->issue)
		key = xo_intern_find(&b->keys, xo_intern_str(&b->store->issues, ev->issue),
				     xo_intern_len(&b->store->issues, ev->issue));
	for (size_t o = 0; o < b->n_open; o++) {
		const struct xo_jepisode *e = &j->episodes[b->open[o]];
		if (e->kind != k)
			continue;
		if (key && e->key == key)
			return o;
		if (first == SIZE_MAX)
			first = o;
	}
	return first;
}

/* A start step joins an open episode of its kind: the one with its
 * explicit issue as key when it has one, else the one opened last; or
 * opens a new one. */
static void open_or_join(struct xo_journey *j, struct xo_jbuilder *b, uint32_t k, size_t i)
{
	const struct xo_event *ev = j->steps[i].ev;
	uint32_t key = j->steps[i].issue ? j->steps[i].issue : issue_key(b, ev);
	for (size_t o = b->n_open; o-- > 0;) {
		struct xo_jepisode *e = &j->episodes[b->open[o]];
		if (e->kind == k && (!ev->issue || e->key == key)) {
			e->repeats++;
			return;
		}
	}
	j->episodes = xo_grow(j->episodes, &j->cap_episodes, j->n_episodes + 1,
			      sizeof *j->episodes);
	struct xo_jepisode *e = &j->episodes[j->n_episodes];
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->key = key;
	e->status = XO_EP_OPEN;
	e->first = e->last = (uint32_t)i;
	e->start = ev->ts;
	b->open = xo_grow(b->open, &b->cap_open, b->n_open + 1, sizeof *b->open);
	b->open[b->n_open++] = j->n_episodes++;
}

static void find_episodes(struct xo_jbuilder *b, struct xo_journey *j)
{
	j->n_episodes = 0;
	b->n_open = 0;
	for (size_t i = 0; i < j->n_steps; i++) {
		const struct xo_event *ev = j->steps[i].ev;
		if (b->n_open)
			time_out_before(j, b, ev->ts, (uint32_t)(i ? i - 1 : 0));
		const struct xo_jtoken *t = xo_jbuilder_token(b, ev->token);
		for (uint32_t k = 0; k < b->cfg->n_kinds; k++) {
			if (t->ends & (UINT32_C(1) << k)) {
				size_t o = episode_to_close(j, b, k, ev);
				if (o != SIZE_MAX)
					end_episode(j, b, o, XO_EP_RESOLVED, ev->ts, (uint32_t)i);
			} else if (t->starts & (UINT32_C(1) << k)) {
				open_or_join(j, b, k, i);
			}
		}
	}
	time_out_before(j, b, j->as_of, (uint32_t)(j->n_steps - 1));
	for (size_t o = 0; o < b->n_open; o++)
		j->episodes[b->open[o]].last = (uint32_t)(j->n_steps - 1);
	b->n_open = 0;
}

static void sum_episodes(struct xo_jbuilder *b, struct xo_journey *j)
{
	struct xo_jcontext *c = &j->ctx;
	memset(c->kinds, 0, sizeof c->kinds);
	for (size_t i = 0; i < j->n_episodes; i++) {
		const struct xo_jepisode *e = &j->episodes[i];
		struct xo_jkind_stats *k = &c->kinds[e->kind];
		k->started++;
		switch (e->status) {
		case XO_EP_RESOLVED: {
			double d = xo_days(e->start, e->end);
			k->resolved++;
			k->ttr_sum_days += d;
			k->ttr_last_days = d;
			break;
		}
		case XO_EP_TIMEOUT:
			k->timeout++;
			break;
		case XO_EP_OPEN:
			if (k->open++ == 0 || e->start < k->oldest_open)
				k->oldest_open = e->start;
			break;
		}
	}
	(void)b;
}

static int cmp_channels(const void *pa, const void *pb, const struct xo_intern *names)
{
	const struct xo_jchannel *a = pa, *b = pb;
	if (a->steps != b->steps)
		return a->steps > b->steps ? -1 : 1;
	return strcmp(xo_intern_str(names, a->channel), xo_intern_str(names, b->channel));
}

static void count_channels(struct xo_jbuilder *b, struct xo_journey *j)
{
	struct xo_jcontext *c = &j->ctx;
	c->n_channels = 0;
	for (size_t i = 0; i < j->n_steps; i++) {
		uint32_t ch = j->steps[i].ev->channel;
		if (i > 0 && ch != j->steps[i - 1].ev->channel)
			c->channel_switches++;
		size_t k;
		for (k = 0; k < c->n_channels && c->channels[k].channel != ch; k++)
			;
		if (k == c->n_channels) {
			c->channels = xo_grow(c->channels, &c->cap_channels, k + 1, sizeof *c->channels);
			c->channels[k].channel = ch;
			c->channels[k].steps = 0;
			c->n_channels++;
		}
		c->channels[k].steps++;
	}
	/* Few channels: insertion sort. */
	for (size_t i = 1; i < c->n_channels; i++) {
		struct xo_jchannel x = c->channels[i];
		size_t k = i;
		while (k > 0 && cmp_channels(&c->channels[k - 1], &x, &b->store->names) > 0) {
			c->channels[k] = c->channels[k - 1];
			k--;
		}
		c->channels[k] = x;
	}
}

static void collect_cx(struct xo_jbuilder *b, struct xo_journey *j)
{
	struct xo_jcontext *c = &j->ctx;
	const struct xo_intern *names = &b->store->names;
	c->n_cx = 0;
	for (size_t i = 0; i < j->n_steps; i++) {
		const struct xo_event_extra *x = xo_event_extra(j->steps[i].ev);
		for (uint32_t m = 0; x && m < x->n_cx; m++) {
			uint32_t name = x->cx[m].name;
			size_t k;
			for (k = 0; k < c->n_cx && c->cx[k].name != name; k++)
				;
			if (k == c->n_cx) {
				/* Keep them in name order as they come. */
				c->cx = xo_grow(c->cx, &c->cap_cx, c->n_cx + 1, sizeof *c->cx);
				for (k = c->n_cx; k > 0 && strcmp(xo_intern_str(names, c->cx[k - 1].name),
								  xo_intern_str(names, name)) > 0; k--)
					c->cx[k] = c->cx[k - 1];
				memset(&c->cx[k], 0, sizeof c->cx[k]);
				c->cx[k].name = name;
				c->n_cx++;
			}
			struct xo_jcx *v = &c->cx[k];
			v->prev = v->last;
			v->last = x->cx[m].value;
			v->sum += x->cx[m].value;
			v->last_ts = j->steps[i].ev->ts;
			v->n++;
		}
	}
}

static void count_days(struct xo_journey *j)
{
	int64_t last_day = 0;
	j->ctx.active_days = 0;
	for (size_t i = 0; i < j->n_steps; i++) {
		xo_time_t ts = j->steps[i].ev->ts;
		/* Floor division: days before 1970 too. */
		int64_t day = ts / XO_USEC_PER_DAY - (ts % XO_USEC_PER_DAY < 0);
		if (i == 0 || day != last_day)
			j->ctx.active_days++;
		last_day = day;
	}
}

/* The same event read twice (one export ingested twice, a row repeated):
 * the same id, time, source, channel and type. Events from elsewhere may
 * reuse an id for different things; those are kept. */
static int same_event(const struct xo_event *a, const struct xo_event *b)
{
	if ((a->extra | b->extra) & XO_EV_NO_ID)
		return 0;
	if (a->ts != b->ts || a->source != b->source || a->channel != b->channel || a->type != b->type)
		return 0;
	char ba[17], bb[17];
	return strcmp(xo_event_id(a, ba), xo_event_id(b, bb)) == 0;
}

void xo_journey_build(struct xo_jbuilder *b, const char *xid, size_t xid_len,
		      const struct xo_event **evs, size_t n, struct xo_journey *j)
{
	sort_events(b, evs, n);
	/* Sorted by time then id, repeats of an event are neighbours: keep one. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (kept && same_event(evs[kept - 1], evs[i])) {
			b->duplicates++;
			continue;
		}
		evs[kept++] = evs[i];
	}
	n = kept;
	j->xid = xid;
	j->xid_len = xid_len;
	j->as_of = b->cfg->as_of;
	grow_steps(j, n);
	j->n_steps = n;
	for (size_t i = 0; i < n; i++) {
		memset(&j->steps[i], 0, sizeof j->steps[i]);
		j->steps[i].ev = evs[i];
	}
	struct xo_jchannel *channels = j->ctx.channels;
	struct xo_jcx *cx = j->ctx.cx;
	size_t cap_channels = j->ctx.cap_channels, cap_cx = j->ctx.cap_cx;
	memset(&j->ctx, 0, sizeof j->ctx);
	j->ctx.channels = channels;
	j->ctx.cap_channels = cap_channels;
	j->ctx.cx = cx;
	j->ctx.cap_cx = cap_cx;
	xo_intern_reset(&b->keys);
	split_sessions(b, j);
	mark_contacts(b, j);
	find_episodes(b, j);
	sum_episodes(b, j);
	count_channels(b, j);
	collect_cx(b, j);
	count_days(j);
}

void xo_journey_free(struct xo_journey *j)
{
	free(j->steps);
	free(j->sessions);
	free(j->episodes);
	free(j->ctx.channels);
	free(j->ctx.cx);
	memset(j, 0, sizeof *j);
}
