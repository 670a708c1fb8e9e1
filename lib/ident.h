/* ident: normalization of customer identifiers, so that the same
 * person's e-mail or phone number is written the same way in every
 * export.
 *
 *   email   " Anna.Rossi@Example.IT " -> "anna.rossi@example.it"
 *           "Anna <anna@x.it>", "mailto:anna@x.it" -> "anna@x.it"
 *   phone   "347 123 4567" (default country IT) -> "+393471234567"
 *           "+44 (0)20 7946 0958" -> "+442079460958"
 *   handle  "@Anna_R" -> "anna_r"
 *   device  trimmed, lower-cased
 *   others  trimmed
 *
 * Each function appends the normalized form to out and returns 0, or
 * returns -1 with *why a static reason and out unchanged.
 */
#ifndef XO_IDENT_H
#define XO_IDENT_H

#include <stddef.h>

#include "buf.h"

/* The empty string and the usual "no value" tokens: "-", "n/a", "na",
 * "null", "none", "nil", "#n/a", "unknown", "not provided", "?" (any
 * case, blanks around ignored). */
int xo_is_null_token(const char *s, size_t len);

int xo_email_normalize(const char *s, size_t len, struct xo_buf *out, const char **why);
/* country: ISO 3166 alpha-2 code ("IT") used for numbers written without
 * an international prefix; NULL when there is none. */
int xo_phone_normalize(const char *s, size_t len, const char *country,
		       struct xo_buf *out, const char **why);
/* 1 when the phone module knows the country code. */
int xo_phone_country_known(const char *country);
int xo_handle_normalize(const char *s, size_t len, struct xo_buf *out, const char **why);
/* Any kind: dispatches on kind ("email", "phone", "handle", "device";
 * anything else is trimmed). */
int xo_ident_normalize(const char *kind, const char *s, size_t len, const char *country,
		       struct xo_buf *out, const char **why);

#endif
