/* progress: a live count on stderr for long runs, only on a terminal.
 *
 * "xo-ingest: 1,234,567 records  412,000/s  37%  ETA 0:12" redrawn at
 * most twice a second; nothing at all when stderr is not a terminal or
 * XO_NO_PROGRESS is set, so logs and pipes stay clean.
 */
#ifndef XO_PROGRESS_H
#define XO_PROGRESS_H

#include <stdint.h>

struct xo_progress {
	int enabled;
	int drawn;
	int64_t start_us, last_us;
	uint64_t records;
};

void xo_progress_init(struct xo_progress *p);
/* Count one record; bytes done/total (total -1 when unknown) give the ETA. */
void xo_progress_tick(struct xo_progress *p, int64_t done_bytes, int64_t total_bytes);
/* Erase the line. */
void xo_progress_done(struct xo_progress *p);

#endif
