/* Fuzz the linkage spec parser (xo-linkage(5)), and run what parses
 * over a few fixed records: cleaning, blocking keys, comparisons, the
 * u sample and EM, so a spec can reach every part of lib/linkage. */
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "linkage.h"
#include "linkspec.h"

static const char *const records[] = {
	("{\"attrs\":{\"first_name\":\"Anna\",\"last_name\":\"Rossi\",\"birth_date\":\"1987-03-02\","
	"\"city\":\"Milano\",\"email\":\"anna@example.com\",\"phone\":\"+39 333 123 4567\"}}"),
	("{\"attrs\":{\"first_name\":\"Ana\",\"last_name\":\"Rossi\",\"birth_date\":\"02/03/1987\","
	"\"city\":\"MILANO \",\"postcode\":20121,\"phone\":\"333-1234567\"}}"),
	("{\"attrs\":{\"first_name\":\"Anna-María\",\"last_name\":\"O'Neil\",\"birth_date\":\"1987\","
	"\"city\":\"Bergamo\",\"postcode\":\"24100\"},\"ids\":{\"email\":\"ANNA@example.com\"}}"),
	("{\"attrs\":{\"first_name\":\"Jürgen\",\"last_name\":\"Rössi\",\"birth_date\":\"1987-02-03\","
	"\"city\":null,\"postcode\":[1,2]}}"),
	("{\"attrs\":{\"first_name\":\"\",\"last_name\":\"Rossi\",\"birth_date\":\"2026-13-45\","
	"\"city\":\"Milano\",\"postcode\":-0.5e3}}"),
	("{\"attrs\":{\"first_name\":\"\\u00c9milie\",\"last_name\":\"\\ud83d\\ude00\","
	"\"birth_date\":1.7e300,\"city\":{\"a\":1}}}"),
};

static void count_link(void *ctx, const struct xo_link *link)
{
	(*(size_t *)ctx)++;
	(void)link;
}

static void run_spec(struct xo_linkspec *s)
{
	/* Keep a run small whatever the spec asks for. */
	if (s->sample > 2000)
		s->sample = 2000;
	if (s->em_iterations > 25)
		s->em_iterations = 25;
	for (int mode = 0; mode < 2; mode++) {
		struct xo_linkage *lk = xo_linkage_new(s, mode);
		for (size_t i = 0; i < sizeof records / sizeof *records; i++) {
			json_t *ev = json_loads(records[i], 0, NULL);
			xo_linkage_add_event(lk, ev, (int)(i & 1), mode ? 0 : i % 3);
			json_decref(ev);
		}
		size_t links = 0;
		struct xo_linkage_stats stats;
		xo_linkage_run(lk, count_link, &links, &stats);
		json_t *model = xo_linkage_model(lk);
		json_decref(model);
		xo_linkage_free(lk);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xo_buf why = XO_BUF_INIT, out = XO_BUF_INIT;
	xo_diag_quiet(1);
	struct xo_linkspec *s = xo_linkspec_parse("fuzz.spec", (const char *)data, size, &why);
	if (s) {
		static const char *const raw[] = { "  Anna-María O'Neil ", "+39 (333) 123-4567",
						   "1987-03-02", "", "\xc3\x28 bad \xff utf-8" };
		for (size_t f = 0; f < s->n_fields; f++)
			for (size_t i = 0; i < sizeof raw / sizeof *raw; i++)
				xo_lfield_clean(&s->fields[f], raw[i], strlen(raw[i]), &out);
		run_spec(s);
	}
	xo_linkspec_free(s);
	xo_buf_free(&why);
	xo_buf_free(&out);
	return 0;
}
