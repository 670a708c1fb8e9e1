/* jscan: JSON objects checked and read in place, without building a tree.
 *
 * For tools that read millions of events but use a few members of each:
 * xo_jscan_object() checks that a line is exactly one JSON object (the
 * grammar of RFC 8259, strings valid UTF-8 without lone surrogates,
 * nesting at most 2048 deep, as jansson) and lists its top-level members
 * as spans of the line. Nothing is copied: the spans point into the
 * caller's text and are valid as long as it is. The other functions read
 * values inside a checked object.
 */
#ifndef XO_JSCAN_H
#define XO_JSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "jpath.h"

enum xo_jtype {
	XO_J_NONE = 0,
	XO_J_OBJECT,
	XO_J_ARRAY,
	XO_J_STRING,
	XO_J_NUMBER,
	XO_J_TRUE,
	XO_J_FALSE,
	XO_J_NULL,
};

/* A value: for a string, the text between the quotes as written (escaped
 * is set when it holds a backslash); otherwise the value's whole text. */
struct xo_jval {
	const char *p;
	size_t len;
	enum xo_jtype type;
	int escaped;
};

struct xo_jmember {
	struct xo_jval key; /* always XO_J_STRING */
	struct xo_jval val;
};

/* The members found by xo_jscan_object; the caller owns the array and
 * reuses it from line to line (free items with free()). */
struct xo_jmembers {
	struct xo_jmember *items;
	size_t n, cap;
};

/* 0 when text[0..len) (blanks around allowed) is one JSON object, its
 * members in m; -1 otherwise, with a static reason in *why and the
 * 1-based byte column in *column. */
int xo_jscan_object(const char *text, size_t len, struct xo_jmembers *m,
		    const char **why, size_t *column);

/* ---- an index of every value ----
 *
 * For readers that look up many nested members of each line: one pass
 * checks the line and lists every value as a node, with its key, its
 * first child and its next sibling, so lookups never read the text
 * again. Nodes hold offsets into the text, so the text may be copied
 * elsewhere with its index; they are small (records are read in
 * batches), so an indexed text is shorter than 4 GiB. Node 0 is the
 * object itself; 0 as a first child or next sibling means none. */
struct xo_jnode {
	uint32_t key_off, key_len;   /* the key between its quotes (members) */
	uint32_t off, len;           /* the value, as in struct xo_jval */
	uint32_t first, next;
	unsigned char type;          /* enum xo_jtype */
	unsigned char key_escaped, escaped;
};

/* The caller owns nodes and reuses the struct from line to line (free
 * nodes with free()). */
struct xo_jindex {
	struct xo_jnode *nodes;
	size_t n, cap;
};

/* Check text as xo_jscan_object() does and index it: 0, or -1 with why
 * and column as there (a text of 4 GiB or more is refused). strict: refuse also what jansson refuses when
 * lib/ndjson.h loads a record (duplicate keys in any object, keys
 * holding U+0000, integers outside int64_t, reals beyond a double), so
 * that an object accepted here is one jansson accepts, with the same
 * values: a tool may read it in place and still behave as if jansson
 * had read it. A refused line may still be one jansson accepts; ask it
 * for the verdict and the message. */
int xo_jscan_index(const char *text, size_t len, int strict, struct xo_jindex *ix,
		   const char **why, size_t *column);
/* A node's value and key as spans of text. */
struct xo_jval xo_jnode_val(const char *text, const struct xo_jnode *n);
struct xo_jval xo_jnode_key(const char *text, const struct xo_jnode *n);
/* The member name of object node (the last of duplicates), or 0. */
size_t xo_jindex_get(const char *text, const struct xo_jindex *ix, size_t node,
		     const char *name, size_t len);
/* The string member name of object node, decoded into out (reset
 * first): 1, or 0 with out empty when there is none or it is not a
 * string. */
int xo_jindex_string(const char *text, const struct xo_jindex *ix, size_t node,
		     const char *name, size_t len, struct xo_buf *out);
/* Item index of array node (negative: from the end), or 0. */
size_t xo_jindex_at(const struct xo_jindex *ix, size_t node, long index);

/* 1 when key (raw or escaped) spells name[0..len). */
int xo_jscan_key_is(const struct xo_jval *key, const char *name, size_t len);
/* The member of a checked object value named name: 0 and *out, or -1. */
int xo_jscan_get(const struct xo_jval *obj, const char *name, size_t len,
		 struct xo_jval *out);
/* Walk the items of a checked array: *pos starts at 0; 1 while there
 * is an item, 0 at the end. */
int xo_jscan_next_item(const struct xo_jval *arr, size_t *pos, struct xo_jval *item);
/* Element index of a checked array value (negative: from the end). */
int xo_jscan_at(const struct xo_jval *arr, long index, struct xo_jval *out);
/* Walk the members of a checked object: *pos starts at 0; 1 while there
 * is a member, 0 at the end. */
int xo_jscan_next(const struct xo_jval *obj, size_t *pos, struct xo_jval *key,
		  struct xo_jval *val);
/* The value at path p among top-level members m; 0, or -1 when absent. */
int xo_jscan_path(const struct xo_jmembers *m, const struct xo_path *p,
		  struct xo_jval *out);

/* Append a string value's decoded text to out. */
void xo_jscan_string(const struct xo_jval *v, struct xo_buf *out);
/* A number value as a double (locale-independent); 0, or -1 when it is
 * not a number or out of the range of a double. */
int xo_jscan_number(const struct xo_jval *v, double *out);
/* Append a value as text: strings decoded, anything else as written
 * (the jpath xo_json_text rule: null gives nothing). */
void xo_jscan_text(const struct xo_jval *v, struct xo_buf *out);

#endif
