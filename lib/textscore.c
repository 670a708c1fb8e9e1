#include "textscore.h"

#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "mem.h"
#include "stats.h"

static int add_lexicon(struct xo_textscore *ts, const char *path, struct xo_buf *err)
{
	struct xo_lexicon *lx = xo_lexicon_load(path, err);
	if (!lx)
		return -1;
	ts->lex = xo_realloc(ts->lex, (ts->n_lex + 1) * sizeof *ts->lex);
	ts->lex[ts->n_lex++] = lx;
	return 0;
}

static int load_default_lexicons(struct xo_textscore *ts, struct xo_buf *err)
{
	char *langs = xo_strdup(XO_DEFAULT_LANGS), *save = NULL;
	int rc = 0;
	for (char *code = strtok_r(langs, ",", &save); code && rc == 0;
	     code = strtok_r(NULL, ",", &save)) {
		struct xo_buf rel = XO_BUF_INIT, tried = XO_BUF_INIT;
		xo_buf_printf(&rel, "lexicons/%s.lex", code);
		char *path = xo_datadir_find(rel.data, &tried);
		if (!path) {
			xo_buf_printf(err, "no %s lexicon (looked for %s); set XO_DATADIR or use --lexicon",
				      code, tried.data);
			rc = -1;
		} else {
			rc = add_lexicon(ts, path, err);
		}
		free(path);
		xo_buf_free(&rel);
		xo_buf_free(&tried);
	}
	free(langs);
	return rc;
}

static struct xo_lexicon *find_lang(struct xo_textscore *ts, const char *code)
{
	for (size_t i = 0; i < ts->n_lex; i++)
		if (strcmp(xo_lexicon_lang(ts->lex[i]), code) == 0)
			return ts->lex[i];
	return NULL;
}

static int load_topics(struct xo_textscore *ts, const struct xo_textscore_opts *o,
		       struct xo_buf *err)
{
	if (o->no_topics)
		return 0;
	if (!(ts->topics = xo_topics_open(o->topics, err)))
		return -1;
	ts->hit = xo_calloc(xo_topics_count(ts->topics), 1);
	return 0;
}

int xo_textscore_open(struct xo_textscore *ts, const struct xo_textscore_opts *o,
		      struct xo_buf *err)
{
	memset(ts, 0, sizeof *ts);
	ts->digits = o->digits;
	if (o->n_lexicons) {
		for (int i = 0; i < o->n_lexicons; i++)
			if (add_lexicon(ts, o->lexicons[i], err) != 0)
				return -1;
	} else if (load_default_lexicons(ts, err) != 0) {
		return -1;
	}
	if (o->lang && !(ts->forced = find_lang(ts, o->lang))) {
		xo_buf_printf(err, "no lexicon for language '%s'", o->lang);
		return -1;
	}
	ts->fallback = o->default_lang ? find_lang(ts, o->default_lang) : ts->lex[0];
	if (!ts->fallback) {
		xo_buf_printf(err, "no lexicon for the default language '%s'", o->default_lang);
		return -1;
	}
	if (!(ts->text_path = xo_path_compile(o->text_field ? o->text_field : "text", err)))
		return -1;
	if (o->lang_field && !(ts->lang_path = xo_path_compile(o->lang_field, err)))
		return -1;
	return load_topics(ts, o, err);
}

struct xo_lexicon *xo_textscore_lexicon(struct xo_textscore *ts, const char *text,
					size_t len, const char *lang_hint)
{
	if (ts->forced)
		return ts->forced;
	struct xo_lexicon *lx;
	if (lang_hint && (lx = find_lang(ts, lang_hint))) {
		ts->by_field++;
		return lx;
	}
	if (ts->n_lex > 1 && (lx = xo_lexicon_detect(ts->lex, ts->n_lex, text, len))) {
		ts->detected++;
		return lx;
	}
	ts->by_default++;
	return ts->fallback;
}

/* A language code as a hint: "it", "IT", "it-IT", "it_CH" -> "it". */
static void lang_hint(const json_t *v, char out[16])
{
	out[0] = '\0';
	if (!json_is_string(v))
		return;
	const char *s = json_string_value(v);
	size_t i = 0;
	for (; s[i] && s[i] != '-' && s[i] != '_' && i < 15; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[i] = '\0';
}

int xo_textscore_annotate(struct xo_textscore *ts, json_t *rec, struct xo_buf *why,
			  struct xo_buf *warn)
{
	json_t *text = xo_path_get(ts->text_path, rec);
	if (!text || json_is_null(text))
		return 0;
	if (!json_is_string(text)) {
		xo_buf_printf(why, "%s is not a string", xo_path_text(ts->text_path));
		return -1;
	}
	const char *s = json_string_value(text);
	size_t len = json_string_length(text);
	char hint[16] = "";
	if (ts->lang_path)
		lang_hint(xo_path_get(ts->lang_path, rec), hint);
	struct xo_lexicon *lx = xo_textscore_lexicon(ts, s, len, hint[0] ? hint : NULL);
	struct xo_sentiment st;
	xo_sentiment_score(lx, s, len, &st);
	ts->texts++;
	ts->per_label[st.label + 1]++;
	json_t *sent = json_object();
	json_object_set_new(sent, "score", json_real(xo_round(st.score, ts->digits)));
	json_object_set_new(sent, "label", json_string(xo_polarity_name(st.label)));
	json_object_set_new(sent, "lang", json_string(xo_lexicon_lang(lx)));
	json_object_set_new(sent, "hits", json_integer(st.hits));
	json_object_set_new(rec, "sentiment", sent);
	if (ts->topics) {
		xo_topics_match(ts->topics, s, len, ts->hit, warn);
		json_t *list = json_array();
		for (size_t i = 0; i < xo_topics_count(ts->topics); i++)
			if (ts->hit[i])
				json_array_append_new(list, json_string(xo_topics_name(ts->topics, i)));
		json_object_set_new(rec, "topics", list);
	}
	return 1;
}

void xo_textscore_free(struct xo_textscore *ts)
{
	for (size_t i = 0; i < ts->n_lex; i++)
		xo_lexicon_free(ts->lex[i]);
	free(ts->lex);
	xo_path_free(ts->text_path);
	xo_path_free(ts->lang_path);
	xo_topics_free(ts->topics);
	free(ts->hit);
	memset(ts, 0, sizeof *ts);
}
