/* mlines: the lines of an input, read in place from a memory mapping
 * when the input is a regular file (no copy, no per-line call into the
 * C library: a pass over gigabytes of events costs what the scan of its
 * bytes costs), else through xo_input (standard input, pipes). Pages
 * already read are given back as the reading goes, so a mapped file of
 * any size costs a few megabytes of memory.
 *
 * A line returned excludes its "\n" (and a "\r" before it); it is NOT
 * NUL-terminated when mapped, so use buf and len together. It stays
 * valid until the next call. The struct owns the mapping or the input.
 */
#ifndef XO_MLINES_H
#define XO_MLINES_H

#include <stdint.h>
#include <stdio.h>

#include "input.h"

struct xo_mlines {
	const char *name;  /* for messages: the path, or "(stdin)" */
	const char *buf;   /* the line last returned */
	size_t len;
	long line;         /* its number */
	int64_t offset;    /* bytes consumed so far */
	int64_t size;      /* bytes in a regular file, -1 when unknown */
	/* Mapped: */
	const char *map;
	size_t map_size;
	size_t limit;      /* reading stops here (map_size, or a range's end) */
	size_t released;   /* bytes before this were given back */
	int mapped;
	/* Otherwise: */
	struct xo_input in;
};

/* Open path ("-": standard input); 0, or -1 with errno set. */
int xo_mlines_open(struct xo_mlines *l, const char *path);
/* Only the lines of the regular file path that start in [start, end)
 * (start at a line start, end at one or at the end of the file), their
 * numbers counted from the file's first line; 0, or -1 with errno set
 * (EINVAL: not a regular file). */
int xo_mlines_open_range(struct xo_mlines *l, const char *path, int64_t start, int64_t end);
/* Read the lines of fp (which it then owns and closes), named name. */
void xo_mlines_open_fp(struct xo_mlines *l, FILE *fp, const char *name);
/* 1 and the next line, or 0 at the end. A read error ends the tool
 * with XO_EXIT_INPUT. */
int xo_mlines_next(struct xo_mlines *l);
void xo_mlines_close(struct xo_mlines *l);

#endif
