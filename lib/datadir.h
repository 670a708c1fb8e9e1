/* datadir: where the data files xo tools read at run time live
 * (xo-score's lexicons and topic lists).
 *
 * A relative name such as "lexicons/en.lex" is looked up, in order, in
 *   $XO_DATADIR
 *   BIN/../share/xo        (the layout `make install` makes)
 *   BIN/../../lib/share, BIN/../../../lib/share  (a source tree's build/bin
 *                          and build/NAME/bin)
 * where BIN is the directory of the running program.
 */
#ifndef XO_DATADIR_H
#define XO_DATADIR_H

#include "buf.h"

/* The path of the first existing file (the caller frees it), or NULL
 * with the places tried listed in tried (when not NULL). */
char *xo_datadir_find(const char *rel, struct xo_buf *tried);

#endif
