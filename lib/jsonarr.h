/* jsonarr: the elements of a top-level JSON array read one at a time,
 * so a file holding "[{...},{...},...]" of any size is read in bounded
 * memory (bounded by its largest element).
 */
#ifndef XO_JSONARR_H
#define XO_JSONARR_H

#include <jansson.h>

#include "buf.h"
#include "input.h"

struct xo_jsonarr {
	struct xo_input *in;
	struct xo_buf elem;  /* text of the element last read */
	long line;           /* its first line */
	long cur_line;
	int state;
};

enum xo_jsonarr_status {
	XO_JSONARR_EOF = 0,
	XO_JSONARR_OBJECT = 1,
	XO_JSONARR_BAD = -1,   /* this element is bad; reading can go on */
	XO_JSONARR_BROKEN = -2 /* the array itself is broken; stop reading */
};

void xo_jsonarr_open(struct xo_jsonarr *a, struct xo_input *in);
/* On OBJECT *obj is a new reference; on BAD/BROKEN why says why and
 * a->elem holds the text concerned. */
enum xo_jsonarr_status xo_jsonarr_next(struct xo_jsonarr *a, json_t **obj, struct xo_buf *why);
void xo_jsonarr_close(struct xo_jsonarr *a);

#endif
