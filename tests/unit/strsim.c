/* lib/strsim: reference values worked out by hand (and checked against
 * the textbook examples of Winkler 1990 and the Soundex rules). */
#include <math.h>

#include "strsim.h"
#include "unit.h"

static int near(double x, double y)
{
	return fabs(x - y) < 0.0005;
}

#define JW(a, b) xo_jaro_winkler(a, strlen(a), b, strlen(b))
#define LEV(a, b, m) xo_levenshtein(a, strlen(a), b, strlen(b), m)
#define OSA(a, b, m) xo_damerau(a, strlen(a), b, strlen(b), m)
#define TOK(a, b) xo_token_set(a, strlen(a), b, strlen(b))

static double jaro(const char *a, const char *b)
{
	uint32_t x[64], y[64];
	size_t n = xo_utf8_decode(a, strlen(a), x, 64), m = xo_utf8_decode(b, strlen(b), y, 64);
	return xo_jaro_cp(x, n, y, m);
}

int main(void)
{
	/* MARTHA/MARHTA: 6 matches, 1 transposition: (1 + 1 + 5/6) / 3. */
	CHECK(near(jaro("martha", "marhta"), 0.9444), "jaro martha/marhta 0.944");
	/* + 3-letter prefix: 0.9444 + 3 * 0.1 * 0.0556 = 0.9611. */
	CHECK(near(JW("martha", "marhta"), 0.9611), "jaro-winkler martha/marhta 0.961");
	/* DWAYNE/DUANE: 4 matches, no transposition: (4/6 + 4/5 + 1) / 3 = 0.8222;
	 * prefix 1: + 0.1 * 0.1778 = 0.84. */
	CHECK(near(JW("dwayne", "duane"), 0.84), "jaro-winkler dwayne/duane 0.84");
	/* DIXON/DICKSONX: 4 matches: (4/5 + 4/8 + 1) / 3 = 0.7667; prefix 2 -> 0.8133. */
	CHECK(near(JW("dixon", "dicksonx"), 0.8133), "jaro-winkler dixon/dicksonx 0.813");
	CHECK(near(JW("", ""), 1.0), "two empty strings are equal");
	CHECK(near(JW("abc", ""), 0.0), "empty against non-empty is 0");
	CHECK(near(JW("abc", "xyz"), 0.0), "nothing in common is 0");
	/* Under 0.7 there is no prefix bonus: "ab"/"ac": 1 match, (1/2+1/2+1)/3. */
	CHECK(near(JW("ab", "ac"), 0.6667), "no prefix bonus under 0.7");
	/* Code points, not bytes: one substitution. */
	CHECK_INT(LEV("müller", "muller", 5), 1, "levenshtein counts code points");
	CHECK(near(JW("müller", "müler"), JW("muller", "muler")), "jaro-winkler on code points");
	CHECK_INT(LEV("kitten", "sitting", 5), 3, "levenshtein kitten/sitting 3");
	CHECK_INT(LEV("kitten", "sitting", 2), 3, "levenshtein stops at max + 1");
	CHECK_INT(LEV("", "abc", 5), 3, "levenshtein from empty");
	CHECK_INT(LEV("abcdefgh", "a", 2), 3, "levenshtein: length gap over max");
	CHECK_INT(LEV("abcd", "acbd", 5), 2, "levenshtein: a transposition is two edits");
	CHECK_INT(OSA("abcd", "acbd", 5), 1, "damerau: a transposition is one edit");
	/* Optimal string alignment: "ca" -> "abc" is 3, not 2. */
	CHECK_INT(OSA("ca", "abc", 5), 3, "damerau is the OSA form");
	CHECK_INT(OSA("19560409", "19650409", 1), 1, "damerau date digits swapped");
	/* Every row over max except through a transposition: "ab" vs "ba" max 0. */
	CHECK_INT(OSA("ab", "ba", 1), 1, "damerau early stop keeps transpositions");
	CHECK_INT(OSA("ab", "ba", 0), 1, "damerau over max 0 is 1");
	/* Long strings go through the heap path. */
	char a[301], b[301];
	memset(a, 'x', 300), a[300] = 0;
	memcpy(b, a, 301), b[150] = 'y';
	CHECK_INT(LEV(a, b, 5), 1, "levenshtein on 300 characters");
	CHECK(near(JW(a, a), 1.0), "jaro-winkler on 300 equal characters");
	/* {anna, maria, rossi} and {rossi, anna}: 2 common of 3. */
	CHECK(near(TOK("anna maria rossi", "rossi, anna"), 0.6667), "token set 2/3");
	CHECK(near(TOK("a a b", "b a"), 1.0), "token set ignores repeats and order");
	CHECK(near(TOK("", " - "), 1.0), "token set of no words");
	CHECK(near(TOK("x", ""), 0.0), "token set against no words");
	char sx[5];
	const char *cases[][2] = {
		{ "Robert", "R163" }, { "Rupert", "R163" }, { "Rubin", "R150" },
		{ "Ashcraft", "A261" }, { "Tymczak", "T522" }, { "Pfister", "P236" },
		{ "Honeyman", "H555" }, { "o'hara", "O600" }, { "123", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xo_soundex(cases[i][0], strlen(cases[i][0]), sx);
		CHECK_STR(sx, cases[i][1], cases[i][0]);
	}
	uint32_t cp[4];
	CHECK_INT(xo_utf8_decode("a\xc3\xa9\xe2\x82\xac", 6, cp, 4), 3, "decode 3 code points");
	CHECK_INT(cp[1], 0xe9, "decode é");
	CHECK_INT(cp[2], 0x20ac, "decode €");
	CHECK_INT(xo_utf8_decode("\xc3", 1, cp, 4), 1, "a truncated sequence is one code point");
	return unit_done();
}
