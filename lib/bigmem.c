#include "bigmem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "diag.h"
#include "mem.h"

/* Below this, the ordinary allocator; at or above, anonymous mappings
 * with a hint for huge pages (ignored where unsupported). */
#define BIG (4u << 20)

void *xo_big_calloc(size_t size)
{
	if (size < BIG)
		return xo_calloc(1, size);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		xo_die(XO_EXIT_INTERNAL, "out of memory");
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE);
#endif
	return p;
}

void xo_big_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size < BIG)
		free(p);
	else
		munmap(p, size);
}

void *xo_big_realloc(void *p, size_t old_size, size_t new_size)
{
	if (old_size < BIG && new_size < BIG) {
		void *q = xo_realloc(p, new_size);
		if (new_size > old_size)
			memset((char *)q + old_size, 0, new_size - old_size);
		return q;
	}
	void *q = xo_big_calloc(new_size);
	if (p)
		memcpy(q, p, old_size < new_size ? old_size : new_size);
	xo_big_free(p, old_size);
	return q;
}
