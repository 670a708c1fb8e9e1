/* strsim: how alike two strings are, for probabilistic record linkage.
 *
 * Strings are compared as Unicode code points, so "Müller" and "Muller"
 * differ by one edit, not two. Callers that compare the same values many
 * times decode them once with xo_utf8_decode() and use the _cp forms;
 * the plain forms take UTF-8 (invalid bytes count as one code point
 * each). Nothing here allocates for strings of up to XO_STRSIM_STACK
 * code points; longer ones are allocated and freed inside the call.
 */
#ifndef XO_STRSIM_H
#define XO_STRSIM_H

#include <stddef.h>
#include <stdint.h>

#define XO_STRSIM_STACK 128

/* Decode UTF-8 s[0..len) into out[0..max); returns the number of code
 * points (which may exceed max: then only max were stored). */
size_t xo_utf8_decode(const char *s, size_t len, uint32_t *out, size_t max);

/* Jaro similarity, 0 (nothing alike) to 1 (equal). Two empty strings are
 * equal. */
double xo_jaro_cp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen);
/* Jaro-Winkler: Jaro raised for a common prefix of up to 4 code points
 * (scale 0.1), when the Jaro similarity is above 0.7 (Winkler's rule). */
double xo_jaro_winkler_cp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen);
/* Levenshtein distance (insertions, deletions, substitutions). Stops
 * early and returns max + 1 once the distance must exceed max. */
size_t xo_levenshtein_cp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen,
			 size_t max);
/* Damerau-Levenshtein in its optimal string alignment form: also counts
 * the transposition of two adjacent code points as one edit. Same early
 * stop as above. */
size_t xo_damerau_cp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen,
		     size_t max);

double xo_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);
size_t xo_levenshtein(const char *a, size_t alen, const char *b, size_t blen, size_t max);
size_t xo_damerau(const char *a, size_t alen, const char *b, size_t blen, size_t max);

/* Jaccard similarity of the sets of words (runs of characters other
 * than blanks and punctuation) of a and b: |A and B| / |A or B|. Word
 * order and repeats do not matter. 1 when both have no words. */
double xo_token_set(const char *a, size_t alen, const char *b, size_t blen);

/* American Soundex code of the ASCII letters of s ("Robert" -> "R163"),
 * for blocking keys; out gets "" when s has no letter. */
void xo_soundex(const char *s, size_t len, char out[5]);

#endif
