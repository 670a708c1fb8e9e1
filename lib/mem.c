#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static void *checked(void *ptr)
{
	if (ptr == NULL)
		xo_die(XO_EXIT_INTERNAL, "out of memory");
	return ptr;
}

void *xo_malloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *xo_calloc(size_t count, size_t size)
{
	return checked(calloc(count ? count : 1, size ? size : 1));
}

void *xo_realloc(void *ptr, size_t size)
{
	return checked(realloc(ptr, size ? size : 1));
}

void *xo_grow(void *array, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return array;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			xo_die(XO_EXIT_INTERNAL, "out of memory");
		n *= 2;
	}
	*cap = n;
	return xo_realloc(array, n * elem);
}

char *xo_strdup(const char *s)
{
	return xo_strndup(s, strlen(s));
}

char *xo_strndup(const char *s, size_t n)
{
	char *copy = xo_malloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}
