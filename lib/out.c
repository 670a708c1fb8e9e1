#include "out.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"

#define OUT_BUFFER_SIZE (64 * 1024)

/* Static: stdout may be flushed by exit() after everything is freed. */
static char out_buffer[OUT_BUFFER_SIZE];
static int unbuffered;
static char *dump_buf;
static size_t dump_cap;

static void free_out_buffers(void)
{
	fflush(stdout);
	free(dump_buf);
	dump_buf = NULL;
	dump_cap = 0;
}

void xo_out_init(int want_unbuffered)
{
	/* A closed pipe shows up as EPIPE from write(), handled below. */
	signal(SIGPIPE, SIG_IGN);
	unbuffered = want_unbuffered;
	setvbuf(stdout, out_buffer, _IOFBF, OUT_BUFFER_SIZE);
	atexit(free_out_buffers);
}

int xo_out_unbuffered(void)
{
	return unbuffered;
}

static void write_failed(void)
{
	if (errno == EPIPE) {
		/* The reader has gone: stop quietly, as head(1) expects. */
		xo_exit(XO_EXIT_OK);
	}
	xo_die(XO_EXIT_OUTPUT, "write error on standard output: %s", strerror(errno));
}

void xo_out_write(const char *data, size_t len)
{
	if (len && fwrite(data, 1, len, stdout) != len)
		write_failed();
}

void xo_out_puts(const char *s)
{
	xo_out_write(s, strlen(s));
}

void xo_out_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	if (n < 0)
		write_failed();
}

size_t xo_json_dump(const json_t *value, char **buf, size_t *cap)
{
	size_t need = json_dumpb(value, *buf, *cap, XO_JSON_FLAGS);
	if (need == 0)
		return 0;
	if (need > *cap) {
		*cap = need + need / 2;
		*buf = xo_realloc(*buf, *cap);
		need = json_dumpb(value, *buf, *cap, XO_JSON_FLAGS);
	}
	return need;
}

void xo_out_json(const json_t *value)
{
	size_t len = xo_json_dump(value, &dump_buf, &dump_cap);
	if (len == 0)
		xo_die(XO_EXIT_INTERNAL, "cannot serialize a JSON value");
	xo_out_write(dump_buf, len);
	if (putchar('\n') == EOF)
		write_failed();
	xo_out_record_end();
}

void xo_out_record_end(void)
{
	if (unbuffered && fflush(stdout) != 0)
		write_failed();
}

void xo_out_finish(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		write_failed();
}

int xo_json_fwrite(FILE *f, const json_t *value)
{
	size_t len = xo_json_dump(value, &dump_buf, &dump_cap);
	if (len == 0)
		return -1;
	if (fwrite(dump_buf, 1, len, f) != len || putc('\n', f) == EOF)
		return -1;
	return 0;
}
