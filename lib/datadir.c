#include "datadir.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"

/* The running program's directory, or "" when unknown. */
static void program_dir(struct xo_buf *out)
{
	size_t cap = 256;
	for (;;) {
		char *path = xo_malloc(cap);
		ssize_t n = readlink("/proc/self/exe", path, cap);
		if (n < 0) {
			free(path);
			return;
		}
		if ((size_t)n < cap) {
			size_t end = (size_t)n;
			while (end > 0 && path[end - 1] != '/')
				end--;
			if (end > 1)
				xo_buf_add(out, path, end - 1);
			free(path);
			return;
		}
		free(path);
		cap *= 2;
	}
}

static char *try(const char *dir, const char *suffix, const char *rel, struct xo_buf *tried)
{
	struct xo_buf path = XO_BUF_INIT;
	xo_buf_printf(&path, "%s%s/%s", dir, suffix, rel);
	if (access(path.data, R_OK) == 0)
		return xo_buf_steal(&path);
	if (tried) {
		if (tried->len)
			xo_buf_adds(tried, ", ");
		xo_buf_adds(tried, path.data);
	}
	xo_buf_free(&path);
	return NULL;
}

char *xo_datadir_find(const char *rel, struct xo_buf *tried)
{
	const char *env = getenv("XO_DATADIR");
	char *found = NULL;
	if (env && *env && (found = try(env, "", rel, tried)))
		return found;
	struct xo_buf bin = XO_BUF_INIT;
	program_dir(&bin);
	if (bin.len) {
		static const char *const places[] = {
			"/../share/xo", "/../../lib/share", "/../../../lib/share",
		};
		for (size_t i = 0; i < sizeof places / sizeof *places && !found; i++)
			found = try(bin.data, places[i], rel, tried);
	}
	xo_buf_free(&bin);
	return found;
}
