/* svg: charts drawn as inline SVG, for pages that must open offline,
 * print as vectors and be read by everyone.
 *
 * Every chart is one <svg class="chart"> element with the id given, a
 * <title> and a <desc> it is labelled by (role="img"), a visible axis
 * title on each axis, and a white background. Series are told apart by
 * colour (the Okabe-Ito palette, safe for colour-blind readers), by dash
 * pattern and by marker shape; emphasized bars by colour and hatching;
 * so a chart printed in grey still reads. Each mark carries a <title>
 * with its exact figures (shown on hover, read by screen readers).
 * Inner ids (patterns) are prefixed with the chart's id, so any number of
 * charts fit in one page. All text from data is escaped (html.h).
 *
 * A value that is not finite (NAN) is "no value": lines break there,
 * bands and bars are not drawn. The caller owns every array; nothing is
 * kept after a call returns.
 */
#ifndef XO_SVG_H
#define XO_SVG_H

#include <stddef.h>

#include "buf.h"

/* Series drawn per line chart; the caller lists the others in a table. */
#define XO_SVG_MAX_SERIES 8

struct xo_svg_frame {
	const char *id;      /* of the svg element: [A-Za-z][A-Za-z0-9_-]* */
	const char *title;   /* <title> */
	const char *desc;    /* <desc>: what the chart shows, in words */
	const char *x_label; /* axis titles */
	const char *y_label;
};

/* One line of a line chart: values at each of the chart's n_x
 * categories, with an optional band from lo to hi (a margin of error). */
struct xo_svg_series {
	const char *name;
	const double *y;
	const double *lo, *hi; /* NULL: no band */
};

struct xo_svg_lines {
	struct xo_svg_frame f;
	const char *const *x;  /* category labels (periods), in order */
	size_t n_x;
	const struct xo_svg_series *series;
	size_t n_series;       /* the first XO_SVG_MAX_SERIES are drawn */
	double y_floor, y_ceil; /* the scale stays within these (NAN: no limit) */
	int digits;            /* decimals of values in labels */
	const char *band_name; /* what a band is, for the legend ("95% margin") */
};

void xo_svg_lines(struct xo_buf *out, const struct xo_svg_lines *c);

/* Horizontal bars, one per category, with the value written at the end. */
struct xo_svg_bar {
	const char *label;
	double value;
	const char *note;   /* written after the value, e.g. "(66.7%)"; or NULL */
	int emphasis;       /* drawn in the second style */
};

struct xo_svg_bars {
	struct xo_svg_frame f;      /* x_label: the value axis; y_label: the categories */
	const struct xo_svg_bar *bars;
	size_t n;
	int digits;
	const char *normal_name;    /* legend of the two styles; NULL: none */
	const char *emphasis_name;
};

void xo_svg_bars(struct xo_buf *out, const struct xo_svg_bars *c);

/* Vertical bars over adjacent intervals edges[i]..edges[i+1]. Bins from
 * the mark on are emphasized, and the mark drawn as a dashed line. */
struct xo_svg_histogram {
	struct xo_svg_frame f;
	const double *edges;   /* n + 1, increasing */
	const double *counts;  /* n */
	size_t n;
	double mark;           /* NAN: none */
	const char *mark_label;
	const char *normal_name, *emphasis_name; /* legend; NULL: none */
};

void xo_svg_histogram(struct xo_buf *out, const struct xo_svg_histogram *c);

/* A reliability diagram: mean predicted probability against the observed
 * rate of each bin, point area in proportion to its records, and the
 * diagonal of perfect calibration. Bins with no records or no observed
 * rate are left out. */
struct xo_svg_calibration {
	struct xo_svg_frame f;
	const double *predicted, *observed, *count;
	size_t n;
};

void xo_svg_calibration(struct xo_buf *out, const struct xo_svg_calibration *c);

/* The end of an svg start tag that labels it for assistive technology:
 * ' id="ID" role="img" aria-labelledby="ID-title ID-desc">' and the
 * <title> and <desc> elements (all text escaped). */
void xo_svg_labels(struct xo_buf *out, const char *id, const char *title, const char *desc);

/* Ticks for an axis over [lo, hi]: about target steps of 1, 2 or 5 times
 * a power of ten; *first and *last widen the range to whole steps.
 * Returns the step. */
double xo_svg_ticks(double lo, double hi, int target, double *first, double *last);

#endif
