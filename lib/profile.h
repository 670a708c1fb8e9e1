/* profile: golden customer profiles, built from events by accumulators
 * that can be merged (so that customers that merge, or a state that
 * keeps them between runs, give the same profile as one run over all
 * the events).
 *
 * An accumulator (struct xo_acc) holds, for the events it has seen: the
 * count, first and last "ts", counts per channel, type and source, each
 * cx measure's latest value and mean, each identifier's count, first and
 * last sighting, and for each trait the candidate values the trait's
 * survivorship rule chooses from:
 *     recent     the value of the latest event carrying one
 *     frequent   the value seen in most events (ties: the latest)
 *     first      the value of the earliest event carrying one
 *     priority   the value from the first source in the trait's list
 *                that has one (ties: the latest); sources not listed
 *                come after all listed ones
 * Empty values (absent, null, "") are never candidates.
 *
 * A struct xo_profiles owns its accumulators, keyed by a 64-bit owner
 * chosen by the caller (a customer's xid, or a node), and its strings.
 */
#ifndef XO_PROFILE_H
#define XO_PROFILE_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "idgraph.h"
#include "jpath.h"
#include "xtime.h"

enum xo_trait_rule {
	XO_TRAIT_RECENT,
	XO_TRAIT_FREQUENT,
	XO_TRAIT_FIRST,
	XO_TRAIT_PRIORITY,
};

struct xo_trait {
	char *name;
	struct xo_path *path;
	enum xo_trait_rule rule;
	char **sources;        /* XO_TRAIT_PRIORITY: in order of priority */
	size_t n_sources;
};

struct xo_traits {
	struct xo_trait *list;
	size_t n, cap;
};

/* Parse "NAME=PATH[:RULE]" where RULE is recent, frequent, first or
 * priority=SRC,SRC,... (default recent). 0, or -1 with a reason in why. */
int xo_traits_add(struct xo_traits *t, const char *spec, struct xo_buf *why);
void xo_traits_free(struct xo_traits *t);

struct xo_profiles;

/* g names the identifier nodes accumulators refer to; neither is owned. */
struct xo_profiles *xo_profiles_new(const struct xo_traits *traits, const struct xo_idg *g);
void xo_profiles_free(struct xo_profiles *p);

/* Count one event for owner: event is the parsed event, ts its time,
 * nodes[0..n) its identifier nodes. */
void xo_profiles_add(struct xo_profiles *p, uint64_t owner, const json_t *event, xo_time_t ts,
		     const xo_node *nodes, size_t n);

/* What a profile takes from an event besides its time and identifiers,
 * taken out ahead: xo-merge's split runs carry it from the process that
 * reads the event to the one that builds the profiles. Strings are not
 * NUL-terminated and point into the event or the caller's memory. */
struct xo_profile_str {
	const char *s;            /* NULL: none */
	size_t len;
};

struct xo_profile_cx {
	struct xo_profile_str name;
	double value;
};

struct xo_profile_in {
	struct xo_profile_str channel, type, source; /* "" unless a string */
	struct xo_profile_cx *cx;      /* the cx members that are numbers, in order */
	size_t n_cx, cap_cx;
	struct xo_profile_str *traits; /* per trait: its value as JSON text, or none */
	size_t n_traits, cap_traits;
	struct xo_buf text;            /* the trait texts xo_profile_in_read made */
};

/* Take the parts of event that the traits t and a profile read; they
 * stay valid while event and in do. */
void xo_profile_in_read(struct xo_profile_in *in, const struct xo_traits *t, const json_t *event);
void xo_profile_in_free(struct xo_profile_in *in);
/* xo_profiles_add() from parts taken ahead (in->n_traits must be the
 * number of traits of p). */
void xo_profiles_add_in(struct xo_profiles *p, uint64_t owner, const struct xo_profile_in *in,
			xo_time_t ts, const xo_node *nodes, size_t n);
int xo_profiles_has(const struct xo_profiles *p, uint64_t owner);
/* Every owner, in no particular order; the caller frees the array. */
uint64_t *xo_profiles_owners(const struct xo_profiles *p, size_t *n);

/* An accumulator as JSON text, for a state file (appended to out), and
 * back: folded into owner. Identifiers are written as kind and value and
 * interned in the graph when read back (the graph must not be const
 * then: see xo_profiles_load). -1 on text that is not an accumulator. */
void xo_profiles_save(const struct xo_profiles *p, uint64_t owner, struct xo_buf *out);
int xo_profiles_load(struct xo_profiles *p, struct xo_idg *g, uint64_t owner,
		     const char *text, size_t len);

/* The golden profile of the customer whose events owners[0..n) hold,
 * as a new JSON object:
 * {"xid","first_seen","last_seen","events","ids":{KIND:[{"value",
 * "events","first_seen","last_seen"}]},"traits":{},"channels":{},
 * "types":{},"sources":{},"cx":{MEASURE:{"latest","latest_ts","mean",
 * "n"}}}. Owners without an accumulator are skipped; NULL when none
 * has one. */
json_t *xo_profiles_json(const struct xo_profiles *p, const uint64_t *owners, size_t n,
			 const char *xid);

/* Identifiers that link belong to one customer: with this set, a
 * profile lists such an identifier only when node_xid says it is the
 * profile's (an event may carry another customer's identifier, after a
 * split for instance). node_xid[0..n) is not owned. */
void xo_profiles_set_owners(struct xo_profiles *p, const uint64_t *node_xid, size_t n);

#endif
