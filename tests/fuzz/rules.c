/* Fuzz the rules file parser of xo-decide (xo-rules(5)): parse and
 * compile only. suppress_list names resolve in a scratch directory
 * holding one small list; inputs that could name a file elsewhere (a
 * '/' or a backslash escape anywhere) are skipped, so the harness
 * never reads the machine's files. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "rules.h"

static char dir[64];

static void remove_dir(void)
{
	char path[96];
	snprintf(path, sizeof path, "%s/suppress.txt", dir);
	unlink(path);
	rmdir(dir);
}

static const char *scratch_dir(void)
{
	if (dir[0])
		return dir;
	snprintf(dir, sizeof dir, "/tmp/xo-fuzz-rules-XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	char path[96];
	snprintf(path, sizeof path, "%s/suppress.txt", dir);
	FILE *fp = fopen(path, "w");
	if (fp) {
		fputs("# suppressed\nX-1\n  X-2  \n\n", fp);
		fclose(fp);
	}
	atexit(remove_dir);
	return dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_contains(data, size, "suppress_list") &&
	    (memchr(data, '/', size) || memchr(data, '\\', size)))
		return 0;
	const char *d = scratch_dir();
	if (!d)
		return 0;
	struct xo_buf err = XO_BUF_INIT;
	xo_diag_quiet(1);
	struct xo_rules *r = xo_rules_parse("fuzz.rules", d, (const char *)data, size, &err);
	if (r) {
		for (size_t i = 0; i < r->n_actions; i++)
			if (xo_rules_action(r, r->actions[i].name) == NULL)
				abort();
	}
	xo_rules_free(r);
	xo_buf_free(&err);
	return 0;
}
