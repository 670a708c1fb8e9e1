#include "pathstats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dot.h"
#include "jsonw.h"
#include "mem.h"
#include "tsv.h"

void xo_pathstats_init(struct xo_pathstats *s, const struct xo_pathstats_opts *o,
		       const struct xo_intern *names)
{
	memset(s, 0, sizeof *s);
	s->o = *o;
	s->names = names;
}

void xo_pathstats_free(struct xo_pathstats *s)
{
	xo_intern_free(&s->keys);
	free(s->counts);
	free(s->path);
}

static uint32_t node_of(const struct xo_pathstats *s, const struct xo_event *e)
{
	switch (s->o.by) {
	case XO_BY_CHANNEL: return e->channel;
	case XO_BY_TYPE: return e->type;
	default: return e->token;
	}
}

static const char *node_name(const struct xo_intern *names, uint32_t node, size_t *len)
{
	const char *s;
	switch (node) {
	case XO_NODE_START: s = "(start)"; break;
	case XO_NODE_END: s = "(end)"; break;
	case XO_NODE_MORE: s = "(more)"; break;
	default:
		*len = xo_intern_len(names, node);
		return xo_intern_str(names, node);
	}
	*len = strlen(s);
	return s;
}

static void count_key(struct xo_pathstats *s, const char *key, size_t len)
{
	uint32_t k = xo_intern(&s->keys, key, len);
	if (k >= s->cap_counts) {
		size_t old = s->cap_counts;
		s->counts = xo_grow(s->counts, &s->cap_counts, (size_t)k + 1, sizeof *s->counts);
		memset(s->counts + old, 0, (s->cap_counts - old) * sizeof *s->counts);
	}
	s->counts[k]++;
}

/* Call fn for each unit [first, last] of j. */
static void each_unit(struct xo_pathstats *s, const struct xo_journey *j,
		      void (*fn)(struct xo_pathstats *, const struct xo_journey *, size_t, size_t))
{
	switch (s->o.unit) {
	case XO_UNIT_JOURNEY:
		if (j->n_steps)
			fn(s, j, 0, j->n_steps - 1);
		break;
	case XO_UNIT_SESSION:
		for (size_t i = 0; i < j->n_sessions; i++)
			fn(s, j, j->sessions[i].first, j->sessions[i].last);
		break;
	case XO_UNIT_EPISODE:
		for (size_t i = 0; i < j->n_episodes; i++)
			fn(s, j, j->episodes[i].first, j->episodes[i].last);
		break;
	}
}

/* The nodes of steps [first, last], collapsed when asked, in s->path;
 * returns how many. */
static size_t unit_nodes(struct xo_pathstats *s, const struct xo_journey *j, size_t first,
			 size_t last)
{
	size_t n = 0;
	s->path = xo_grow(s->path, &s->cap_path, last - first + 2, sizeof *s->path);
	for (size_t i = first; i <= last; i++) {
		uint32_t node = node_of(s, j->steps[i].ev);
		if (s->o.collapse && n && s->path[n - 1] == node)
			continue;
		s->path[n++] = node;
	}
	return n;
}

static void add_path(struct xo_pathstats *s, const struct xo_journey *j, size_t first,
		     size_t last)
{
	size_t n = unit_nodes(s, j, first, last);
	if (s->o.max_len && n > s->o.max_len) {
		n = s->o.max_len;
		s->path[n++] = XO_NODE_MORE;
	}
	count_key(s, (const char *)s->path, n * sizeof *s->path);
	s->units++;
}

void xo_paths_add(struct xo_pathstats *s, const struct xo_journey *j)
{
	each_unit(s, j, add_path);
}

static void add_transitions(struct xo_pathstats *s, const struct xo_journey *j, size_t first,
			    size_t last)
{
	size_t n = unit_nodes(s, j, first, last);
	uint32_t prev = XO_NODE_START;
	for (size_t i = 0; i <= n; i++) {
		uint32_t pair[2] = { prev, i < n ? s->path[i] : XO_NODE_END };
		count_key(s, (const char *)pair, sizeof pair);
		prev = pair[1];
	}
	s->units++;
}

void xo_transitions_add(struct xo_pathstats *s, const struct xo_journey *j)
{
	each_unit(s, j, add_transitions);
}

/* Sorting keys by count (most first), then by their node names. */
static const struct xo_pathstats *sort_ctx;

static int cmp_nodes(uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	/* (start) first, (end) and (more) last. */
	if (a == XO_NODE_START || b == XO_NODE_START)
		return a == XO_NODE_START ? -1 : 1;
	if (a >= XO_NODE_MORE || b >= XO_NODE_MORE) {
		if (a >= XO_NODE_MORE && b >= XO_NODE_MORE)
			return a < b ? -1 : 1;
		return a >= XO_NODE_MORE ? 1 : -1;
	}
	return strcmp(xo_intern_str(sort_ctx->names, a), xo_intern_str(sort_ctx->names, b));
}

static uint32_t key_node(const struct xo_pathstats *s, uint32_t key, size_t i);
static size_t key_nodes(const struct xo_pathstats *s, uint32_t key);

static int cmp_keys(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const struct xo_pathstats *s = sort_ctx;
	if (s->counts[a] != s->counts[b])
		return s->counts[a] > s->counts[b] ? -1 : 1;
	size_t la = key_nodes(s, a), lb = key_nodes(s, b);
	for (size_t i = 0; i < la && i < lb; i++) {
		int c = cmp_nodes(key_node(s, a, i), key_node(s, b, i));
		if (c)
			return c;
	}
	return la < lb ? -1 : la > lb;
}

/* The keys with count >= min_count, sorted; the caller frees. */
static uint32_t *sorted_keys(struct xo_pathstats *s, size_t *n)
{
	uint32_t *keys = xo_malloc(((size_t)s->keys.count + 1) * sizeof *keys);
	*n = 0;
	for (uint32_t k = 1; k <= s->keys.count; k++)
		if (s->counts[k] >= s->o.min_count)
			keys[(*n)++] = k;
	sort_ctx = s;
	qsort(keys, *n, sizeof *keys, cmp_keys);
	return keys;
}

/* Arena strings are NUL-terminated, not 4-aligned: read nodes with memcpy. */
static uint32_t key_node(const struct xo_pathstats *s, uint32_t key, size_t i)
{
	uint32_t node;
	memcpy(&node, xo_intern_str(&s->keys, key) + i * sizeof node, sizeof node);
	return node;
}

static size_t key_nodes(const struct xo_pathstats *s, uint32_t key)
{
	return xo_intern_len(&s->keys, key) / sizeof(uint32_t);
}

static double share(uint64_t part, uint64_t whole)
{
	return whole ? xo_round_to((double)part / (double)whole, 4) : 0;
}

static void paths_dot(struct xo_pathstats *s, const uint32_t *keys, size_t n,
		      struct xo_buf *out);

void xo_paths_write(struct xo_pathstats *s, enum xo_report_format fmt, struct xo_buf *out)
{
	size_t n;
	uint32_t *keys = sorted_keys(s, &n);
	if (s->o.top && n > s->o.top)
		n = s->o.top;
	if (fmt == XO_FMT_DOT) {
		paths_dot(s, keys, n, out);
		free(keys);
		return;
	}
	if (fmt == XO_FMT_TSV)
		xo_buf_adds(out, "rank\tcount\tshare\tlength\tpath\n");
	for (size_t r = 0; r < n; r++) {
		uint32_t k = keys[r];
		size_t len = key_nodes(s, k), nlen;
		if (fmt == XO_FMT_TSV) {
			xo_buf_printf(out, "%zu\t%llu\t", r + 1, (unsigned long long)s->counts[k]);
			xo_tsv_number(out, share(s->counts[k], s->units));
			xo_buf_printf(out, "\t%zu\t", len);
			for (size_t i = 0; i < len; i++) {
				const char *name = node_name(s->names, key_node(s, k, i), &nlen);
				if (i)
					xo_buf_adds(out, " > ");
				xo_tsv_field(out, name, nlen);
			}
			xo_buf_addc(out, '\n');
			continue;
		}
		struct xo_jw w;
		xo_jw_init(&w, out);
		xo_jw_obj(&w);
		xo_jw_key(&w, "rank");
		xo_jw_int(&w, (int64_t)r + 1);
		xo_jw_key(&w, "count");
		xo_jw_int(&w, (int64_t)s->counts[k]);
		xo_jw_key(&w, "share");
		xo_jw_num(&w, share(s->counts[k], s->units));
		xo_jw_key(&w, "length");
		xo_jw_int(&w, (int64_t)len);
		xo_jw_key(&w, "path");
		xo_jw_arr(&w);
		for (size_t i = 0; i < len; i++) {
			const char *name = node_name(s->names, key_node(s, k, i), &nlen);
			xo_jw_str(&w, name, nlen);
		}
		xo_jw_end(&w);
		xo_jw_end(&w);
		xo_buf_addc(out, '\n');
	}
	free(keys);
}

static void dot_node(struct xo_buf *out, const char *id, const char *name, size_t len,
		     uint64_t volume, const char *extra)
{
	struct xo_buf label = XO_BUF_INIT;
	xo_buf_add(&label, name, len);
	xo_buf_printf(&label, "\n%llu", (unsigned long long)volume);
	xo_buf_printf(out, "\t%s [label=", id);
	xo_dot_string(out, label.data, label.len);
	if (extra)
		xo_buf_printf(out, ", %s", extra);
	else
		xo_buf_printf(out, ", fillcolor=\"%s\"", xo_dot_colour(name, len));
	xo_buf_adds(out, "];\n");
	xo_buf_free(&label);
}

static void dot_edge(struct xo_buf *out, const char *from, const char *to, uint64_t count,
		     uint64_t max, const char *label)
{
	xo_buf_printf(out, "\t%s -> %s [label=", from, to);
	if (label)
		xo_dot_string(out, label, strlen(label));
	else
		xo_buf_printf(out, "\"%llu\"", (unsigned long long)count);
	xo_buf_printf(out, ", penwidth=%.1f];\n", xo_dot_penwidth(count, max));
}

static const char START_STYLE[] = "shape=circle, fillcolor=\"#ffffff\"";
static const char END_STYLE[] = "shape=doublecircle, fillcolor=\"#ffffff\"";

/* The top paths drawn as a tree of their prefixes from (start). */
static void paths_dot(struct xo_pathstats *s, const uint32_t *keys, size_t n,
		      struct xo_buf *out)
{
	struct xo_intern prefixes = XO_INTERN_INIT;
	uint64_t *volume = NULL;
	uint32_t *parent = NULL, *last_node = NULL;
	size_t cap = 0;
	uint64_t max = 0, total = 0;
	for (size_t r = 0; r < n; r++) {
		uint32_t k = keys[r], up = 0;
		total += s->counts[keys[r]];
		for (size_t d = 1; d <= key_nodes(s, k); d++) {
			uint32_t p = xo_intern(&prefixes, xo_intern_str(&s->keys, k), d * sizeof(uint32_t));
			if (p >= cap) {
				size_t c = cap;
				volume = xo_grow(volume, &c, (size_t)p + 1, sizeof *volume);
				c = cap;
				parent = xo_grow(parent, &c, (size_t)p + 1, sizeof *parent);
				c = cap;
				last_node = xo_grow(last_node, &c, (size_t)p + 1, sizeof *last_node);
				memset(volume + cap, 0, (c - cap) * sizeof *volume);
				cap = c;
			}
			volume[p] += s->counts[k];
			parent[p] = up;
			last_node[p] = key_node(s, k, d - 1);
			if (volume[p] > max)
				max = volume[p];
			up = p;
		}
	}
	xo_dot_begin(out, "paths", "top paths");
	dot_node(out, "p0", "(start)", 7, total, START_STYLE);
	for (uint32_t p = 1; p <= prefixes.count; p++) {
		char id[32], up[32];
		size_t len;
		const char *name = node_name(s->names, last_node[p], &len);
		snprintf(id, sizeof id, "p%u", p);
		snprintf(up, sizeof up, "p%u", parent[p]);
		dot_node(out, id, name, len, volume[p], NULL);
		dot_edge(out, up, id, volume[p], max, NULL);
	}
	xo_dot_end(out);
	free(volume);
	free(parent);
	free(last_node);
	xo_intern_free(&prefixes);
}

/* Transitions: the pairs are keys of two nodes. */
struct node_total {
	uint32_t node;
	uint64_t out, in;
};

static int cmp_totals(const void *pa, const void *pb)
{
	const struct node_total *a = pa, *b = pb;
	return cmp_nodes(a->node, b->node);
}

/* Every node with its flow out and in, sorted by name. */
static struct node_total *node_totals(struct xo_pathstats *s, const uint32_t *keys, size_t n,
				      size_t *n_nodes)
{
	struct node_total *t = NULL;
	size_t cap = 0, count = 0;
	struct xo_intern seen = XO_INTERN_INIT;
	for (size_t i = 0; i < n; i++) {
		for (int side = 0; side < 2; side++) {
			uint32_t node = key_node(s, keys[i], (size_t)side);
			uint32_t known = seen.count;
			uint32_t at = xo_intern(&seen, (const char *)&node, sizeof node);
			if (at > known) {
				t = xo_grow(t, &cap, count + 1, sizeof *t);
				t[count].node = node;
				t[count].out = t[count].in = 0;
				count++;
			}
			if (side == 0)
				t[at - 1].out += s->counts[keys[i]];
			else
				t[at - 1].in += s->counts[keys[i]];
		}
	}
	xo_intern_free(&seen);
	if (count)
		qsort(t, count, sizeof *t, cmp_totals);
	*n_nodes = count;
	return t;
}

static uint64_t out_of(const struct node_total *t, size_t n, uint32_t node)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].node == node)
			return t[i].out;
	return 0;
}

static void node_id(char id[32], uint32_t node)
{
	if (node == XO_NODE_START)
		snprintf(id, 32, "start");
	else if (node == XO_NODE_END)
		snprintf(id, 32, "end");
	else
		snprintf(id, 32, "n%u", node);
}

static void transitions_matrix(struct xo_pathstats *s, const uint32_t *keys, size_t n,
			       const struct node_total *t, size_t n_nodes, struct xo_buf *out)
{
	size_t len;
	xo_buf_adds(out, "from");
	for (size_t c = 0; c < n_nodes; c++) {
		if (t[c].in == 0)
			continue;
		const char *name = node_name(s->names, t[c].node, &len);
		xo_buf_addc(out, '\t');
		xo_tsv_field(out, name, len);
	}
	xo_buf_addc(out, '\n');
	for (size_t r = 0; r < n_nodes; r++) {
		if (t[r].out == 0)
			continue;
		const char *name = node_name(s->names, t[r].node, &len);
		xo_tsv_field(out, name, len);
		for (size_t c = 0; c < n_nodes; c++) {
			if (t[c].in == 0)
				continue;
			uint64_t count = 0;
			for (size_t i = 0; i < n; i++)
				if (key_node(s, keys[i], 0) == t[r].node &&
				    key_node(s, keys[i], 1) == t[c].node)
					count = s->counts[keys[i]];
			xo_buf_printf(out, "\t%llu", (unsigned long long)count);
		}
		xo_buf_addc(out, '\n');
	}
}

static void transitions_dot(struct xo_pathstats *s, const uint32_t *keys, size_t n,
			    const struct node_total *t, size_t n_nodes, struct xo_buf *out)
{
	uint64_t max = n ? s->counts[keys[0]] : 0;
	char from[32], to[32];
	size_t len;
	xo_dot_begin(out, "journey", "journey map");
	for (size_t i = 0; i < n_nodes; i++) {
		uint32_t node = t[i].node;
		const char *name = node_name(s->names, node, &len);
		node_id(from, node);
		dot_node(out, from, name, len, node == XO_NODE_START ? t[i].out : t[i].in,
			 node == XO_NODE_START ? START_STYLE : node == XO_NODE_END ? END_STYLE : NULL);
	}
	for (size_t i = 0; i < n; i++) {
		node_id(from, key_node(s, keys[i], 0));
		node_id(to, key_node(s, keys[i], 1));
		dot_edge(out, from, to, s->counts[keys[i]], max, NULL);
	}
	xo_dot_end(out);
}

void xo_transitions_write(struct xo_pathstats *s, enum xo_report_format fmt,
			  struct xo_buf *out)
{
	size_t n, n_nodes;
	uint32_t *keys = sorted_keys(s, &n);
	/* Shares are of all transitions out of a node, before any cut. */
	size_t n_all = s->keys.count;
	uint32_t *all = xo_malloc((n_all + 1) * sizeof *all);
	for (uint32_t k = 1; k <= s->keys.count; k++)
		all[k - 1] = k;
	size_t n_totals;
	struct node_total *totals = node_totals(s, all, n_all, &n_totals);
	free(all);
	if (s->o.top && n > s->o.top)
		n = s->o.top;
	struct node_total *t = node_totals(s, keys, n, &n_nodes);
	if (fmt == XO_FMT_TSV) {
		transitions_matrix(s, keys, n, t, n_nodes, out);
	} else if (fmt == XO_FMT_DOT) {
		transitions_dot(s, keys, n, t, n_nodes, out);
	} else {
		for (size_t i = 0; i < n; i++) {
			uint32_t from = key_node(s, keys[i], 0), to = key_node(s, keys[i], 1);
			size_t lf, lt;
			const char *nf = node_name(s->names, from, &lf);
			const char *nt = node_name(s->names, to, &lt);
			struct xo_jw w;
			xo_jw_init(&w, out);
			xo_jw_obj(&w);
			xo_jw_key(&w, "from");
			xo_jw_str(&w, nf, lf);
			xo_jw_key(&w, "to");
			xo_jw_str(&w, nt, lt);
			xo_jw_key(&w, "count");
			xo_jw_int(&w, (int64_t)s->counts[keys[i]]);
			xo_jw_key(&w, "share");
			xo_jw_num(&w, share(s->counts[keys[i]], out_of(totals, n_totals, from)));
			xo_jw_end(&w);
			xo_buf_addc(out, '\n');
		}
	}
	free(t);
	free(totals);
	free(keys);
}

/* Funnels. */
void xo_funnelstats_init(struct xo_funnelstats *s, const struct xo_jfunnel *f,
			 const struct xo_intern *names)
{
	memset(s, 0, sizeof *s);
	s->f = f;
	s->names = names;
}

void xo_funnelstats_free(struct xo_funnelstats *s)
{
	free(s->masks);
	for (size_t k = 0; k < XO_FUNNEL_MAX_STEPS; k++)
		free(s->gaps[k]);
}

#define MASK_KNOWN (UINT64_C(1) << 63)

static uint64_t step_mask(struct xo_funnelstats *s, uint32_t token)
{
	if (token >= s->cap_masks) {
		size_t old = s->cap_masks;
		s->masks = xo_grow(s->masks, &s->cap_masks, (size_t)token + 1, sizeof *s->masks);
		memset(s->masks + old, 0, (s->cap_masks - old) * sizeof *s->masks);
	}
	if (s->masks[token] & MASK_KNOWN)
		return s->masks[token];
	const char *t = xo_intern_str(s->names, token);
	size_t len = xo_intern_len(s->names, token);
	uint64_t mask = MASK_KNOWN;
	for (size_t k = 0; k < s->f->n_steps; k++) {
		enum xo_rx_result r = xo_rx_match(s->f->rx[k], t, len);
		if (r == XO_RX_MATCH)
			mask |= UINT64_C(1) << k;
		else if (r != XO_RX_NOMATCH && s->limits++ == 0)
			xo_warn("funnel step /%s/ on token \"%s\": %s", s->f->steps[k], t,
				xo_rx_result_text(r));
	}
	return s->masks[token] = mask;
}

/* An attempt through the funnel: when each step was reached. */
struct attempt {
	int valid;
	xo_time_t at[XO_FUNNEL_MAX_STEPS];
};

void xo_funnel_add(struct xo_funnelstats *s, const struct xo_journey *j)
{
	/* best[k]: of the attempts that have reached step k, the one that
	 * began last (it has the most of its window left). An event serves
	 * one step of an attempt: the steps are tried from the last down. */
	struct attempt best[XO_FUNNEL_MAX_STEPS];
	size_t n = s->f->n_steps;
	for (size_t k = 0; k < n; k++)
		best[k].valid = 0;
	for (size_t i = 0; i < j->n_steps; i++) {
		const struct xo_event *e = j->steps[i].ev;
		uint64_t mask = step_mask(s, e->token);
		for (size_t k = n - 1; k >= 1; k--) {
			if (!(mask & (UINT64_C(1) << k)) || !best[k - 1].valid ||
			    e->ts - best[k - 1].at[0] > s->f->window)
				continue;
			if (best[k].valid && best[k].at[0] >= best[k - 1].at[0])
				continue;
			best[k] = best[k - 1];
			best[k].at[k] = e->ts;
		}
		if (mask & 1) {
			best[0].valid = 1;
			best[0].at[0] = e->ts;
		}
	}
	for (size_t k = n; k-- > 0;) {
		if (!best[k].valid)
			continue;
		for (size_t m = 0; m <= k; m++) {
			s->reached[m]++;
			if (m == 0)
				continue;
			s->gaps[m] = xo_grow(s->gaps[m], &s->cap_gaps[m], s->n_gaps[m] + 1,
					     sizeof *s->gaps[m]);
			s->gaps[m][s->n_gaps[m]++] = best[k].at[m] - best[k].at[m - 1];
		}
		break;
	}
}

static int cmp_time(const void *pa, const void *pb)
{
	xo_time_t a = *(const xo_time_t *)pa, b = *(const xo_time_t *)pb;
	return a < b ? -1 : a > b;
}

/* The median in seconds; NAN for none. */
static double median_s(xo_time_t *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, cmp_time);
	double m = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
	return xo_round_to(m / XO_USEC_PER_SEC, 3);
}

/* "2d 3h", "45m 10s", "12s": a short human form of seconds for labels;
 * a zero second part is left out ("30d"). */
static void human_duration(struct xo_buf *out, double seconds)
{
	static const struct { long long size; char unit; } units[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
	};
	long long s = (long long)(seconds + 0.5);
	for (size_t i = 0; i < 3; i++) {
		if (s < units[i].size)
			continue;
		xo_buf_printf(out, "%lld%c", s / units[i].size, units[i].unit);
		long long rest = s % units[i].size / units[i + 1].size;
		if (rest)
			xo_buf_printf(out, " %lld%c", rest, units[i + 1].unit);
		return;
	}
	xo_buf_printf(out, "%llds", s);
}

static void funnel_dot(struct xo_funnelstats *s, const double *med, struct xo_buf *out)
{
	struct xo_buf label = XO_BUF_INIT;
	if (strcmp(s->f->name, "funnel") == 0)
		xo_buf_adds(&label, "funnel (window ");
	else
		xo_buf_printf(&label, "funnel %s (window ", s->f->name);
	human_duration(&label, (double)s->f->window / XO_USEC_PER_SEC);
	xo_buf_addc(&label, ')');
	xo_dot_begin(out, "funnel", label.data);
	for (size_t k = 0; k < s->f->n_steps; k++) {
		xo_buf_reset(&label);
		xo_buf_printf(&label, "%zu. %s\n%llu customers", k + 1, s->f->steps[k],
			      (unsigned long long)s->reached[k]);
		if (k)
			xo_buf_printf(&label, " (%.1f%%)",
				      100 * share(s->reached[k], s->reached[0]));
		xo_buf_printf(out, "\tf%zu [label=", k);
		xo_dot_string(out, label.data, label.len);
		xo_buf_printf(out, ", fillcolor=\"%s\"];\n",
			      xo_dot_colour(s->f->steps[k], strlen(s->f->steps[k])));
	}
	for (size_t k = 1; k < s->f->n_steps; k++) {
		xo_buf_reset(&label);
		xo_buf_printf(&label, "%.1f%%", 100 * share(s->reached[k], s->reached[k - 1]));
		if (s->n_gaps[k]) {
			xo_buf_adds(&label, "\nmedian ");
			human_duration(&label, med[k]);
		}
		char from[32], to[32];
		snprintf(from, sizeof from, "f%zu", k - 1);
		snprintf(to, sizeof to, "f%zu", k);
		dot_edge(out, from, to, s->reached[k], s->reached[0], label.data);
	}
	xo_dot_end(out);
	xo_buf_free(&label);
}

void xo_funnel_write(struct xo_funnelstats *s, enum xo_report_format fmt, struct xo_buf *out)
{
	double med[XO_FUNNEL_MAX_STEPS];
	for (size_t k = 0; k < s->f->n_steps; k++)
		med[k] = k ? median_s(s->gaps[k], s->n_gaps[k]) : NAN;
	if (fmt == XO_FMT_DOT) {
		funnel_dot(s, med, out);
		return;
	}
	if (fmt == XO_FMT_TSV)
		xo_buf_adds(out, "step\tmatch\tcustomers\tconversion\tstep_conversion\tmedian_s\n");
	for (size_t k = 0; k < s->f->n_steps; k++) {
		double conv = share(s->reached[k], s->reached[0]);
		double step_conv = k ? share(s->reached[k], s->reached[k - 1]) : conv;
		if (fmt == XO_FMT_TSV) {
			xo_buf_printf(out, "%zu\t", k + 1);
			xo_tsv_field(out, s->f->steps[k], strlen(s->f->steps[k]));
			xo_buf_printf(out, "\t%llu\t", (unsigned long long)s->reached[k]);
			xo_tsv_number(out, conv);
			xo_buf_addc(out, '\t');
			xo_tsv_number(out, step_conv);
			xo_buf_addc(out, '\t');
			xo_tsv_number(out, med[k]);
			xo_buf_addc(out, '\n');
			continue;
		}
		struct xo_jw w;
		xo_jw_init(&w, out);
		xo_jw_obj(&w);
		xo_jw_key(&w, "funnel");
		xo_jw_strz(&w, s->f->name);
		xo_jw_key(&w, "step");
		xo_jw_int(&w, (int64_t)k + 1);
		xo_jw_key(&w, "match");
		xo_jw_strz(&w, s->f->steps[k]);
		xo_jw_key(&w, "customers");
		xo_jw_int(&w, (int64_t)s->reached[k]);
		xo_jw_key(&w, "conversion");
		xo_jw_num(&w, conv);
		xo_jw_key(&w, "step_conversion");
		xo_jw_num(&w, step_conv);
		xo_jw_key(&w, "median_s");
		xo_jw_num(&w, med[k]);
		xo_jw_end(&w);
		xo_buf_addc(out, '\n');
	}
}
