#include "jpattern.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"
#include "mem.h"
#include "tsv.h"
#include "utf8.h"

struct xo_rx *xo_jpattern_compile(const char *re, int whole_token, const char *where,
				  long line)
{
	struct xo_buf err = XO_BUF_INIT;
	unsigned opts = whole_token ? PCRE2_ANCHORED | PCRE2_ENDANCHORED : 0;
	struct xo_rx *rx = xo_rx_compile(re, opts, &err);
	if (!rx) {
		size_t len = strlen(re), n = xo_utf8_clip(re, len, 80);
		xo_die_at(XO_EXIT_USAGE, where, line, "bad pattern /%.*s%s/: %s", (int)n, re,
			  n < len ? "..." : "", xo_buf_str(&err));
	}
	xo_buf_free(&err);
	return rx;
}

void xo_jpatterns_add(struct xo_jpatterns *p, const char *name, struct xo_rx *rx)
{
	p->pats = xo_grow(p->pats, &p->cap_pats, p->n_pats + 1, sizeof *p->pats);
	p->pats[p->n_pats].name = xo_strdup(name);
	p->pats[p->n_pats].rx = rx;
	p->n_pats++;
}

const struct xo_jpattern *xo_jpatterns_find(const struct xo_jpatterns *p, const char *name)
{
	for (size_t i = 0; i < p->n_pats; i++)
		if (strcmp(p->pats[i].name, name) == 0)
			return &p->pats[i];
	return NULL;
}

const struct xo_jpattern **xo_jpatterns_select(struct xo_jpatterns *p,
					       const char *const *args,
					       const char *is_name, size_t n,
					       const char **missing)
{
	/* By index: pats[] moves as the --match patterns join it. */
	size_t *index = xo_calloc(n + 1, sizeof *index);
	size_t held = p->n_pats;
	for (size_t i = 0; i < n; i++) {
		if (!is_name[i]) {
			index[i] = p->n_pats;
			xo_jpatterns_add(p, args[i], xo_jpattern_compile(args[i], 0, "--match", 0));
			continue;
		}
		const struct xo_jpattern *found = xo_jpatterns_find(p, args[i]);
		if (!found || (size_t)(found - p->pats) >= held) {
			free(index);
			*missing = args[i];
			return NULL;
		}
		index[i] = (size_t)(found - p->pats);
	}
	const struct xo_jpattern **active = xo_calloc(n + 1, sizeof *active);
	for (size_t i = 0; i < n; i++)
		active[i] = &p->pats[index[i]];
	free(index);
	return active;
}

static struct xo_jfunnel *new_funnel(struct xo_jpatterns *p, const char *name,
				     xo_time_t window)
{
	p->funnels = xo_grow(p->funnels, &p->cap_funnels, p->n_funnels + 1, sizeof *p->funnels);
	struct xo_jfunnel *f = &p->funnels[p->n_funnels++];
	memset(f, 0, sizeof *f);
	f->name = xo_strdup(name);
	f->window = window;
	return f;
}

static int funnel_step(struct xo_jfunnel *f, const char *re, const char *where, long line)
{
	if (f->n_steps == XO_FUNNEL_MAX_STEPS)
		return -1;
	f->steps[f->n_steps] = xo_strdup(re);
	f->rx[f->n_steps] = xo_jpattern_compile(re, 1, where, line);
	f->n_steps++;
	return 0;
}

struct xo_jfunnel *xo_jpatterns_funnel(struct xo_jpatterns *p, const char *spec,
					     xo_time_t window)
{
	if (!strchr(spec, ',')) {
		for (size_t i = 0; i < p->n_funnels; i++)
			if (strcmp(p->funnels[i].name, spec) == 0)
				return &p->funnels[i];
		xo_die(XO_EXIT_USAGE, "--funnel: no funnel named '%s' (give steps as A,B,C or "
		       "name a [funnel] of --patterns)", spec);
	}
	struct xo_jfunnel *f = new_funnel(p, "funnel", window);
	char *copy = xo_strdup(spec), *save = NULL;
	for (char *step = strtok_r(copy, ",", &save); step; step = strtok_r(NULL, ",", &save)) {
		while (*step == ' ')
			step++;
		size_t len = strlen(step);
		while (len && step[len - 1] == ' ')
			step[--len] = '\0';
		if (len == 0 || funnel_step(f, step, "--funnel", 0) != 0) {
			free(copy);
			xo_die(XO_EXIT_USAGE, "--funnel: %s", len ? "more than 32 steps" : "empty step");
		}
	}
	free(copy);
	if (f->n_steps < 2)
		xo_die(XO_EXIT_USAGE, "--funnel: give at least two steps, as A,B");
	return f;
}

/* The patterns file: INI-like sections. */
enum section { SEC_NONE, SEC_PATTERN, SEC_EPISODE, SEC_FUNNEL };

struct loader {
	const char *path;
	long line;
	enum section sec;
	char *name;
	long sec_line;
	char *regex, *start, *end;
	xo_time_t timeout, window;
	struct xo_jfunnel *funnel;
	struct xo_jpatterns *p;
	struct xo_jconfig *cfg;
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		s[--len] = '\0';
	return s;
}

static void finish_section(struct loader *l)
{
	const char *path = l->path;
	long line = l->sec_line;
	switch (l->sec) {
	case SEC_PATTERN:
		if (!l->regex)
			xo_die_at(XO_EXIT_USAGE, path, line, "[pattern %s] has no regex", l->name);
		if (xo_jpatterns_find(l->p, l->name))
			xo_die_at(XO_EXIT_USAGE, path, line, "pattern '%s' defined twice", l->name);
		xo_jpatterns_add(l->p, l->name, xo_jpattern_compile(l->regex, 0, path, line));
		break;
	case SEC_EPISODE:
		if (!l->start || !l->end)
			xo_die_at(XO_EXIT_USAGE, path, line, "[episode %s] needs start and end",
				  l->name);
		if (xo_jconfig_kind(l->cfg, l->name, xo_jpattern_compile(l->start, 0, path, line),
				    xo_jpattern_compile(l->end, 0, path, line), l->timeout) != 0)
			xo_die_at(XO_EXIT_USAGE, path, line, "more than %d episode kinds",
				  XO_JOURNEY_MAX_KINDS);
		break;
	case SEC_FUNNEL:
		if (l->funnel->n_steps < 2)
			xo_die_at(XO_EXIT_USAGE, path, line, "[funnel %s] needs two steps or more",
				  l->name);
		l->funnel->window = l->window;
		break;
	case SEC_NONE:
		break;
	}
	free(l->name);
	free(l->regex);
	free(l->start);
	free(l->end);
	l->name = l->regex = l->start = l->end = NULL;
	l->sec = SEC_NONE;
	l->funnel = NULL;
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return 0;
	return 1;
}

static void start_section(struct loader *l, char *text)
{
	finish_section(l);
	size_t len = strlen(text);
	if (text[len - 1] != ']')
		xo_die_at(XO_EXIT_USAGE, l->path, l->line, "expected [KIND NAME]");
	text[len - 1] = '\0';
	char *kind = trim(text + 1);
	char *name = kind + strcspn(kind, " \t");
	if (*name)
		*name++ = '\0';
	name = trim(name);
	if (strcmp(kind, "pattern") == 0)
		l->sec = SEC_PATTERN;
	else if (strcmp(kind, "episode") == 0)
		l->sec = SEC_EPISODE;
	else if (strcmp(kind, "funnel") == 0)
		l->sec = SEC_FUNNEL;
	else
		xo_die_at(XO_EXIT_USAGE, l->path, l->line,
			  "unknown section '%s' (pattern, episode or funnel)", kind);
	if (!valid_name(name))
		xo_die_at(XO_EXIT_USAGE, l->path, l->line,
			  "bad or missing name '%s' (letters, digits, _ - .)", name);
	if (l->sec == SEC_FUNNEL)
		for (size_t i = 0; i < l->p->n_funnels; i++)
			if (strcmp(l->p->funnels[i].name, name) == 0)
				xo_die_at(XO_EXIT_USAGE, l->path, l->line,
					  "funnel '%s' defined twice", name);
	l->name = xo_strdup(name);
	l->sec_line = l->line;
	l->timeout = 30 * XO_USEC_PER_DAY;
	l->window = 30 * XO_USEC_PER_DAY;
	if (l->sec == SEC_FUNNEL)
		l->funnel = new_funnel(l->p, name, l->window);
}

static xo_time_t duration(struct loader *l, const char *key, const char *value)
{
	xo_time_t d;
	if (xo_duration_parse(value, &d) != 0 || d <= 0)
		xo_die_at(XO_EXIT_USAGE, l->path, l->line, "%s: bad duration '%s' (as 30m, 7d)",
			  key, value);
	return d;
}

static void set_key(struct loader *l, const char *key, const char *value)
{
	int ok = 1;
	switch (l->sec) {
	case SEC_PATTERN:
		if ((ok = strcmp(key, "regex") == 0)) {
			free(l->regex);
			l->regex = xo_strdup(value);
		}
		break;
	case SEC_EPISODE:
		if (strcmp(key, "start") == 0) {
			free(l->start);
			l->start = xo_strdup(value);
		} else if (strcmp(key, "end") == 0) {
			free(l->end);
			l->end = xo_strdup(value);
		} else if ((ok = strcmp(key, "timeout") == 0)) {
			l->timeout = duration(l, key, value);
		}
		break;
	case SEC_FUNNEL:
		if (strcmp(key, "step") == 0) {
			if (funnel_step(l->funnel, value, l->path, l->line) != 0)
				xo_die_at(XO_EXIT_USAGE, l->path, l->line, "more than %d steps",
					  XO_FUNNEL_MAX_STEPS);
		} else if ((ok = strcmp(key, "window") == 0)) {
			l->window = duration(l, key, value);
		}
		break;
	case SEC_NONE:
		xo_die_at(XO_EXIT_USAGE, l->path, l->line, "'%s' outside a section", key);
	}
	if (!ok)
		xo_die_at(XO_EXIT_USAGE, l->path, l->line, "unknown key '%s' here", key);
}

void xo_jpatterns_load(struct xo_jpatterns *p, const char *path, struct xo_jconfig *cfg)
{
	struct xo_input in;
	xo_input_open_or_die(&in, path);
	struct loader l;
	memset(&l, 0, sizeof l);
	l.path = in.name;
	l.p = p;
	l.cfg = cfg;
	while (xo_input_getline(&in) >= 0) {
		l.line = in.line;
		if (memchr(in.buf, '\0', in.len))
			xo_die_at(XO_EXIT_USAGE, l.path, l.line, "NUL byte in the line");
		char *text = trim(in.buf);
		if (*text == '\0' || *text == '#' || *text == ';')
			continue;
		if (*text == '[') {
			start_section(&l, text);
			continue;
		}
		char *eq = strchr(text, '=');
		if (!eq)
			xo_die_at(XO_EXIT_USAGE, l.path, l.line, "expected KEY = VALUE");
		*eq = '\0';
		char *key = trim(text), *value = trim(eq + 1);
		if (*value == '\0')
			xo_die_at(XO_EXIT_USAGE, l.path, l.line, "'%s' has no value", key);
		set_key(&l, key, value);
	}
	l.line = in.line;
	finish_section(&l);
	xo_input_close(&in);
}

void xo_jpatterns_free(struct xo_jpatterns *p)
{
	for (size_t i = 0; i < p->n_pats; i++) {
		free(p->pats[i].name);
		xo_rx_free(p->pats[i].rx);
	}
	for (size_t i = 0; i < p->n_funnels; i++) {
		struct xo_jfunnel *f = &p->funnels[i];
		free(f->name);
		for (size_t k = 0; k < f->n_steps; k++) {
			free(f->steps[k]);
			xo_rx_free(f->rx[k]);
		}
	}
	free(p->pats);
	free(p->funnels);
	memset(p, 0, sizeof *p);
}

static void build_subject(struct xo_jmatcher *m, const struct xo_journey *j,
			  const struct xo_intern *names)
{
	xo_buf_reset(&m->subject);
	m->starts = xo_grow(m->starts, &m->cap_starts, j->n_steps + 1, sizeof *m->starts);
	for (size_t i = 0; i < j->n_steps; i++) {
		if (i)
			xo_buf_addc(&m->subject, ' ');
		m->starts[i] = m->subject.len;
		uint32_t tok = j->steps[i].ev->token;
		xo_buf_add(&m->subject, xo_intern_str(names, tok), xo_intern_len(names, tok));
	}
	m->starts[j->n_steps] = m->subject.len + 1;
}

/* The step whose token (or the blank after it) holds byte off. */
static uint32_t step_at(const struct xo_jmatcher *m, size_t n_steps, size_t off)
{
	size_t lo = 0, hi = n_steps; /* starts[lo] <= off < starts[hi] */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (m->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

static void add_match(struct xo_jmatcher *m, const struct xo_jpattern *pat, uint32_t first,
		      uint32_t last)
{
	m->m = xo_grow(m->m, &m->cap_m, m->n + 1, sizeof *m->m);
	m->m[m->n].pat = pat;
	m->m[m->n].first = first;
	m->m[m->n].last = last;
	m->n++;
}

void xo_jmatch_run(struct xo_jmatcher *m, const struct xo_jpattern *const *pats, size_t n,
		   const struct xo_journey *j, const struct xo_intern *names)
{
	m->n = 0;
	build_subject(m, j, names);
	const char *s = m->subject.data;
	size_t len = m->subject.len;
	int limited = 0;
	for (size_t p = 0; p < n; p++) {
		size_t at = 0;
		while (at <= len) {
			enum xo_rx_result r = xo_rx_match_at(pats[p]->rx, s, len, at);
			if (r != XO_RX_MATCH) {
				if (r != XO_RX_NOMATCH && !limited) {
					limited = 1;
					if (m->limits++ < 10)
						xo_warn("xid \"%.*s\": pattern %s: %s; its matches are "
							"incomplete", (int)j->xid_len, j->xid,
							pats[p]->name, xo_rx_result_text(r));
				}
				break;
			}
			size_t ms, me;
			xo_rx_group(pats[p]->rx, 0, &ms, &me);
			if (me == ms) {
				at = ms + 1; /* an empty match is not reported */
				continue;
			}
			at = me;
			/* Blanks at either end of a match belong to no step. */
			while (ms < me && s[ms] == ' ')
				ms++;
			while (me > ms && s[me - 1] == ' ')
				me--;
			if (ms < me)
				add_match(m, pats[p], step_at(m, j->n_steps, ms),
					  step_at(m, j->n_steps, me - 1));
		}
	}
}

void xo_jmatch_members(struct xo_jw *w, const struct xo_jmatch *m, const struct xo_journey *j,
		       const struct xo_intern *names, int with_xid)
{
	if (with_xid) {
		xo_jw_key(w, "xid");
		xo_jw_str(w, j->xid, j->xid_len);
	}
	xo_jw_key(w, "pattern");
	xo_jw_strz(w, m->pat->name);
	xo_jw_key(w, "first");
	xo_jw_int(w, m->first);
	xo_jw_key(w, "last");
	xo_jw_int(w, m->last);
	xo_jw_key(w, "start");
	xo_jw_time(w, j->steps[m->first].ev->ts);
	xo_jw_key(w, "end");
	xo_jw_time(w, j->steps[m->last].ev->ts);
	xo_jw_key(w, "tokens");
	xo_jw_arr(w);
	for (uint32_t i = m->first; i <= m->last; i++) {
		uint32_t tok = j->steps[i].ev->token;
		xo_jw_str(w, xo_intern_str(names, tok), xo_intern_len(names, tok));
	}
	xo_jw_end(w);
}

void xo_jmatch_tsv_header(struct xo_buf *out)
{
	xo_buf_adds(out, "xid\tpattern\tfirst\tlast\tstart\tend\ttokens\n");
}

void xo_jmatch_tsv(struct xo_buf *out, const struct xo_jmatch *m, const struct xo_journey *j,
		   const struct xo_intern *names)
{
	char t1[XO_TIME_BUFSIZE], t2[XO_TIME_BUFSIZE];
	xo_time_format(j->steps[m->first].ev->ts, t1);
	xo_time_format(j->steps[m->last].ev->ts, t2);
	xo_tsv_field(out, j->xid, j->xid_len);
	xo_buf_addc(out, '\t');
	xo_tsv_field(out, m->pat->name, strlen(m->pat->name));
	xo_buf_printf(out, "\t%u\t%u\t%s\t%s\t", m->first, m->last, t1, t2);
	for (uint32_t i = m->first; i <= m->last; i++) {
		uint32_t tok = j->steps[i].ev->token;
		if (i > m->first)
			xo_buf_addc(out, ' ');
		xo_tsv_field(out, xo_intern_str(names, tok), xo_intern_len(names, tok));
	}
	xo_buf_addc(out, '\n');
}

void xo_jmatcher_free(struct xo_jmatcher *m)
{
	xo_buf_free(&m->subject);
	free(m->starts);
	free(m->m);
	memset(m, 0, sizeof *m);
}
