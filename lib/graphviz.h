/* graphviz: a DOT graph drawn by Graphviz dot(1) as SVG, made fit to sit
 * inside an HTML page.
 *
 * dot runs as a helper (lib/spawn.h) with a time limit; its SVG is then
 * filtered: the XML prolog, doctype and comments go; only drawing
 * elements are kept (svg, g, title, desc, path, polygon, polyline,
 * ellipse, circle, rect, line, text, tspan, defs, gradients, stop,
 * clipPath); links (<a>) are unwrapped; any other element is dropped
 * with its content (script, foreignObject, image, style, ...); event
 * handlers, href attributes and url() references to anything but the
 * drawing's own ids are removed; every id gets a prefix so it is unique
 * in the page. The result is well nested whatever dot wrote.
 */
#ifndef XO_GRAPHVIZ_H
#define XO_GRAPHVIZ_H

#include <stddef.h>

#include "buf.h"

enum xo_dot_status {
	XO_DOT_OK = 0,
	XO_DOT_MISSING = 1, /* the dot program is not installed */
	XO_DOT_FAILED = 2,  /* it ran and failed; why says how, with its messages */
};

struct xo_dot_opts {
	const char *program;  /* "dot", or a path */
	int timeout_ms;
	const char *id;       /* id of the svg element, and prefix of inner ids */
	const char *title;    /* <title> and <desc> added for assistive technology */
	const char *desc;
};

/* Draw the DOT file at path; the filtered SVG is appended to svg. */
enum xo_dot_status xo_dot_svg(const struct xo_dot_opts *o, const char *path,
			      struct xo_buf *svg, struct xo_buf *why);

/* The filter alone: SVG text in, the svg element as described above out
 * (nothing when there is no <svg> element). */
void xo_svg_sanitize(struct xo_buf *out, const char *svg, size_t len,
		     const struct xo_dot_opts *o);

#endif
