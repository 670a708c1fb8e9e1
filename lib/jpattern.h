/* jpattern: patterns over journeys.
 *
 * A patterns file (xo-journey(1), PATTERNS FILE) names patterns for
 * --pattern, episode kinds and funnels for reuse. Patterns are PCRE2
 * (through rx.h, so with match and depth limits) matched against a
 * journey's token stream: its steps' tokens joined by single spaces
 * (xo-journey(5), MATCH RECORDS). Everything here owns what it holds.
 */
#ifndef XO_JPATTERN_H
#define XO_JPATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "journey.h"
#include "jsonw.h"
#include "rx.h"

#define XO_FUNNEL_MAX_STEPS 32

struct xo_jpattern {
	char *name;
	struct xo_rx *rx;
};

struct xo_jfunnel {
	char *name;
	char *steps[XO_FUNNEL_MAX_STEPS];        /* as written */
	struct xo_rx *rx[XO_FUNNEL_MAX_STEPS];   /* anchored on a whole token */
	size_t n_steps;
	xo_time_t window;
};

struct xo_jpatterns {
	struct xo_jpattern *pats;
	size_t n_pats, cap_pats;
	struct xo_jfunnel *funnels;
	size_t n_funnels, cap_funnels;
};

/* Compile a user's pattern or die with XO_EXIT_USAGE naming where it came
 * from ("--match", or FILE:LINE). whole_token: anchored at both ends. */
struct xo_rx *xo_jpattern_compile(const char *re, int whole_token, const char *where,
				  long line);

/* Read a patterns file; its episode kinds go into cfg. Dies with
 * XO_EXIT_USAGE (FILE:LINE: reason) or XO_EXIT_INPUT. */
void xo_jpatterns_load(struct xo_jpatterns *p, const char *path, struct xo_jconfig *cfg);
/* Add a pattern (takes rx). */
void xo_jpatterns_add(struct xo_jpatterns *p, const char *name, struct xo_rx *rx);
const struct xo_jpattern *xo_jpatterns_find(const struct xo_jpatterns *p, const char *name);
/* The patterns to match, in command-line order: args[i] is a pattern's
 * name (is_name[i]) or a regex, added as a pattern named by itself. An
 * array the caller frees, or NULL with the unknown name in *missing
 * (names are looked up among the patterns held before the call only).
 * Dies with XO_EXIT_USAGE on a bad regex. */
const struct xo_jpattern **xo_jpatterns_select(struct xo_jpatterns *p,
					       const char *const *args,
					       const char *is_name, size_t n,
					       const char **missing);
/* A funnel "A,B,C" from the command line, or the file's funnel of that
 * name; dies with a usage error when neither. */
struct xo_jfunnel *xo_jpatterns_funnel(struct xo_jpatterns *p, const char *spec,
					     xo_time_t window);
void xo_jpatterns_free(struct xo_jpatterns *p);

/* Matching. */
struct xo_jmatch {
	const struct xo_jpattern *pat;
	uint32_t first, last;   /* step indices */
};

struct xo_jmatcher {
	struct xo_buf subject;
	size_t *starts;          /* byte offset of each step's token */
	size_t cap_starts;
	struct xo_jmatch *m;
	size_t n, cap_m;
	uint64_t limits;         /* customers for which a pattern hit a limit */
};

/* Every match of pats[0..n) in j, pattern by pattern, left to right,
 * without overlaps. */
void xo_jmatch_run(struct xo_jmatcher *m, const struct xo_jpattern *const *pats, size_t n,
		   const struct xo_journey *j, const struct xo_intern *names);
/* Match m as JSON members (no braces): [xid,] pattern, first, last,
 * start, end, tokens. */
void xo_jmatch_members(struct xo_jw *w, const struct xo_jmatch *m, const struct xo_journey *j,
		       const struct xo_intern *names, int with_xid);
void xo_jmatch_tsv_header(struct xo_buf *out);
void xo_jmatch_tsv(struct xo_buf *out, const struct xo_jmatch *m, const struct xo_journey *j,
		   const struct xo_intern *names);
void xo_jmatcher_free(struct xo_jmatcher *m);

#endif
