/* linkspec: the linkage spec file of probabilistic linking (its syntax
 * is xo-linkage(5)): the fields taken from each record and how they are
 * cleaned, the blocking rules that choose candidate pairs, the field
 * comparisons with their levels, and the model's settings.
 *
 * A struct xo_linkspec owns everything in it; xo_linkspec_free()
 * releases it.
 */
#ifndef XO_LINKSPEC_H
#define XO_LINKSPEC_H

#include <stddef.h>

#include "buf.h"
#include "jpath.h"
#include "profile.h"
#include "rx.h"
#include "xtime.h"

enum xo_lfield_type {
	XO_LFIELD_TEXT,
	XO_LFIELD_DATE,   /* compared as days since the epoch as well as text */
	XO_LFIELD_NUMBER, /* compared as a number as well as text */
};

/* Cleaning steps, applied in this order after trimming. */
enum xo_lclean {
	XO_CLEAN_KEEP_CASE = 1, /* default: lower case (ASCII and Latin-1 letters) */
	XO_CLEAN_ASCII = 2,     /* fold accented Latin letters: "é" -> "e" */
	XO_CLEAN_ALNUM = 4,     /* keep letters, digits and blanks */
	XO_CLEAN_DIGITS = 8,    /* keep digits only */
	XO_CLEAN_NOSPACE = 16,  /* drop blanks */
};

struct xo_lfield {
	char *name;
	struct xo_path *path;
	enum xo_lfield_type type;
	unsigned clean;
	struct xo_timefmt date_format; /* XO_LFIELD_DATE */
	char *date_pattern;            /* owned storage of the pattern */
	struct xo_rx *extract;         /* keep only what this matches (group 1 if any) */
};

enum xo_lkey_fn {
	XO_LKEY_VALUE,   /* the cleaned value */
	XO_LKEY_PREFIX,  /* its first n characters */
	XO_LKEY_SUFFIX,  /* its last n characters */
	XO_LKEY_SOUNDEX, /* the Soundex code */
	XO_LKEY_YEAR,    /* a date's year */
	XO_LKEY_MONTH,   /* a date's year and month */
};

struct xo_lkey {
	enum xo_lkey_fn fn;
	int field;
	int n;
};

/* A blocking rule: a pair is a candidate when every key is equal and
 * not empty on both sides. */
struct xo_lrule {
	struct xo_lkey *keys;
	size_t n_keys;
	char *text;      /* as written, for messages and the report */
	long line;
};

enum xo_lmethod {
	XO_LM_EXACT,
	XO_LM_JARO,      /* similarity >= t */
	XO_LM_JW,        /* Jaro-Winkler similarity >= t */
	XO_LM_LEV,       /* Levenshtein distance <= t */
	XO_LM_DL,        /* Damerau-Levenshtein (OSA) distance <= t */
	XO_LM_TOKENS,    /* token-set (Jaccard) similarity >= t */
	XO_LM_NUM,       /* |a - b| <= t (number fields) */
	XO_LM_NUMREL,    /* |a - b| <= t * max(|a|, |b|) */
	XO_LM_DAYS,      /* dates at most t days apart */
	XO_LM_YEARS,     /* dates at most t years (365.25 days) apart */
	XO_LM_SWAP,      /* a.field = b.other and a.other = b.field */
	XO_LM_SAME,      /* a.other = b.other (a coarser form of the field) */
	XO_LM_ELSE,      /* everything else (the last level, always present) */
};

struct xo_llevel {
	enum xo_lmethod method;
	double t;
	int other;       /* XO_LM_SWAP, XO_LM_SAME: the other field */
	int tf;          /* XO_LM_EXACT: term-frequency adjusted */
	double m, u;     /* given probabilities, or -1 */
	char *label;     /* "exact", "jw>=0.92", ... */
};

/* A comparison of one field: its levels are tried in order and the first
 * that holds is the pair's level. A record without the field gives the
 * null level, which is neutral (weight 0). */
struct xo_lcompare {
	char *name;
	int field;
	struct xo_llevel *levels; /* the last is XO_LM_ELSE */
	size_t n_levels;
	long line;
};

struct xo_linkspec {
	char *path;
	struct xo_lfield *fields;
	size_t n_fields;
	struct xo_lcompare *compares;
	size_t n_compares;
	struct xo_lrule *blocks;
	size_t n_blocks;
	struct xo_lrule *train;  /* EM training rules; none: the blocking rules */
	size_t n_train;
	double threshold;        /* link when the match probability >= this */
	double prior;            /* probability two random records match; -1: estimate */
	int em;                  /* estimate m by EM (1) or take it from the spec (0) */
	unsigned long sample;    /* random pairs for estimating u */
	unsigned long max_block; /* records in one block beyond which it is skipped */
	unsigned em_iterations;
	double em_tolerance;
	int one_to_one;          /* --link: each record links at most one of the other side */
	struct xo_traits traits; /* "trait" lines, for --profiles */
};

#define XO_LINKSPEC_MAX_COMPARES 16
#define XO_LINKSPEC_MAX_LEVELS 15

/* Read and check a spec file; dies with XO_EXIT_USAGE and "FILE:LINE:
 * reason" on an error, XO_EXIT_INPUT when it cannot be read. */
struct xo_linkspec *xo_linkspec_load(const char *path);
/* The same from text (for tests); NULL with "LINE: reason" in why. */
struct xo_linkspec *xo_linkspec_parse(const char *name, const char *text, size_t len,
				      struct xo_buf *why);
void xo_linkspec_free(struct xo_linkspec *s);

/* Clean a raw value of field f into out (reset first): the extract
 * pattern first (no match: empty), then the cleaning steps. 0, or -1
 * when the extract pattern hit its match limit (out is then empty). */
int xo_lfield_clean(const struct xo_lfield *f, const char *raw, size_t len, struct xo_buf *out);

#endif
