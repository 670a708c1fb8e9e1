/* pseudo: keyed pseudonyms for personal identifiers (--hash-ids), the
 * same in every xo tool for the same key, so outputs can be shared and
 * still joined.
 *
 * pseudonym = "h:" + the first 20 hex digits of
 *             HMAC-SHA-256(key, kind + ":" + normalized value)
 *
 * The key is read from the file named by --hash-key-file or by the
 * environment variable XO_HASH_KEY_FILE, or taken from XO_HASH_KEY; never
 * from a command-line argument, where other users could read it (ps).
 * It must be at least 16 bytes; a key file readable by group or others is
 * refused.
 */
#ifndef XO_PSEUDO_H
#define XO_PSEUDO_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"

#define XO_PSEUDO_PREFIX "h:"
#define XO_PSEUDO_HEX 20
/* The pseudonym of every placeholder value (idnorm.h: "noreply@...",
 * "+390000000000", ...): they stand for no one, must never link two
 * customers, and xo-merge must still tell them once hashed. */
#define XO_PSEUDO_PLACEHOLDER "h:00000000000000000000"

struct xo_pseudo;

/* key_file NULL: from the environment. NULL with the reason in err. */
struct xo_pseudo *xo_pseudo_open(const char *key_file, struct xo_buf *err);
/* Append the keyed hash of kind:value to out, "h:" and 20 hex digits. */
void xo_pseudo_of(const struct xo_pseudo *p, const char *kind, const char *value, size_t len,
		  struct xo_buf *out);
/* Append the pseudonym of a normalized value: XO_PSEUDO_PLACEHOLDER for
 * a built-in placeholder, else xo_pseudo_of(). */
void xo_pseudo_value(const struct xo_pseudo *p, const char *kind, const char *value, size_t len,
		     struct xo_buf *out);
void xo_pseudo_free(struct xo_pseudo *p);

/* ---- for the tools after xo-ingest (--hash-ids in each) ---- */

/* 1 when s[0..len) is a pseudonym already: "h:" and 20 lower-case hex
 * digits. Such values are never hashed again, so a tool may pseudonymize
 * what an earlier one did. */
int xo_pseudo_is(const char *s, size_t len);
/* Append the pseudonym of an identifier as an event holds it: value is
 * normalized as xo-merge compares identifiers (idnorm.h; a value from
 * xo-ingest is unchanged by it), so the pseudonym is the one xo-ingest
 * --hash-ids gives the same raw value (xo_pseudo_value). A pseudonym is
 * appended as it is. */
void xo_pseudo_id(const struct xo_pseudo *p, const char *kind, const char *value, size_t len,
		  struct xo_buf *out);
/* Pseudonymize the identifiers of a record in place: the members of its
 * "ids" object (events: {"email":"..."}; golden profiles: {"email":
 * [{"value":"...",...}]}), and so those of "profile.ids" too. Numbers
 * become strings; other values are left alone. rec may be NULL. */
void xo_pseudo_record(const struct xo_pseudo *p, json_t *rec);

/* The key of a tool's --hash-ids [--hash-key-file FILE], or NULL when
 * hash_ids is 0. Dies with XO_EXIT_USAGE (nothing written yet) when
 * --hash-key-file comes without --hash-ids or the key cannot be had. */
struct xo_cli;
struct xo_pseudo *xo_pseudo_for_cli(const struct xo_cli *cli, int hash_ids, const char *key_file);

#endif
