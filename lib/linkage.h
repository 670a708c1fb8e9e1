/* linkage: probabilistic record linkage with a Fellegi-Sunter model,
 * the way Splink and fastLink do it.
 *
 * Records are the spec's fields of some events. Candidate pairs are the
 * pairs that agree on every key of at least one blocking rule (each pair
 * once, however many rules it meets); in link mode only pairs of records
 * from different sides. Each candidate's comparison vector (one level per
 * comparison) gives a match weight: the log2 prior odds plus, for each
 * comparison, log2(m/u) of its level, where m and u are the chances of
 * that level among matches and among non-matches. u is estimated from
 * random pairs (nearly all non-matches), m by expectation-maximisation
 * over the pairs of each training rule with the comparisons that rule
 * forces to agree left out, and the prior from what each EM session
 * finds; any of them may be given in the spec instead. Term-frequency
 * adjusted exact levels weigh an agreement on a rare value more than one
 * on a common value. Pairs whose match probability reaches the
 * threshold are links.
 *
 * Deterministic: the random pairs come from a fixed seed, and every
 * result is independent of the order records were added in, but for
 * the record numbers themselves.
 */
#ifndef XO_LINKAGE_H
#define XO_LINKAGE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "linkspec.h"

struct xo_linkage;

/* link_mode: records have a side (0 or 1) and only pairs across sides
 * are compared. */
struct xo_linkage *xo_linkage_new(const struct xo_linkspec *spec, int link_mode);
void xo_linkage_free(struct xo_linkage *lk);

/* Add the record of an event; group: records of the same group with the
 * same values are one record (pass 0 to never merge). Returns the
 * record number, or -1 when the event has none of the spec's fields. */
long xo_linkage_add_event(struct xo_linkage *lk, const json_t *event, int side, uint64_t group);
/* Add a record from cleaned values (values[i] for field i; NULL or ""
 * when absent), as xo_linkage_value() gives them back. */
long xo_linkage_add_values(struct xo_linkage *lk, const char *const *values, int side,
			   uint64_t group);
size_t xo_linkage_records(const struct xo_linkage *lk);
/* Record r's cleaned value of field f ("" when absent), owned by lk. */
const char *xo_linkage_value(const struct xo_linkage *lk, size_t r, size_t f);
int xo_linkage_side(const struct xo_linkage *lk, size_t r);
/* The group record r was added with. */
uint64_t xo_linkage_group(const struct xo_linkage *lk, size_t r);

/* One link. levels[c] is comparison c's level (XO_LEVEL_NULL when a
 * side lacks the field), weights[c] its contribution in bits. */
#define XO_LEVEL_NULL 0xff
struct xo_link {
	size_t a, b;
	double weight;       /* match weight in bits, prior included */
	double p;            /* match probability */
	const uint8_t *levels;
	const double *weights;
};

typedef void (*xo_link_fn)(void *ctx, const struct xo_link *link);

struct xo_linkage_stats {
	uint64_t records, candidates, links, sample_pairs;
	uint64_t skipped_blocks, skipped_records; /* blocks over max-block */
	uint64_t rx_limits;  /* values left empty: an extract pattern hit its match limit */
	double prior;
};

/* Find the links; fn is called for each, in order of (a, b). */
void xo_linkage_run(struct xo_linkage *lk, xo_link_fn fn, void *ctx,
		    struct xo_linkage_stats *stats);

/* The fitted model: {"prior":..,"threshold":..,"comparisons":{NAME:
 * [{"level":..,"m":..,"u":..,"weight":..}]}}, new reference. */
json_t *xo_linkage_model(const struct xo_linkage *lk);
/* A link's evidence: {NAME:{"level":..,"weight":..}}, new reference. */
json_t *xo_linkage_evidence(const struct xo_linkage *lk, const struct xo_link *link);

#endif
