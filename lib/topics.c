#include "topics.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfgfile.h"
#include "datadir.h"
#include "mem.h"
#include "rx.h"

struct pattern {
	size_t topic;
	long line;
	struct xo_rx *rx;
};

struct xo_topics {
	char **names;
	size_t n_names, cap_names;
	struct pattern *patterns;
	size_t n_patterns, cap_patterns;
	char *file;
};

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

static size_t topic_index(struct xo_topics *t, const char *name)
{
	for (size_t i = 0; i < t->n_names; i++)
		if (strcmp(t->names[i], name) == 0)
			return i;
	t->names = xo_grow(t->names, &t->cap_names, t->n_names + 1, sizeof *t->names);
	t->names[t->n_names] = xo_strdup(name);
	return t->n_names++;
}

/* One "TOPIC<TAB>PATTERN" line; 0, or -1 with the reason in why. */
static int add_line(struct xo_topics *t, char *line, long at, struct xo_buf *why)
{
	char *tab = strchr(line, '\t');
	if (!tab || !tab[1]) {
		xo_buf_adds(why, "expected TOPIC<TAB>PATTERN");
		return -1;
	}
	*tab = '\0';
	if (!valid_name(line)) {
		xo_buf_printf(why, "topic name '%s': use a-z, 0-9, '_', '-', '.'", line);
		return -1;
	}
	struct xo_buf rxerr = XO_BUF_INIT;
	struct xo_rx *rx = xo_rx_compile(tab + 1, PCRE2_CASELESS, &rxerr);
	if (!rx)
		xo_buf_printf(why, "bad pattern: %s", xo_buf_str(&rxerr));
	xo_buf_free(&rxerr);
	if (!rx)
		return -1;
	t->patterns = xo_grow(t->patterns, &t->cap_patterns, t->n_patterns + 1, sizeof *t->patterns);
	t->patterns[t->n_patterns++] = (struct pattern){ topic_index(t, line), at, rx };
	return 0;
}

struct xo_topics *xo_topics_load(const char *path, struct xo_buf *err)
{
	struct xo_cfgfile file;
	if (xo_cfgfile_open(&file, path, err) != 0)
		return NULL;
	struct xo_topics *t = xo_calloc(1, sizeof *t);
	t->file = xo_strdup(file.in.name);
	struct xo_buf why = XO_BUF_INIT;
	const char *bad = NULL;
	char *line;
	while ((line = xo_cfgfile_next(&file, &bad)))
		if (add_line(t, line, file.in.line, &why) != 0)
			break;
	long at = file.in.line;
	if (bad)
		xo_buf_adds(&why, bad);
	if (!why.len && t->n_names == 0) {
		xo_buf_adds(&why, "no topics");
		at = 0;
	}
	if (why.len)
		xo_buf_printf(err, "%s:%ld: %s", file.in.name, at, why.data);
	xo_cfgfile_close(&file);
	if (why.len) {
		xo_buf_free(&why);
		xo_topics_free(t);
		return NULL;
	}
	return t;
}

struct xo_topics *xo_topics_open(const char *path, struct xo_buf *err)
{
	if (path)
		return xo_topics_load(path, err);
	struct xo_buf tried = XO_BUF_INIT;
	char *found = xo_datadir_find(XO_DEFAULT_TOPICS, &tried);
	struct xo_topics *t = NULL;
	if (found)
		t = xo_topics_load(found, err);
	else
		xo_buf_printf(err, "no default topic file (looked for %s); set XO_DATADIR or name a topic file",
			      tried.data);
	free(found);
	xo_buf_free(&tried);
	return t;
}

size_t xo_topics_count(const struct xo_topics *t)
{
	return t->n_names;
}

const char *xo_topics_name(const struct xo_topics *t, size_t i)
{
	return t->names[i];
}

size_t xo_topics_match(struct xo_topics *t, const char *text, size_t len,
		       unsigned char *hit, struct xo_buf *why)
{
	memset(hit, 0, t->n_names);
	size_t found = 0;
	for (size_t i = 0; i < t->n_patterns; i++) {
		struct pattern *p = &t->patterns[i];
		if (hit[p->topic])
			continue;
		enum xo_rx_result r = xo_rx_match(p->rx, text, len);
		if (r == XO_RX_MATCH) {
			hit[p->topic] = 1;
			found++;
		} else if (r != XO_RX_NOMATCH && why) {
			xo_buf_printf(why, "%s%s:%ld: topic %s: %s", why->len ? "; " : "",
				      t->file, p->line, t->names[p->topic], xo_rx_result_text(r));
		}
	}
	return found;
}

void xo_topics_free(struct xo_topics *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_patterns; i++)
		xo_rx_free(t->patterns[i].rx);
	for (size_t i = 0; i < t->n_names; i++)
		free(t->names[i]);
	free(t->patterns);
	free(t->names);
	free(t->file);
	free(t);
}
