#include "slice.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "mem.h"

/* Where the first line starting at or after offset at begins in the
 * file fd of size bytes: at itself when a line ends just before it. */
static int64_t line_start(int fd, const char *path, int64_t at, int64_t size)
{
	if (at <= 0)
		return 0;
	char buf[65536];
	int64_t pos = at - 1;
	while (pos < size) {
		ssize_t got = pread(fd, buf, sizeof buf, pos);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			xo_die(XO_EXIT_INPUT, "%s: %s", path, strerror(errno));
		if (got == 0)
			break;
		const char *nl = memchr(buf, '\n', (size_t)got);
		if (nl)
			return pos + (nl - buf) + 1;
		pos += got;
	}
	return size;
}

struct file {
	int fd;
	int64_t base, size;
};

/* The place, as a position in all the inputs, where the line holding
 * byte at of them starts if at is its first byte, else where the next
 * line starts. */
static int64_t cut(struct file *f, char *const *paths, int n, int64_t at)
{
	for (int i = 0; i < n; i++) {
		if (at >= f[i].base + f[i].size)
			continue;
		return f[i].base + line_start(f[i].fd, paths[i], at - f[i].base, f[i].size);
	}
	return n ? f[n - 1].base + f[n - 1].size : 0;
}

void xo_slice_inputs(char *const *paths, int n, const struct xo_shard *part,
		     struct xo_slice *out)
{
	struct file *f = xo_calloc((size_t)n + 1, sizeof *f);
	int64_t total = 0;
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (strcmp(paths[i], "-") == 0)
			xo_die(XO_EXIT_USAGE, "--part needs files, not standard input");
		f[i].fd = open(paths[i], O_RDONLY);
		if (f[i].fd < 0 || fstat(f[i].fd, &st) != 0)
			xo_die(XO_EXIT_INPUT, "%s: %s", paths[i], strerror(errno));
		if (!S_ISREG(st.st_mode))
			xo_die(XO_EXIT_USAGE, "%s: --part needs regular files, not pipes or devices",
			       paths[i]);
		f[i].base = total;
		f[i].size = st.st_size;
		total += st.st_size;
	}
	/* Integer arithmetic that cannot overflow for any file size. */
	int64_t per = total / part->count, rest = total % part->count;
	int64_t lo = per * part->index + (rest * part->index) / part->count;
	int64_t hi = per * (part->index + 1) + (rest * (part->index + 1)) / part->count;
	int64_t from = cut(f, paths, n, lo), to = part->index + 1 == part->count ? total
							: cut(f, paths, n, hi);
	for (int i = 0; i < n; i++) {
		int64_t s = from > f[i].base ? from - f[i].base : 0;
		int64_t e = to - f[i].base;
		if (s > f[i].size)
			s = f[i].size;
		if (e > f[i].size)
			e = f[i].size;
		if (e < s)
			e = s;
		out[i] = (struct xo_slice){ paths[i], s, e };
		close(f[i].fd);
	}
	free(f);
}

static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static void read_lines(struct xo_mlines *in, struct xo_progress *progress, int64_t *done,
		       int64_t total, xo_slice_fn fn, void *ctx)
{
	int64_t before = in->offset;
	while (xo_mlines_next(in)) {
		if (!blank(in->buf, in->len))
			fn(ctx, in);
		xo_progress_tick(progress, *done + (in->offset - before), total);
	}
	*done += in->offset - before;
}

void xo_slice_read(char *const *paths, int n, const struct xo_shard *part,
		   struct xo_progress *progress, xo_slice_fn fn, void *ctx)
{
	static char *stdin_only[] = { "-" };
	if (n == 0) {
		paths = stdin_only;
		n = 1;
	}
	struct xo_slice *s = xo_calloc((size_t)n, sizeof *s);
	int64_t total = 0, done = 0;
	if (part->count) {
		xo_slice_inputs(paths, n, part, s);
		for (int i = 0; i < n; i++)
			total += s[i].end - s[i].start;
	} else {
		total = -1;
	}
	for (int i = 0; i < n; i++) {
		struct xo_mlines in;
		int rc;
		if (!part->count)
			rc = xo_mlines_open(&in, paths[i]);
		else if (s[i].start == s[i].end)
			continue;
		else
			rc = xo_mlines_open_range(&in, paths[i], s[i].start, s[i].end);
		if (rc != 0)
			xo_die(XO_EXIT_INPUT, "%s: %s", paths[i], strerror(errno));
		/* One input of known size: its ETA. */
		int64_t size = part->count ? total : n == 1 ? in.size : -1;
		read_lines(&in, progress, &done, size, fn, ctx);
		xo_mlines_close(&in);
	}
	free(s);
}
