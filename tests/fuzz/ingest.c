/* Fuzz xo-ingest's readers end to end: the first byte picks a preset
 * and reader options, the rest is the export. Covers CSV (through a
 * map), NDJSON lines, JSON arrays and log patterns. */
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "ingest.h"
#include "map.h"
#include "preset.h"
#include "tz.h"

static void discard(void *ctx, const char *event, size_t len)
{
	(void)ctx;
	(void)event;
	(void)len;
}

static const char *const presets[] = { "survey", "calls", "orders", "weblog", "social" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	xo_diag_quiet(1);
	uint8_t pick = data[0];
	const struct xo_preset *p = xo_preset_find(presets[pick % 5]);
	struct xo_buf err = XO_BUF_INIT;
	struct xo_map *map = xo_map_parse(p->text, strlen(p->text), p->name, &err);
	/* Vary what the map asks of the reader. */
	if (pick & 0x08)
		map->format = XO_FMT_JSON;
	if (pick & 0x10)
		map->delimiter = ';';
	if (pick & 0x20)
		map->encoding = pick & 0x40 ? XO_ENC_LATIN1 : XO_ENC_REPLACE;
	if (pick & 0x80) {
		map->trim = 1;
		map->strict_quotes = 1;
		map->pad_short_rows = 1;
		map->max_record_lines = 3;
	}
	struct xo_rejects *rejects = xo_rejects_open(NULL);
	struct xo_ingest_opts opts = { .map = map, .rejects = rejects, .emit = discard };
	opts.ev.country = "IT";
	struct xo_ingest *ing = xo_ingest_new(&opts);
	FILE *fp = fuzz_stream(data + 1, size - 1);
	if (fp) {
		struct xo_input in;
		struct xo_ingest_counts counts;
		xo_input_open_fp(&in, fp, "fuzz");
		xo_ingest_input(ing, &in, "fuzz", &counts);
		xo_input_close(&in);
		fclose(fp);
	}
	xo_ingest_free(ing);
	xo_rejects_close(rejects);
	xo_map_free(map);
	xo_buf_free(&err);
	return 0;
}
