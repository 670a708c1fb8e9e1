#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

static int64_t monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t interval_us = 500000;

void xo_progress_init(struct xo_progress *p)
{
	const char *off = getenv("XO_NO_PROGRESS");
	const char *every = getenv("XO_PROGRESS_MS");
	if (every && *every)
		interval_us = atol(every) * 1000;
	p->enabled = isatty(STDERR_FILENO) && !(off && *off);
	p->drawn = 0;
	p->records = 0;
	p->start_us = p->last_us = p->enabled ? monotonic_us() : 0;
}

void xo_progress_tick(struct xo_progress *p, int64_t done, int64_t total)
{
	p->records++;
	if (!p->enabled || ((p->records & 1023) != 0 && interval_us > 0))
		return;
	int64_t now = monotonic_us();
	if (now - p->last_us < interval_us)
		return;
	p->last_us = now;
	double secs = (double)(now - p->start_us) / 1e6;
	double rate = secs > 0 ? (double)p->records / secs : 0;
	fprintf(stderr, "\r%s: %llu records  %.0f/s", xo_progname(), (unsigned long long)p->records, rate);
	if (total > 0 && done > 0 && done <= total) {
		double left = secs * (double)(total - done) / (double)done;
		fprintf(stderr, "  %d%%  ETA %d:%02d", (int)(100.0 * (double)done / (double)total),
			(int)(left / 60), (int)left % 60);
	}
	fputs("\033[K", stderr);
	p->drawn = 1;
}

void xo_progress_done(struct xo_progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
}
