/* Fuzz xo-report's readers (lib/rundata) and its page (lib/report):
 * the first byte picks the kind of input (metrics, paths, funnel,
 * drivers, predictions, calibration, decisions, review, rejected), the
 * rest is the file. The page is drawn from what was read; data must
 * never reach it as markup, so it may hold no "<script" at all. The
 * journey map is left out: it is Graphviz's input, drawn by dot. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "report.h"

static const enum xo_run_kind kinds[] = {
	XO_RUN_METRICS, XO_RUN_PATHS, XO_RUN_FUNNEL, XO_RUN_DRIVERS, XO_RUN_PREDICTIONS,
	XO_RUN_CALIBRATION, XO_RUN_DECISIONS, XO_RUN_REVIEW, XO_RUN_REJECTED,
};

static int has_script(const struct xo_buf *page)
{
	static const char tag[] = "<script";
	for (size_t i = 0; i + sizeof tag - 1 <= page->len; i++) {
		size_t k = 0;
		while (k < sizeof tag - 1 && tolower((unsigned char)page->data[i + k]) == tag[k])
			k++;
		if (k == sizeof tag - 1)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum xo_run_kind kind = kinds[data[0] % (sizeof kinds / sizeof *kinds)];
	const char *path = fuzz_file(data + 1, size - 1);
	if (!path)
		return 0;
	xo_diag_quiet(1);
	struct xo_buf err = XO_BUF_INIT, page = XO_BUF_INIT;
	struct xo_rejects *rejects = xo_rejects_open(NULL);
	struct xo_run_opts ro = { "prediction.p", 0.7, 10, 5, rejects, data[0] >> 7 };
	struct xo_run *run = xo_run_new(&ro, &err);
	xo_run_read(run, kind, path, kind == XO_RUN_DRIVERS ? "churn" : NULL);
	struct xo_report_opts o = { "fuzz", "2026-03-15T12:00:00Z", "0", "/nonexistent/dot",
				    1000, 5, 0.7, "prediction.p" };
	struct xo_report_status st;
	xo_report_html(&page, run, &o, &st);
	if (has_script(&page)) {
		fprintf(stderr, "the page holds a script tag\n");
		abort();
	}
	xo_run_free(run);
	xo_rejects_close(rejects);
	xo_buf_free(&page);
	xo_buf_free(&err);
	return 0;
}
