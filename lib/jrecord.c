#include "jrecord.h"

#include <math.h>
#include <string.h>

#include "tsv.h"
#include "xtime.h"

static void names_str(struct xo_jw *w, const struct xo_intern *t, uint32_t n)
{
	xo_jw_str(w, xo_intern_str(t, n), xo_intern_len(t, n));
}

static void write_step(struct xo_jw *w, const struct xo_jbuilder *b, const struct xo_jstep *st)
{
	const struct xo_event *e = st->ev;
	const struct xo_intern *names = &b->store->names;
	const struct xo_event_extra *x = xo_event_extra(e);
	char idbuf[17];
	xo_jw_obj(w);
	xo_jw_key(w, "ts");
	xo_jw_time(w, e->ts);
	xo_jw_key(w, "channel");
	names_str(w, names, e->channel);
	xo_jw_key(w, "type");
	names_str(w, names, e->type);
	xo_jw_key(w, "token");
	names_str(w, names, e->token);
	if (!(e->extra & XO_EV_NO_ID)) {
		xo_jw_key(w, "id");
		xo_jw_strz(w, xo_event_id(e, idbuf));
	}
	if (e->source) {
		xo_jw_key(w, "source");
		names_str(w, names, e->source);
	}
	xo_jw_key(w, "session");
	xo_jw_int(w, st->session);
	if (x && x->n_cx) {
		xo_jw_key(w, "cx");
		xo_jw_obj(w);
		for (uint32_t m = 0; m < x->n_cx; m++) {
			xo_jw_keyn(w, xo_intern_str(names, x->cx[m].name),
				   xo_intern_len(names, x->cx[m].name));
			xo_jw_num(w, x->cx[m].value);
		}
		xo_jw_end(w);
	}
	if (e->issue) {
		xo_jw_key(w, "issue");
		names_str(w, &b->store->issues, e->issue);
	}
	if (x && x->text) {
		xo_jw_key(w, "text");
		xo_jw_str(w, x->text, x->text_len);
	}
	if (x && x->keep)
		xo_jw_members(w, x->keep, x->keep_len);
	xo_jw_end(w);
}

static void write_session(struct xo_jw *w, const struct xo_journey *j,
			  const struct xo_jbuilder *b, const struct xo_jsession *s)
{
	xo_time_t start = j->steps[s->first].ev->ts, end = j->steps[s->last].ev->ts;
	xo_jw_obj(w);
	xo_jw_key(w, "start");
	xo_jw_time(w, start);
	xo_jw_key(w, "end");
	xo_jw_time(w, end);
	xo_jw_key(w, "first");
	xo_jw_int(w, s->first);
	xo_jw_key(w, "last");
	xo_jw_int(w, s->last);
	xo_jw_key(w, "steps");
	xo_jw_int(w, (int64_t)s->last - s->first + 1);
	xo_jw_key(w, "duration_s");
	xo_jw_num(w, (double)(end - start) / XO_USEC_PER_SEC);
	xo_jw_key(w, "channels");
	xo_jw_arr(w);
	for (uint32_t i = s->first; i <= s->last; i++) {
		uint32_t ch = j->steps[i].ev->channel;
		uint32_t k;
		for (k = s->first; k < i && j->steps[k].ev->channel != ch; k++)
			;
		if (k == i)
			names_str(w, &b->store->names, ch);
	}
	xo_jw_end(w);
	xo_jw_end(w);
}

static const char *const status_names[] = { "open", "resolved", "timeout" };

static void write_episode(struct xo_jw *w, const struct xo_journey *j,
			  const struct xo_jbuilder *b, const struct xo_jepisode *e)
{
	size_t klen;
	const char *key = xo_jbuilder_key(b, e->key, &klen);
	xo_jw_obj(w);
	xo_jw_key(w, "kind");
	xo_jw_strz(w, b->cfg->kinds[e->kind].name);
	xo_jw_key(w, "key");
	xo_jw_str(w, key, klen);
	xo_jw_key(w, "status");
	xo_jw_strz(w, status_names[e->status]);
	xo_jw_key(w, "start");
	xo_jw_time(w, e->start);
	xo_jw_key(w, "end");
	if (e->status == XO_EP_OPEN)
		xo_jw_null(w);
	else
		xo_jw_time(w, e->end);
	xo_jw_key(w, "first");
	xo_jw_int(w, e->first);
	xo_jw_key(w, "last");
	xo_jw_int(w, e->last);
	xo_jw_key(w, "repeats");
	xo_jw_int(w, e->repeats);
	xo_jw_key(w, "duration_days");
	xo_jw_num(w, xo_days(e->start, e->status == XO_EP_OPEN ? j->as_of : e->end));
	xo_jw_end(w);
}

static void key_int(struct xo_jw *w, const char *key, int64_t v)
{
	xo_jw_key(w, key);
	xo_jw_int(w, v);
}

static void key_num(struct xo_jw *w, const char *key, double v)
{
	xo_jw_key(w, key);
	xo_jw_num(w, v);
}

/* ttr and oldest-open figures of one kind: null when there is none. */
static double ttr_mean(const struct xo_jkind_stats *k)
{
	return k->resolved ? xo_round_to(k->ttr_sum_days / k->resolved, 3) : NAN;
}

static double ttr_last(const struct xo_jkind_stats *k)
{
	return k->resolved ? k->ttr_last_days : NAN;
}

static double oldest_open(const struct xo_jkind_stats *k, xo_time_t as_of)
{
	return k->open ? xo_days(k->oldest_open, as_of) : NAN;
}

static void write_kinds(struct xo_jw *w, const struct xo_journey *j, const struct xo_jbuilder *b)
{
	xo_jw_key(w, "episodes");
	xo_jw_obj(w);
	for (size_t i = 0; i < b->cfg->n_kinds; i++) {
		const struct xo_jkind_stats *k = &j->ctx.kinds[i];
		xo_jw_key(w, b->cfg->kinds[i].name);
		xo_jw_obj(w);
		key_int(w, "started", k->started);
		key_int(w, "resolved", k->resolved);
		key_int(w, "timeout", k->timeout);
		key_int(w, "open", k->open);
		key_num(w, "ttr_days_mean", ttr_mean(k));
		key_num(w, "ttr_days_last", ttr_last(k));
		key_num(w, "oldest_open_days", oldest_open(k, j->as_of));
		xo_jw_end(w);
	}
	xo_jw_end(w);
}

static void write_cx(struct xo_jw *w, const struct xo_journey *j, const struct xo_jbuilder *b)
{
	const struct xo_intern *names = &b->store->names;
	xo_jw_key(w, "cx");
	xo_jw_obj(w);
	for (size_t i = 0; i < j->ctx.n_cx; i++) {
		const struct xo_jcx *c = &j->ctx.cx[i];
		xo_jw_keyn(w, xo_intern_str(names, c->name), xo_intern_len(names, c->name));
		xo_jw_obj(w);
		key_int(w, "n", c->n);
		key_num(w, "last", c->last);
		xo_jw_key(w, "last_ts");
		xo_jw_time(w, c->last_ts);
		key_num(w, "prev", c->n > 1 ? c->prev : NAN);
		key_num(w, "trend", c->n > 1 ? c->last - c->prev : NAN);
		key_num(w, "mean", xo_round_to(c->sum / c->n, 3));
		xo_jw_end(w);
	}
	xo_jw_end(w);
}

static double tenure_days(const struct xo_journey *j)
{
	return xo_days(j->steps[0].ev->ts, j->as_of);
}

static double frequency_30d(const struct xo_journey *j)
{
	double tenure = tenure_days(j);
	return xo_round_to((double)j->n_steps * 30 / (tenure > 30 ? tenure : 30), 3);
}

static double fcr_rate(const struct xo_jcontext *c)
{
	if (c->first_contacts == 0)
		return NAN;
	return xo_round_to(1 - (double)c->fcr_failed / c->first_contacts, 4);
}

static void write_context(struct xo_jw *w, const struct xo_journey *j, const struct xo_jbuilder *b)
{
	const struct xo_jcontext *c = &j->ctx;
	xo_time_t first = j->steps[0].ev->ts, last = j->steps[j->n_steps - 1].ev->ts;
	xo_jw_obj(w);
	xo_jw_key(w, "first_ts");
	xo_jw_time(w, first);
	xo_jw_key(w, "last_ts");
	xo_jw_time(w, last);
	key_num(w, "tenure_days", tenure_days(j));
	key_num(w, "recency_days", xo_days(last, j->as_of));
	key_int(w, "events", (int64_t)j->n_steps);
	key_int(w, "active_days", c->active_days);
	key_num(w, "frequency_30d", frequency_30d(j));
	key_int(w, "sessions", (int64_t)j->n_sessions);
	key_int(w, "contacts", c->contacts);
	key_int(w, "contacts_7d", c->contacts_7d);
	key_int(w, "contacts_30d", c->contacts_30d);
	key_int(w, "contacts_90d", c->contacts_90d);
	xo_jw_key(w, "last_contact_ts");
	if (c->contacts)
		xo_jw_time(w, c->last_contact);
	else
		xo_jw_null(w);
	key_num(w, "contact_recency_days", c->contacts ? xo_days(c->last_contact, j->as_of) : NAN);
	xo_jw_key(w, "channels");
	xo_jw_obj(w);
	for (size_t i = 0; i < c->n_channels; i++) {
		uint32_t ch = c->channels[i].channel;
		xo_jw_keyn(w, xo_intern_str(&b->store->names, ch), xo_intern_len(&b->store->names, ch));
		xo_jw_int(w, c->channels[i].steps);
	}
	xo_jw_end(w);
	key_int(w, "channel_switches", c->channel_switches);
	key_int(w, "first_contacts", c->first_contacts);
	key_int(w, "repeat_contacts", c->repeat_contacts);
	key_int(w, "fcr_failed", c->fcr_failed);
	key_num(w, "fcr_rate", fcr_rate(c));
	const struct xo_jkind_stats *issue = &c->kinds[0];
	key_int(w, "open_issues", issue->open);
	key_int(w, "issues_resolved", issue->resolved);
	key_num(w, "ttr_days_mean", ttr_mean(issue));
	key_num(w, "ttr_days_last", ttr_last(issue));
	key_num(w, "oldest_open_days", oldest_open(issue, j->as_of));
	write_kinds(w, j, b);
	write_cx(w, j, b);
	xo_jw_end(w);
}

void xo_jrecord_json(const struct xo_journey *j, const struct xo_jbuilder *b,
		     struct xo_buf *out, void (*more)(struct xo_jw *w, void *ctx),
		     void *ctx)
{
	struct xo_jw w;
	size_t first = 0;
	if (b->cfg->max_steps && j->n_steps > b->cfg->max_steps)
		first = j->n_steps - b->cfg->max_steps;
	xo_jw_init(&w, out);
	xo_jw_obj(&w);
	xo_jw_key(&w, "xid");
	xo_jw_str(&w, j->xid, j->xid_len);
	xo_jw_key(&w, "as_of");
	xo_jw_time(&w, j->as_of);
	xo_jw_key(&w, "steps");
	xo_jw_arr(&w);
	for (size_t i = first; i < j->n_steps; i++)
		write_step(&w, b, &j->steps[i]);
	xo_jw_end(&w);
	if (first)
		key_int(&w, "steps_dropped", (int64_t)first);
	xo_jw_key(&w, "sessions");
	xo_jw_arr(&w);
	for (size_t i = 0; i < j->n_sessions; i++)
		write_session(&w, j, b, &j->sessions[i]);
	xo_jw_end(&w);
	xo_jw_key(&w, "episodes");
	xo_jw_arr(&w);
	for (size_t i = 0; i < j->n_episodes; i++)
		write_episode(&w, j, b, &j->episodes[i]);
	xo_jw_end(&w);
	xo_jw_key(&w, "context");
	write_context(&w, j, b);
	if (more)
		more(&w, ctx);
	xo_jw_end(&w);
}

static const char *const tsv_columns[] = {
	"xid", "as_of", "events", "sessions", "first_ts", "last_ts", "tenure_days",
	"recency_days", "active_days", "frequency_30d", "contacts", "contacts_7d",
	"contacts_30d", "contacts_90d", "channel_switches", "repeat_contacts", "fcr_rate",
	"open_issues", "issues_resolved", "ttr_days_mean", "nps_last", "nps_trend",
	"csat_last", "csat_trend", "ces_last", "ces_trend",
};

void xo_jrecord_tsv_header(struct xo_buf *out)
{
	for (size_t i = 0; i < sizeof tsv_columns / sizeof *tsv_columns; i++) {
		if (i)
			xo_buf_addc(out, '\t');
		xo_buf_adds(out, tsv_columns[i]);
	}
	xo_buf_addc(out, '\n');
}

static void tsv_time(struct xo_buf *out, xo_time_t t)
{
	char text[XO_TIME_BUFSIZE];
	xo_buf_addc(out, '\t');
	xo_buf_add(out, text, xo_time_format(t, text));
}

static void tsv_num(struct xo_buf *out, double v)
{
	xo_buf_addc(out, '\t');
	xo_tsv_number(out, v);
}

static void tsv_measure(struct xo_buf *out, const struct xo_journey *j,
			const struct xo_jbuilder *b, const char *name)
{
	for (size_t i = 0; i < j->ctx.n_cx; i++) {
		const struct xo_jcx *c = &j->ctx.cx[i];
		if (strcmp(xo_intern_str(&b->store->names, c->name), name) == 0) {
			tsv_num(out, c->last);
			tsv_num(out, c->n > 1 ? c->last - c->prev : NAN);
			return;
		}
	}
	xo_buf_add(out, "\t\t", 2);
}

void xo_jrecord_tsv(const struct xo_journey *j, const struct xo_jbuilder *b,
		    struct xo_buf *out)
{
	const struct xo_jcontext *c = &j->ctx;
	const struct xo_jkind_stats *issue = &c->kinds[0];
	xo_tsv_field(out, j->xid, j->xid_len);
	tsv_time(out, j->as_of);
	tsv_num(out, (double)j->n_steps);
	tsv_num(out, (double)j->n_sessions);
	tsv_time(out, j->steps[0].ev->ts);
	tsv_time(out, j->steps[j->n_steps - 1].ev->ts);
	tsv_num(out, tenure_days(j));
	tsv_num(out, xo_days(j->steps[j->n_steps - 1].ev->ts, j->as_of));
	tsv_num(out, c->active_days);
	tsv_num(out, frequency_30d(j));
	tsv_num(out, c->contacts);
	tsv_num(out, c->contacts_7d);
	tsv_num(out, c->contacts_30d);
	tsv_num(out, c->contacts_90d);
	tsv_num(out, c->channel_switches);
	tsv_num(out, c->repeat_contacts);
	tsv_num(out, fcr_rate(c));
	tsv_num(out, issue->open);
	tsv_num(out, issue->resolved);
	tsv_num(out, ttr_mean(issue));
	tsv_measure(out, j, b, "nps");
	tsv_measure(out, j, b, "csat");
	tsv_measure(out, j, b, "ces");
	xo_buf_addc(out, '\n');
}
