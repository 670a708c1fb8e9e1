/* Fuzz the files xo-score reads besides records: the first byte picks
 * one, the rest is its text:
 *   0  a feature spec (xo-features(5)), fitted-free encoding of a record
 *   1  a model file (xo-model(5)), then a prediction for fixed records
 *   2  a lexicon (xo-lexicon(5)), then the sentiment of fixed texts
 *   3  a topic file (xo-topics(5)), then the topics of fixed texts
 *   4  NDJSON records: their survey measures (lib/cxmetrics) */
#include <stdlib.h>
#include <string.h>

#include "cxmetrics.h"
#include "diag.h"
#include "featspec.h"
#include "fuzz.h"
#include "model.h"
#include "ndjson.h"
#include "sentiment.h"
#include "topics.h"

static const char *const texts[] = {
	"The agent was GREAT but the wait was not good at all!!!",
	"Non funziona, pessimo servizio. Mai più.",
	"",
	"\xc3\x28\xff not utf-8 \xe2\x82",
	"very very very extremely not bad :) :( 10/10",
};

static const char *const records[] = {
	("{\"context\":{\"tenure_days\":800,\"contacts_30d\":2},\"attrs\":{\"plan\":\"basic\","
	"\"tags\":[\"a\",\"b\",\"a\"]},\"steps\":[{\"token\":\"web:visit\"},{\"token\":\"phone:call\"}],"
	"\"churned\":true,\"cx\":{\"nps\":3,\"csat\":5,\"ces\":2}}"),
	("{\"context\":{\"tenure_days\":\"12\",\"contacts_30d\":null},\"attrs\":{\"plan\":7},"
	"\"churned\":\"no\",\"cx\":{\"nps\":11}}"),
	("{\"steps\":{\"token\":1},\"context\":[],\"attrs\":\"x\",\"cx\":{\"nps\":\"9\",\"ces\":1e400}}"),
};

#define N_RECORDS (sizeof records / sizeof *records)

static void visit(void *ctx, const struct xo_fvalue *v)
{
	(void)ctx;
	(void)v;
}

static void fuzz_features(const char *text)
{
	if (text[0] == '@')
		return; /* a file name: not read from here */
	struct xo_features fs;
	struct xo_buf err = XO_BUF_INIT, scratch = XO_BUF_INIT;
	memset(&fs, 0, sizeof fs);
	if (xo_features_parse(&fs, text, &err) == 0) {
		for (size_t r = 0; r < N_RECORDS; r++) {
			json_t *rec = json_loads(records[r], 0, NULL);
			for (size_t i = 0; i < fs.n; i++) {
				xo_buf_reset(&err);
				xo_feature_values(&fs, i, rec, &scratch, visit, NULL, &err);
			}
			json_decref(rec);
		}
	}
	xo_features_free(&fs);
	xo_buf_free(&err);
	xo_buf_free(&scratch);
}

static void fuzz_model(const char *path)
{
	struct xo_buf err = XO_BUF_INIT, scratch = XO_BUF_INIT;
	struct xo_model *m = xo_model_load(path, &err);
	if (m) {
		struct xo_encoded enc = { 0 };
		struct xo_contribution top[3];
		for (size_t r = 0; r < N_RECORDS; r++) {
			json_t *rec = json_loads(records[r], 0, NULL);
			double p;
			int got;
			xo_buf_reset(&err);
			xo_model_predict(m, rec, &enc, &scratch, &p, top, 3, &got, &err);
			json_decref(rec);
		}
		json_decref(xo_model_json(m));
		xo_encoded_free(&enc);
		xo_model_free(m);
	}
	xo_buf_free(&err);
	xo_buf_free(&scratch);
}

static void fuzz_lexicon(const char *path)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_lexicon *lx = xo_lexicon_load(path, &err);
	if (lx) {
		struct xo_sentiment s;
		for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
			xo_sentiment_score(lx, texts[i], strlen(texts[i]), &s);
			xo_lexicon_detect(&lx, 1, texts[i], strlen(texts[i]));
		}
		xo_lexicon_free(lx);
	}
	xo_buf_free(&err);
}

static void fuzz_topics(const char *path)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_topics *t = xo_topics_load(path, &err);
	if (t) {
		unsigned char *hit = malloc(xo_topics_count(t) + 1);
		for (size_t i = 0; hit && i < sizeof texts / sizeof *texts; i++)
			xo_topics_match(t, texts[i], strlen(texts[i]), hit, &err);
		free(hit);
		xo_topics_free(t);
	}
	xo_buf_free(&err);
}

static void fuzz_cx(const uint8_t *data, size_t size)
{
	struct xo_buf why = XO_BUF_INIT;
	struct xo_cx_totals totals;
	memset(&totals, 0, sizeof totals);
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *rec = NULL;
		if (xo_ndjson_parse(p, len, &rec, &why) == XO_NDJSON_OBJECT) {
			struct xo_cx_response r;
			xo_buf_reset(&why);
			if (xo_cx_read(rec, &r, &why) == 1)
				xo_cx_add(&totals, &r, XO_CES_EASE);
		}
		json_decref(rec);
		xo_buf_reset(&why);
		p += len + 1;
	}
	struct xo_cx_figures f;
	xo_cx_compute(&totals, 1, &f);
	json_t *obj = json_object();
	xo_cx_json(obj, &totals, &f);
	char *text = json_dumps(obj, 0);
	free(text);
	json_decref(obj);
	xo_buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	xo_diag_quiet(1);
	switch (data[0] % 5) {
	case 0: {
		char *text = fuzz_string(data + 1, size - 1);
		if (text)
			fuzz_features(text);
		free(text);
		break;
	}
	case 4:
		fuzz_cx(data + 1, size - 1);
		break;
	default: {
		const char *path = fuzz_file(data + 1, size - 1);
		if (!path)
			break;
		if (data[0] % 5 == 1)
			fuzz_model(path);
		else if (data[0] % 5 == 2)
			fuzz_lexicon(path);
		else
			fuzz_topics(path);
	}
	}
	return 0;
}
