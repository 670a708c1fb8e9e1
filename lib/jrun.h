/* jrun: events in, one journey per customer out.
 *
 * Two ways of reading (xo-journey(1)):
 *  - any order: every event is held (a struct xo_event each, in input
 *    order), customers numbered by first appearance; at the end each
 *    customer's events are gathered (a counting sort), ordered and
 *    built. Memory grows with the events held.
 *  - sorted (grouped by xid): a customer's events are held until the
 *    xid changes, then built and forgotten. Memory is bounded by the
 *    largest customer. A customer seen again after another one is
 *    reported: exactly while the xids come in byte order or for the
 *    first 4096 customers, else through
 *    a 16 MiB Bloom filter for the first XO_JRUN_CHECKED customers
 *    (about one false alarm in 170 runs at that many), after which the
 *    check stops, with a warning.
 * Journeys go to the emit callback in order: first appearance, or input
 * order when sorted.
 */
#ifndef XO_JRUN_H
#define XO_JRUN_H

#include <stdint.h>

#include "bloom.h"
#include "evstore.h"
#include "journey.h"

#define XO_JRUN_CHECKED 2000000

struct xo_jrun {
	struct xo_evstore *store;     /* not owned */
	struct xo_jbuilder *builder;  /* not owned */
	int sorted;
	void (*emit)(const struct xo_journey *j, void *ctx);
	void *ctx;
	/* Results. */
	uint64_t customers;
	uint64_t regrouped;   /* sorted: customers whose events came back */
	uint64_t events;      /* events used */
};

/* Read all input and emit every journey. */
void xo_jrun(struct xo_jrun *r);

#endif
