/* out: the standard output of a tool.
 *
 * stdout gets a 64 KiB buffer, or is flushed after every record with
 * --unbuffered. A write error ends the tool: quietly with status 0 when
 * the reader went away (EPIPE, as in `xo-ingest big.csv | head`),
 * otherwise with a message and XO_EXIT_OUTPUT.
 */
#ifndef XO_OUT_H
#define XO_OUT_H

#include <jansson.h>
#include <stdio.h>

/* JSON output flags every tool uses: compact, 15 significant digits. */
#define XO_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

void xo_out_init(int unbuffered);
int xo_out_unbuffered(void);
void xo_out_write(const char *data, size_t len);
void xo_out_puts(const char *s);
void xo_out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One JSON value on one line. */
void xo_out_json(const json_t *value);
/* Marks the end of a record: flushes when unbuffered. */
void xo_out_record_end(void);
/* Flush and check; call before exit. */
void xo_out_finish(void);

/* Serialize value compactly into a buffer owned by the caller's *buf
 * (grown as needed); returns the length, or 0 on failure. No newline. */
size_t xo_json_dump(const json_t *value, char **buf, size_t *cap);
/* Write value and a newline to f; 0 on success, -1 on a write error. */
int xo_json_fwrite(FILE *f, const json_t *value);

#endif
