#include "xidmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "bigmem.h"
#include "diag.h"
#include "mem.h"

static const char MAGIC[8] = { 'x', 'o', '-', 'x', 'i', 'd', 'm', 'p' };
#define VERSION 1
#define BYTE_ORDER_MARK 0x0102030405060708ULL

/* The file: a header, 2^bits + 1 bucket starts (uint32_t, padded to 8
 * bytes), n entries, the texts. */
struct header {
	char magic[8];
	uint32_t version;
	uint32_t bits;
	uint64_t entries;
	uint64_t text_size;
	uint64_t byte_order;
	uint64_t reserved[3];
};

struct entry {
	uint64_t hash, xid;
	uint64_t text;       /* offset of the identifier's text in the texts */
};

static unsigned bits_for(size_t n)
{
	unsigned bits = 0;
	while (bits < 31 && ((size_t)1 << bits) < n)
		bits++;
	return bits;
}

static size_t bucket_of(uint64_t hash, unsigned bits)
{
	return bits ? (size_t)(hash >> (64 - bits)) : 0;
}

static size_t buckets_size(unsigned bits)
{
	size_t bytes = (((size_t)1 << bits) + 1) * sizeof(uint32_t);
	return (bytes + 7) / 8 * 8;
}

static void put(struct xo_afile *f, const void *data, size_t len)
{
	if (len && fwrite(data, 1, len, f->fp) != len)
		xo_die(XO_EXIT_OUTPUT, "%s: write failed: %s", f->path, strerror(errno));
}

/* Entries into bucket order (a counting sort), each bucket by hash. */
static uint32_t *sort_entries(struct xo_xidmap_entry *e, size_t n, unsigned bits)
{
	size_t nb = (size_t)1 << bits;
	uint32_t *start = xo_calloc(nb + 1, sizeof *start);
	for (size_t i = 0; i < n; i++)
		start[bucket_of(e[i].hash, bits) + 1]++;
	for (size_t b = 0; b < nb; b++)
		start[b + 1] += start[b];
	size_t bytes = (n ? n : 1) * sizeof *e;
	struct xo_xidmap_entry *sorted = xo_big_calloc(bytes);
	uint32_t *next = xo_malloc((nb + 1) * sizeof *next);
	memcpy(next, start, (nb + 1) * sizeof *next);
	for (size_t i = 0; i < n; i++)
		sorted[next[bucket_of(e[i].hash, bits)]++] = e[i];
	free(next);
	for (size_t b = 0; b < nb; b++) {
		for (size_t i = start[b] + 1; i < start[b + 1]; i++) {
			struct xo_xidmap_entry x = sorted[i];
			size_t j = i;
			for (; j > start[b] && sorted[j - 1].hash > x.hash; j--)
				sorted[j] = sorted[j - 1];
			sorted[j] = x;
		}
	}
	memcpy(e, sorted, n * sizeof *e);
	xo_big_free(sorted, bytes);
	return start;
}

void xo_xidmap_write(const char *path, struct xo_xidmap_entry *e, size_t n,
		     xo_xidmap_text_fn text, void *ctx)
{
	if (n > UINT32_MAX)
		xo_die(XO_EXIT_INTERNAL, "%s: more identifiers than a map holds", path);
	unsigned bits = bits_for(n);
	uint32_t *start = sort_entries(e, n, bits);
	/* Identifiers are personal data: for xo's eyes only. */
	struct xo_afile *f = xo_afile_open_or_die(path, 0600);
	/* Where each text goes. */
	uint64_t text_size = 0;
	for (size_t i = 0; i < n; i++) {
		const char *kind, *value;
		size_t len;
		text(ctx, e[i].ref, &kind, &value, &len);
		text_size += sizeof(uint32_t) + strlen(kind) + 1 + len;
	}
	struct header h = { .version = VERSION, .bits = bits, .entries = n,
			    .text_size = text_size, .byte_order = BYTE_ORDER_MARK };
	memcpy(h.magic, MAGIC, sizeof h.magic);
	put(f, &h, sizeof h);
	static const char pad[8];
	size_t nb = (size_t)1 << bits;
	put(f, start, (nb + 1) * sizeof *start);
	put(f, pad, buckets_size(bits) - (nb + 1) * sizeof *start);
	free(start);
	uint64_t off = 0;
	for (size_t i = 0; i < n; i++) {
		const char *kind, *value;
		size_t len;
		text(ctx, e[i].ref, &kind, &value, &len);
		struct entry out = { e[i].hash, e[i].xid, off };
		put(f, &out, sizeof out);
		off += sizeof(uint32_t) + strlen(kind) + 1 + len;
	}
	for (size_t i = 0; i < n; i++) {
		const char *kind, *value;
		size_t len;
		text(ctx, e[i].ref, &kind, &value, &len);
		size_t kind_len = strlen(kind);
		if (kind_len + 1 + len > UINT32_MAX)
			xo_die(XO_EXIT_INTERNAL, "%s: an identifier of %zu bytes is too long for a map",
			       path, len);
		uint32_t total = (uint32_t)(kind_len + 1 + len);
		put(f, &total, sizeof total);
		put(f, kind, kind_len + 1);
		put(f, value, len);
	}
	xo_afile_commit_or_die(f);
}

struct xo_xidmap {
	const char *path;
	const unsigned char *map;
	size_t size;
	unsigned bits;
	const uint32_t *buckets;
	const struct entry *entries;
	size_t n;
	const unsigned char *texts;
	uint64_t text_size;
};

static noreturn void not_a_map(const char *path, const char *why)
{
	xo_die(XO_EXIT_USAGE, "%s: not an identifier map of xo-merge --join (%s)", path, why);
}

struct xo_xidmap *xo_xidmap_open(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		xo_die(XO_EXIT_INPUT, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		xo_die(XO_EXIT_USAGE, "%s: a map must be a regular file", path);
	struct header h;
	if ((size_t)st.st_size < sizeof h)
		not_a_map(path, "too short");
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		xo_die(XO_EXIT_INPUT, "%s: %s", path, strerror(errno));
	memcpy(&h, p, sizeof h);
	if (memcmp(h.magic, MAGIC, sizeof h.magic) != 0)
		not_a_map(path, "no map header");
	if (h.byte_order != BYTE_ORDER_MARK)
		not_a_map(path, "made on a machine of another byte order");
	if (h.version != VERSION)
		not_a_map(path, "a version this xo-merge does not know");
	if (h.bits > 31 || h.entries > UINT32_MAX)
		not_a_map(path, "bad header");
	size_t nb = (size_t)1 << h.bits;
	uint64_t want = sizeof h + buckets_size(h.bits) + h.entries * sizeof(struct entry);
	if (want > (uint64_t)st.st_size || h.text_size != (uint64_t)st.st_size - want)
		not_a_map(path, "its size does not match its header");
	struct xo_xidmap *m = xo_calloc(1, sizeof *m);
	m->path = path;
	m->map = p;
	m->size = (size_t)st.st_size;
	m->bits = h.bits;
	m->buckets = (const uint32_t *)(m->map + sizeof h);
	m->entries = (const struct entry *)(m->map + sizeof h + buckets_size(h.bits));
	m->n = (size_t)h.entries;
	m->texts = m->map + want;
	m->text_size = h.text_size;
	/* Lookups trust the bucket index: check it once. */
	if (m->buckets[0] != 0 || m->buckets[nb] != m->n)
		not_a_map(path, "bad bucket index");
	for (size_t b = 0; b < nb; b++)
		if (m->buckets[b] > m->buckets[b + 1])
			not_a_map(path, "bad bucket index");
	return m;
}

/* Whether entry e's text is kind/value. */
static int text_is(const struct xo_xidmap *m, const struct entry *e, const char *kind,
		   size_t kind_len, const char *value, size_t len)
{
	uint32_t total;
	if (e->text > m->text_size || m->text_size - e->text < sizeof total)
		xo_die(XO_EXIT_USAGE, "%s: a damaged map (an entry points past its end)", m->path);
	memcpy(&total, m->texts + e->text, sizeof total);
	if (total > m->text_size - e->text - sizeof total)
		xo_die(XO_EXIT_USAGE, "%s: a damaged map (an entry points past its end)", m->path);
	const unsigned char *t = m->texts + e->text + sizeof total;
	return total == kind_len + 1 + len && memcmp(t, kind, kind_len + 1) == 0 &&
	       memcmp(t + kind_len + 1, value, len) == 0;
}

uint64_t xo_xidmap_get(const struct xo_xidmap *m, uint64_t hash, const char *kind,
		       const char *value, size_t len)
{
	size_t b = bucket_of(hash, m->bits);
	size_t kind_len = strlen(kind);
	for (size_t i = m->buckets[b]; i < m->buckets[b + 1]; i++) {
		const struct entry *e = &m->entries[i];
		if (e->hash == hash && text_is(m, e, kind, kind_len, value, len))
			return e->xid;
		if (e->hash > hash)
			break;
	}
	return 0;
}

size_t xo_xidmap_size(const struct xo_xidmap *m)
{
	return m->n;
}

void xo_xidmap_close(struct xo_xidmap *m)
{
	if (!m)
		return;
	munmap((void *)(uintptr_t)m->map, m->size);
	free(m);
}
