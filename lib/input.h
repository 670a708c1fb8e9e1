/* input: a file (or "-" for stdin) read a line at a time.
 *
 * Lines may be of any length and may hold NUL bytes; the length returned
 * is the truth. The trailing "\n" (and a "\r" before it) is removed. The
 * struct owns its buffer and the FILE; xo_input_close() releases both.
 */
#ifndef XO_INPUT_H
#define XO_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct xo_input {
	FILE *fp;
	const char *path;     /* as given; "-" is stdin */
	const char *name;     /* for messages: the path, or "(stdin)" */
	long line;            /* number of the line last returned */
	char *buf;            /* the line last returned */
	size_t len;           /* its length */
	size_t cap;
	int had_cr;           /* the last line ended in "\r\n" */
	int64_t size;         /* bytes in the file, -1 when unknown */
	int64_t offset;       /* bytes consumed so far */
	int borrowed;         /* fp belongs to the caller */
	int soft_errors;      /* set after opening: a read error ends the
			       * input (getline gives -1) with its errno in
			       * error, instead of ending the tool */
	int error;
};

/* 0 on success; on failure -1 with errno set (nothing printed). */
int xo_input_open(struct xo_input *in, const char *path);
/* Length of the next line, -1 at end of input. A read error ends the
 * tool with XO_EXIT_INPUT and a message naming the file (unless
 * soft_errors is set). */
ssize_t xo_input_getline(struct xo_input *in);
/* Like xo_input_getline but keeps the line terminator. */
ssize_t xo_input_getline_raw(struct xo_input *in);
void xo_input_close(struct xo_input *in);

/* Read an open stream (not closed by xo_input_close) under name. */
void xo_input_open_fp(struct xo_input *in, FILE *fp, const char *name);
/* Open path or die with XO_EXIT_INPUT and "PATH: reason". */
void xo_input_open_or_die(struct xo_input *in, const char *path);

#endif
