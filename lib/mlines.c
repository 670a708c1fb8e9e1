#include "mlines.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int xo_mlines_open(struct xo_mlines *l, const char *path)
{
	memset(l, 0, sizeof *l);
	if (strcmp(path, "-") != 0) {
		int fd = open(path, O_RDONLY);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
			void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			close(fd);
			if (p != MAP_FAILED) {
#ifdef MADV_SEQUENTIAL
				madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
#endif
				l->map = p;
				l->map_size = (size_t)st.st_size;
				l->limit = l->map_size;
				l->mapped = 1;
				l->size = st.st_size;
				l->name = path;
				return 0;
			}
		} else if (fd >= 0) {
			close(fd);
		}
	}
	if (xo_input_open(&l->in, path) != 0)
		return -1;
	l->name = l->in.name;
	l->size = l->in.size;
	return 0;
}

void xo_mlines_open_fp(struct xo_mlines *l, FILE *fp, const char *name)
{
	memset(l, 0, sizeof *l);
	l->in.fp = fp;
	l->in.path = name;
	l->in.name = name;
	l->in.size = -1;
	l->name = name;
	l->size = -1;
}

/* Give back the pages before the current line, a few megabytes at a time. */
#define RELEASE_STEP (16u << 20)

static void release_read(struct xo_mlines *l, size_t upto)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t end = upto / page * page;
	if (end < l->released + RELEASE_STEP)
		return;
	madvise((void *)(uintptr_t)(l->map + l->released), end - l->released, MADV_DONTNEED);
	l->released = end;
}

int xo_mlines_open_range(struct xo_mlines *l, const char *path, int64_t start, int64_t end)
{
	if (xo_mlines_open(l, path) != 0)
		return -1;
	if (!l->mapped) {
		int empty = l->size == 0;
		xo_mlines_close(l);
		if (!empty) {
			errno = EINVAL;
			return -1;
		}
		/* An empty file has no lines, and nothing to map. */
		l->mapped = 1;
		l->name = path;
		l->size = 0;
		return start == 0 && end == 0 ? 0 : (errno = EINVAL, -1);
	}
	if (start < 0 || end < start || (size_t)end > l->map_size) {
		xo_mlines_close(l);
		errno = EINVAL;
		return -1;
	}
	/* Line numbers as in the whole file: count the lines before, giving
	 * the pages back as the count goes. */
	for (size_t from = 0; from < (size_t)start; from += RELEASE_STEP) {
		size_t to = (size_t)start - from > RELEASE_STEP ? from + RELEASE_STEP : (size_t)start;
		const char *p = l->map + from, *stop = l->map + to;
		while (p < stop && (p = memchr(p, '\n', (size_t)(stop - p))) != NULL) {
			l->line++;
			p++;
		}
		release_read(l, to);
	}
	l->offset = start;
	l->limit = (size_t)end;
	return 0;
}

int xo_mlines_next(struct xo_mlines *l)
{
	if (!l->mapped) {
		if (xo_input_getline(&l->in) < 0)
			return 0;
		l->buf = l->in.buf;
		l->len = l->in.len;
		l->line = l->in.line;
		l->offset = l->in.offset;
		return 1;
	}
	size_t pos = (size_t)l->offset;
	if (pos >= l->limit)
		return 0;
	release_read(l, pos);
	const char *start = l->map + pos;
	const char *nl = memchr(start, '\n', l->limit - pos);
	size_t len = nl ? (size_t)(nl - start) : l->limit - pos;
	l->offset = (int64_t)(pos + len + (nl ? 1 : 0));
	if (nl && len > 0 && start[len - 1] == '\r')
		len--;
	l->buf = start;
	l->len = len;
	l->line++;
	return 1;
}

void xo_mlines_close(struct xo_mlines *l)
{
	if (l->mapped && l->map)
		munmap((void *)(uintptr_t)l->map, l->map_size);
	else if (l->in.fp)
		xo_input_close(&l->in);
	memset(l, 0, sizeof *l);
}
