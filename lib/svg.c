#include "svg.h"

#include <math.h>
#include <string.h>

#include "html.h"

/* Okabe-Ito, without its yellow (too light for lines on white). The first
 * five have a contrast of at least 3:1 with white (WCAG's level for
 * graphics: 5.2, 3.9, 3.4, 3.1, 21); the last two (2.3) serve only from
 * the sixth series on, always with their own dash and marker. Text is
 * never drawn in them. */
static const char *const palette[] = {
	"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9",
};
#define N_PALETTE (sizeof palette / sizeof palette[0])
static const char *const dashes[] = { "", "7 4", "2 3", "9 3 2 3" };
#define N_DASHES (sizeof dashes / sizeof dashes[0])

#define TEXT "#1a1a1a"
#define MUTED "#4d4d4d"
#define GRID "#d9d9d9"
#define AXIS "#4d4d4d"
#define NORMAL_FILL "#0072B2"
#define EMPHASIS_FILL "#D55E00"
#define FONT "system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif"

/* Room for axis titles and ticks. */
enum { FONT_PX = 12, TICK_PX = 11 };

struct plot {
	double left, top, width, height; /* the plotting area */
	double x0, x1, y0, y1;           /* data ranges on the axes */
};

static double px_x(const struct plot *p, double v)
{
	return p->left + (v - p->x0) / (p->x1 - p->x0) * p->width;
}

static double px_y(const struct plot *p, double v)
{
	return p->top + p->height - (v - p->y0) / (p->y1 - p->y0) * p->height;
}

/* Width of text at size px, estimated: 0.58 em a character. */
static double text_width(const char *s, double px)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		chars += (*p & 0xc0) != 0x80;
	return (double)chars * px * 0.58;
}

/* At most max characters of s (UTF-8 aware), with an ellipsis when cut. */
static void shorten(struct xo_buf *out, const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
			break;
	}
	xo_html_text(out, s, i);
	if (s[i])
		xo_buf_adds(out, "\xe2\x80\xa6");
}

/* Byte offset of character number k of s (or its length). */
static size_t char_offset(const char *s, size_t k)
{
	size_t i = 0, chars = 0;
	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == k)
			break;
	return i;
}

/* At most max characters of s, cut in the middle when longer, so that
 * long labels sharing a beginning (paths) still differ:
 * "web:web.pageview > … > phone:call.complaint". */
static void shorten_middle(struct xo_buf *out, const char *s, size_t max)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		chars += (*p & 0xc0) != 0x80;
	if (chars <= max) {
		xo_html_str(out, s);
		return;
	}
	size_t head = (max - 1) / 2, tail = max - 1 - head;
	xo_html_text(out, s, char_offset(s, head));
	xo_buf_adds(out, "\xe2\x80\xa6");
	xo_html_str(out, s + char_offset(s, chars - tail));
}

double xo_svg_ticks(double lo, double hi, int target, double *first, double *last)
{
	if (!(hi > lo)) {
		double pad = lo == 0 ? 1 : fabs(lo) * 0.1;
		lo -= pad;
		hi += pad;
	}
	double raw = (hi - lo) / (target > 0 ? target : 5);
	double mag = pow(10, floor(log10(raw)));
	double norm = raw / mag;
	double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	*first = floor(lo / step + 1e-9) * step;
	*last = ceil(hi / step - 1e-9) * step;
	return step;
}

static void num(struct xo_buf *out, double v)
{
	xo_buf_printf(out, "%.1f", v);
}

void xo_svg_labels(struct xo_buf *out, const char *id, const char *title, const char *desc)
{
	xo_buf_adds(out, " id=\"");
	xo_html_str(out, id);
	xo_buf_adds(out, "\" role=\"img\" aria-labelledby=\"");
	xo_html_str(out, id);
	xo_buf_adds(out, "-title ");
	xo_html_str(out, id);
	xo_buf_adds(out, "-desc\">\n<title id=\"");
	xo_html_str(out, id);
	xo_buf_adds(out, "-title\">");
	xo_html_str(out, title);
	xo_buf_adds(out, "</title>\n<desc id=\"");
	xo_html_str(out, id);
	xo_buf_adds(out, "-desc\">");
	xo_html_str(out, desc);
	xo_buf_adds(out, "</desc>\n");
}

static void open_svg(struct xo_buf *out, const struct xo_svg_frame *f, double w, double h)
{
	xo_buf_printf(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
		      "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
		      "font-family=\"%s\" font-size=\"%d\" fill=\"" TEXT "\"", w, h, w, h, FONT, FONT_PX);
	xo_svg_labels(out, f->id, f->title, f->desc);
	xo_buf_printf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", w, h);
}

static void close_svg(struct xo_buf *out)
{
	xo_buf_adds(out, "</svg>\n");
}

/* A text element; s is data. */
static void text_at(struct xo_buf *out, double x, double y, const char *anchor,
		    const char *extra, const char *s)
{
	xo_buf_adds(out, "<text x=\"");
	num(out, x);
	xo_buf_adds(out, "\" y=\"");
	num(out, y);
	xo_buf_printf(out, "\" text-anchor=\"%s\"%s%s>", anchor, extra ? " " : "", extra ? extra : "");
	xo_html_str(out, s);
	xo_buf_adds(out, "</text>\n");
}

static void line(struct xo_buf *out, double x1, double y1, double x2, double y2,
		 const char *stroke, double width, const char *dash)
{
	xo_buf_adds(out, "<line x1=\"");
	num(out, x1);
	xo_buf_adds(out, "\" y1=\"");
	num(out, y1);
	xo_buf_adds(out, "\" x2=\"");
	num(out, x2);
	xo_buf_adds(out, "\" y2=\"");
	num(out, y2);
	xo_buf_printf(out, "\" stroke=\"%s\" stroke-width=\"%.2g\"", stroke, width);
	if (dash && *dash)
		xo_buf_printf(out, " stroke-dasharray=\"%s\"", dash);
	xo_buf_adds(out, "/>\n");
}

/* The axis titles: x centred below the plot, y turned along the left. */
static void axis_titles(struct xo_buf *out, const struct xo_svg_frame *f,
			const struct plot *p, double bottom_y)
{
	if (f->x_label)
		text_at(out, p->left + p->width / 2, bottom_y, "middle", "font-weight=\"600\"",
			f->x_label);
	if (f->y_label) {
		double cx = 14, cy = p->top + p->height / 2;
		xo_buf_printf(out, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
			      "text-anchor=\"middle\" font-weight=\"600\">", cx, cy);
		xo_html_str(out, f->y_label);
		xo_buf_adds(out, "</text>\n");
	}
}

/* Horizontal grid lines and labels of the y axis. */
static void y_axis(struct xo_buf *out, const struct plot *p, double step, int digits)
{
	for (double v = p->y0; v <= p->y1 + step * 1e-6; v += step) {
		double y = px_y(p, v);
		int zero = fabs(v) < step * 1e-6;
		line(out, p->left, y, p->left + p->width, y, zero ? AXIS : GRID, zero ? 1.2 : 1, NULL);
		struct xo_buf t = XO_BUF_INIT;
		xo_html_num(&t, zero ? 0 : v, digits, "");
		xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"%d\" "
			      "fill=\"" MUTED "\">%s</text>\n", p->left - 6, y + 4, TICK_PX, xo_buf_str(&t));
		xo_buf_free(&t);
	}
	line(out, p->left, p->top, p->left, p->top + p->height, AXIS, 1, NULL);
}

/* Vertical grid lines and labels of a numeric x axis. */
static void x_axis(struct xo_buf *out, const struct plot *p, double step, int digits)
{
	double base = p->top + p->height;
	for (double v = p->x0; v <= p->x1 + step * 1e-6; v += step) {
		double x = px_x(p, v);
		int zero = fabs(v) < step * 1e-6;
		line(out, x, p->top, x, base, zero ? AXIS : GRID, zero ? 1.2 : 1, NULL);
		struct xo_buf t = XO_BUF_INIT;
		xo_html_num(&t, zero ? 0 : v, digits, "");
		xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%d\" "
			      "fill=\"" MUTED "\">%s</text>\n", x, base + 16, TICK_PX, xo_buf_str(&t));
		xo_buf_free(&t);
	}
	line(out, p->left, base, p->left + p->width, base, AXIS, 1, NULL);
}

/* Decimals that tell ticks step apart. */
static int step_digits(double step)
{
	int d = 0;
	while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6)
		d++;
	return d;
}

/* Marker shape k centred at x, y. */
static void marker(struct xo_buf *out, unsigned k, double x, double y, const char *colour)
{
	switch (k % 4) {
	case 0:
		xo_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"", x, y, colour);
		break;
	case 1:
		xo_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7.5\" height=\"7.5\" fill=\"%s\"",
			      x - 3.75, y - 3.75, colour);
		break;
	case 2:
		xo_buf_printf(out, "<path d=\"M%.1f %.1fl4.6 8h-9.2z\" fill=\"%s\"", x, y - 5.3, colour);
		break;
	default:
		xo_buf_printf(out, "<path d=\"M%.1f %.1fl5 5l-5 5l-5-5z\" fill=\"%s\"", x, y - 5, colour);
	}
	xo_buf_adds(out, " stroke=\"#fff\" stroke-width=\"1\">");
}

static void marker_end(struct xo_buf *out, unsigned k)
{
	xo_buf_adds(out, k % 4 == 0 ? "</circle>\n" : k % 4 == 1 ? "</rect>\n" : "</path>\n");
}

/* ---- line chart ---- */

static int finite_band(const struct xo_svg_series *s, size_t i)
{
	return s->lo && s->hi && isfinite(s->lo[i]) && isfinite(s->hi[i]);
}

static void series_range(const struct xo_svg_lines *c, size_t n_series, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t k = 0; k < n_series; k++) {
		const struct xo_svg_series *s = &c->series[k];
		for (size_t i = 0; i < c->n_x; i++) {
			double v[3] = { s->y[i], s->lo ? s->lo[i] : NAN, s->hi ? s->hi[i] : NAN };
			for (int j = 0; j < 3; j++) {
				if (!isfinite(v[j]))
					continue;
				*lo = fmin(*lo, v[j]);
				*hi = fmax(*hi, v[j]);
			}
		}
	}
	if (!isfinite(*lo)) {
		*lo = 0;
		*hi = 1;
	}
	if (isfinite(c->y_floor))
		*lo = fmax(*lo, c->y_floor);
	if (isfinite(c->y_ceil))
		*hi = fmin(*hi, c->y_ceil);
	if (*hi < *lo)
		*hi = *lo;
}

static double clamp_y(const struct plot *p, double v)
{
	return fmin(fmax(v, p->y0), p->y1);
}

static double cat_x(const struct plot *p, size_t n, size_t i)
{
	return p->left + ((double)i + 0.5) * p->width / (double)n;
}

/* The band of a series: one polygon per run of points with a band; a
 * run of one point is drawn as an error bar. */
static void draw_band(struct xo_buf *out, const struct plot *p, const struct xo_svg_lines *c,
		      const struct xo_svg_series *s, const char *colour)
{
	size_t i = 0;
	while (i < c->n_x) {
		if (!finite_band(s, i)) {
			i++;
			continue;
		}
		size_t j = i;
		while (j + 1 < c->n_x && finite_band(s, j + 1))
			j++;
		if (i == j) {
			double x = cat_x(p, c->n_x, i);
			double y1 = px_y(p, clamp_y(p, s->lo[i])), y2 = px_y(p, clamp_y(p, s->hi[i]));
			line(out, x, y1, x, y2, colour, 1.5, NULL);
			line(out, x - 5, y1, x + 5, y1, colour, 1.5, NULL);
			line(out, x - 5, y2, x + 5, y2, colour, 1.5, NULL);
		} else {
			xo_buf_printf(out, "<path fill=\"%s\" fill-opacity=\"0.12\" stroke=\"%s\" "
				      "stroke-opacity=\"0.6\" stroke-width=\"0.8\" d=\"", colour, colour);
			for (size_t k = i; k <= j; k++)
				xo_buf_printf(out, "%c%.1f %.1f", k == i ? 'M' : 'L', cat_x(p, c->n_x, k),
					      px_y(p, clamp_y(p, s->hi[k])));
			for (size_t k = j + 1; k-- > i;)
				xo_buf_printf(out, "L%.1f %.1f", cat_x(p, c->n_x, k),
					      px_y(p, clamp_y(p, s->lo[k])));
			xo_buf_adds(out, "Z\"/>\n");
		}
		i = j + 1;
	}
}

static void draw_series(struct xo_buf *out, const struct plot *p, const struct xo_svg_lines *c,
			size_t k, int label_points)
{
	const struct xo_svg_series *s = &c->series[k];
	const char *colour = palette[k % N_PALETTE];
	const char *dash = dashes[k % N_DASHES];
	xo_buf_adds(out, "<g class=\"series\">\n");
	draw_band(out, p, c, s, colour);
	xo_buf_printf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2.2\"", colour);
	if (*dash)
		xo_buf_printf(out, " stroke-dasharray=\"%s\"", dash);
	xo_buf_adds(out, " d=\"");
	int pen = 0;
	for (size_t i = 0; i < c->n_x; i++) {
		if (!isfinite(s->y[i])) {
			pen = 0;
			continue;
		}
		xo_buf_printf(out, "%c%.1f %.1f", pen ? 'L' : 'M', cat_x(p, c->n_x, i),
			      px_y(p, clamp_y(p, s->y[i])));
		pen = 1;
	}
	xo_buf_adds(out, "\"/>\n");
	for (size_t i = 0; i < c->n_x; i++) {
		if (!isfinite(s->y[i]))
			continue;
		double x = cat_x(p, c->n_x, i), y = px_y(p, clamp_y(p, s->y[i]));
		marker(out, (unsigned)k, x, y, colour);
		xo_buf_adds(out, "<title>");
		xo_html_str(out, s->name);
		xo_buf_adds(out, ", ");
		xo_html_str(out, c->x[i]);
		xo_buf_adds(out, ": ");
		xo_html_num(out, s->y[i], c->digits, "n/a");
		if (finite_band(s, i)) {
			xo_buf_adds(out, " (");
			xo_html_num(out, s->lo[i], c->digits, "");
			xo_buf_adds(out, " to ");
			xo_html_num(out, s->hi[i], c->digits, "");
			xo_buf_adds(out, ")");
		}
		xo_buf_adds(out, "</title>");
		marker_end(out, (unsigned)k);
		if (label_points) {
			struct xo_buf t = XO_BUF_INIT;
			xo_html_num(&t, s->y[i], c->digits, "");
			xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\" "
				      "font-size=\"%d\" font-weight=\"600\" stroke=\"#fff\" "
				      "stroke-width=\"3\" paint-order=\"stroke\">%s</text>\n",
				      x + 6, y - 7, TICK_PX, xo_buf_str(&t));
			xo_buf_free(&t);
		}
	}
	xo_buf_adds(out, "</g>\n");
}

/* Category labels under the plot, thinned out so they never overlap. */
static void category_axis(struct xo_buf *out, const struct plot *p, const char *const *x, size_t n)
{
	double widest = 1;
	for (size_t i = 0; i < n; i++)
		widest = fmax(widest, text_width(x[i], TICK_PX));
	size_t fit = (size_t)(p->width / (widest + 10));
	size_t stride = fit == 0 ? n : (n + fit - 1) / fit;
	if (stride == 0)
		stride = 1;
	double base = p->top + p->height;
	line(out, p->left, base, p->left + p->width, base, AXIS, 1, NULL);
	for (size_t i = 0; i < n; i += stride) {
		double cx = cat_x(p, n, i);
		line(out, cx, base, cx, base + 4, AXIS, 1, NULL);
		xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%d\" "
			      "fill=\"" MUTED "\">", cx, base + 17, TICK_PX);
		shorten(out, x[i], 24);
		xo_buf_adds(out, "</text>\n");
	}
}

static void legend_entry_line(struct xo_buf *out, double x, double y, size_t k, const char *name)
{
	const char *colour = palette[k % N_PALETTE];
	line(out, x, y, x + 30, y, colour, 2.2, dashes[k % N_DASHES]);
	marker(out, (unsigned)k, x + 15, y, colour);
	marker_end(out, (unsigned)k);
	xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", x + 36, y + 4);
	shorten(out, name, 16);
	xo_buf_adds(out, "</text>\n");
}

void xo_svg_lines(struct xo_buf *out, const struct xo_svg_lines *c)
{
	size_t n_series = c->n_series < XO_SVG_MAX_SERIES ? c->n_series : XO_SVG_MAX_SERIES;
	const double w = 760, h = 330;
	struct plot p = { 62, 24, w - 62 - 170, h - 24 - 62, 0, 1, 0, 1 };
	double lo, hi;
	series_range(c, n_series, &lo, &hi);
	double step = xo_svg_ticks(lo, hi, 5, &p.y0, &p.y1);
	if (isfinite(c->y_floor) && p.y0 < c->y_floor)
		p.y0 = c->y_floor;
	if (isfinite(c->y_ceil) && p.y1 > c->y_ceil)
		p.y1 = c->y_ceil;
	if (!(p.y1 > p.y0))
		p.y1 = p.y0 + step;

	open_svg(out, &c->f, w, h);
	y_axis(out, &p, step, step_digits(step));
	category_axis(out, &p, c->x, c->n_x);
	axis_titles(out, &c->f, &p, h - 8);
	int label_points = n_series == 1 && c->n_x <= 16;
	for (size_t k = 0; k < n_series; k++)
		draw_series(out, &p, c, k, label_points);

	double lx = p.left + p.width + 18, ly = p.top + 6;
	for (size_t k = 0; k < n_series; k++, ly += 20)
		legend_entry_line(out, lx, ly, k, c->series[k].name);
	if (c->band_name) {
		xo_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"30\" height=\"12\" fill=\"%s\" "
			      "fill-opacity=\"0.12\" stroke=\"%s\" stroke-opacity=\"0.6\"/>\n",
			      lx, ly - 6, palette[0], palette[0]);
		xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", lx + 36, ly + 4);
		shorten(out, c->band_name, 16);
		xo_buf_adds(out, "</text>\n");
	}
	close_svg(out);
}

/* ---- bars ---- */

/* The hatching of emphasized marks: white diagonal lines over the fill. */
static void hatch_defs(struct xo_buf *out, const char *id)
{
	xo_buf_adds(out, "<defs><pattern id=\"");
	xo_html_str(out, id);
	xo_buf_adds(out, "-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
		    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\""
		    EMPHASIS_FILL "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fff\" "
		    "stroke-width=\"2\"/></pattern></defs>\n");
}

static void bar_fill(struct xo_buf *out, const char *id, int emphasis)
{
	if (!emphasis) {
		xo_buf_adds(out, "fill=\"" NORMAL_FILL "\"");
		return;
	}
	xo_buf_adds(out, "fill=\"url(#");
	xo_html_str(out, id);
	xo_buf_adds(out, "-hatch)\"");
}

static void legend_two(struct xo_buf *out, const char *id, double x, double y,
		       const char *normal, const char *emphasis)
{
	const char *names[2] = { normal, emphasis };
	for (int k = 0; k < 2; k++) {
		if (!names[k])
			continue;
		xo_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" ", x, y - 10);
		bar_fill(out, id, k);
		xo_buf_adds(out, "/>");
		text_at(out, x + 19, y, "start", NULL, names[k]);
		x += 19 + text_width(names[k], FONT_PX) + 24;
	}
}

static void bar_value_text(struct xo_buf *out, const struct xo_svg_bar *b, int digits)
{
	xo_html_num(out, b->value, digits, "n/a");
	if (b->note) {
		xo_buf_addc(out, ' ');
		xo_html_str(out, b->note);
	}
}

static double bars_label_width(const struct xo_svg_bars *c)
{
	double widest = 40;
	for (size_t i = 0; i < c->n; i++)
		widest = fmax(widest, text_width(c->bars[i].label ? c->bars[i].label : "", FONT_PX));
	return fmin(widest, 44 * FONT_PX * 0.58);
}

static void draw_bar(struct xo_buf *out, const struct xo_svg_bars *c, const struct plot *p,
		     size_t i, double row)
{
	const struct xo_svg_bar *b = &c->bars[i];
	double y = p->top + (double)i * row;
	xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", p->left - 8,
		      y + row / 2 + 4);
	shorten_middle(out, b->label ? b->label : "", 44);
	xo_buf_adds(out, "<title>");
	xo_html_str(out, b->label);
	xo_buf_adds(out, "</title></text>\n");
	if (!isfinite(b->value))
		return;
	double x0 = px_x(p, 0), x1 = px_x(p, b->value);
	double left = fmin(x0, x1), width = fmax(fabs(x1 - x0), b->value != 0 ? 1 : 0);
	xo_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" ", left,
		      y + row * 0.18, width, row * 0.64);
	bar_fill(out, c->f.id, b->emphasis);
	xo_buf_adds(out, "><title>");
	xo_html_str(out, b->label);
	xo_buf_adds(out, ": ");
	bar_value_text(out, b, c->digits);
	xo_buf_adds(out, "</title></rect>\n");
	int right = b->value >= 0;
	xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">",
		      right ? x1 + 5 : x1 - 5, y + row / 2 + 4, right ? "start" : "end", TICK_PX);
	bar_value_text(out, b, c->digits);
	xo_buf_adds(out, "</text>\n");
}

void xo_svg_bars(struct xo_buf *out, const struct xo_svg_bars *c)
{
	const double w = 760, row = 24;
	int legend = c->normal_name || c->emphasis_name;
	double top = legend ? 34 : 12;
	double label_w = bars_label_width(c);
	double h = top + row * (double)(c->n ? c->n : 1) + 56;
	struct plot p = { label_w + 16 + (c->f.y_label ? 18 : 0), top, 0, row * (double)(c->n ? c->n : 1),
			  0, 1, 0, 1 };
	p.width = w - p.left - 120;
	double lo = 0, hi = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (isfinite(c->bars[i].value)) {
			lo = fmin(lo, c->bars[i].value);
			hi = fmax(hi, c->bars[i].value);
		}
	}
	if (hi == lo)
		hi = lo + 1;
	double step = xo_svg_ticks(lo, hi, 5, &p.x0, &p.x1);
	if (c->digits == 0 && step < 1) /* counts: whole ticks */
		step = xo_svg_ticks(lo, fmax(hi, lo + 5), 5, &p.x0, &p.x1);
	if (lo < 0) /* room on the left for the labels of negative bars */
		p.left += 70, p.width -= 70;

	open_svg(out, &c->f, w, h);
	hatch_defs(out, c->f.id);
	if (legend)
		legend_two(out, c->f.id, p.left, 16, c->normal_name, c->emphasis_name);
	x_axis(out, &p, step, step_digits(step));
	for (size_t i = 0; i < c->n; i++)
		draw_bar(out, c, &p, i, row);
	if (c->f.x_label)
		text_at(out, p.left + p.width / 2, h - 10, "middle", "font-weight=\"600\"", c->f.x_label);
	if (c->f.y_label) {
		xo_buf_printf(out, "<text transform=\"translate(14 %.1f) rotate(-90)\" "
			      "text-anchor=\"middle\" font-weight=\"600\">", p.top + p.height / 2);
		xo_html_str(out, c->f.y_label);
		xo_buf_adds(out, "</text>\n");
	}
	close_svg(out);
}

/* ---- histogram ---- */

static void histogram_bar(struct xo_buf *out, const struct xo_svg_histogram *c,
			  const struct plot *p, size_t i, int emphasis)
{
	double x0 = px_x(p, c->edges[i]), x1 = px_x(p, c->edges[i + 1]);
	double y = px_y(p, c->counts[i]), base = p->top + p->height;
	xo_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" stroke=\"#fff\" ",
		      x0, y, fmax(x1 - x0, 1), base - y);
	bar_fill(out, c->f.id, emphasis);
	xo_buf_adds(out, "><title>");
	xo_html_num(out, c->edges[i], 4, "");
	xo_buf_adds(out, " to ");
	xo_html_num(out, c->edges[i + 1], 4, "");
	xo_buf_adds(out, ": ");
	xo_html_num(out, c->counts[i], 0, "");
	xo_buf_adds(out, "</title></rect>\n");
	if (c->n <= 24) {
		struct xo_buf t = XO_BUF_INIT;
		xo_html_num(&t, c->counts[i], 0, "");
		xo_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%d\">%s</text>\n",
			      (x0 + x1) / 2, y - 4, TICK_PX, xo_buf_str(&t));
		xo_buf_free(&t);
	}
}

void xo_svg_histogram(struct xo_buf *out, const struct xo_svg_histogram *c)
{
	const double w = 760, h = 320;
	int legend = c->normal_name || c->emphasis_name;
	struct plot p = { 62, legend ? 40 : 20, w - 62 - 30, 0, 0, 1, 0, 1 };
	p.height = h - p.top - 56;
	double hi = 1;
	for (size_t i = 0; i < c->n; i++)
		hi = fmax(hi, c->counts[i]);
	double ystep = xo_svg_ticks(0, hi * 1.08, 5, &p.y0, &p.y1);
	if (ystep < 1) {
		ystep = 1;
		p.y1 = ceil(p.y1);
	}
	p.x0 = c->edges[0];
	p.x1 = c->edges[c->n];
	if (!(p.x1 > p.x0))
		p.x1 = p.x0 + 1;

	open_svg(out, &c->f, w, h);
	hatch_defs(out, c->f.id);
	if (legend)
		legend_two(out, c->f.id, p.left, 18, c->normal_name, c->emphasis_name);
	y_axis(out, &p, ystep, 0);
	double xstep = c->n <= 20 ? (p.x1 - p.x0) / (double)c->n : 0;
	if (xstep <= 0) {
		double a, b;
		xstep = xo_svg_ticks(p.x0, p.x1, 10, &a, &b);
	}
	x_axis(out, &p, xstep, step_digits(xstep));
	for (size_t i = 0; i < c->n; i++)
		histogram_bar(out, c, &p, i, isfinite(c->mark) && c->edges[i] >= c->mark - 1e-12);
	if (isfinite(c->mark) && c->mark >= p.x0 && c->mark <= p.x1) {
		double x = px_x(&p, c->mark);
		line(out, x, p.top - 4, x, p.top + p.height, TEXT, 1.5, "6 3");
		if (c->mark_label)
			text_at(out, x - 4, p.top + 10, "end", "font-size=\"11\"", c->mark_label);
	}
	axis_titles(out, &c->f, &p, h - 8);
	close_svg(out);
}

/* ---- calibration ---- */

static void calibration_points(struct xo_buf *out, const struct xo_svg_calibration *c,
			       const struct plot *p)
{
	double max_n = 1;
	for (size_t i = 0; i < c->n; i++)
		if (isfinite(c->count[i]))
			max_n = fmax(max_n, c->count[i]);
	xo_buf_printf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"", palette[0]);
	int pen = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (!isfinite(c->predicted[i]) || !isfinite(c->observed[i]) || !(c->count[i] > 0))
			continue;
		xo_buf_printf(out, "%c%.1f %.1f", pen ? 'L' : 'M', px_x(p, c->predicted[i]),
			      px_y(p, c->observed[i]));
		pen = 1;
	}
	xo_buf_adds(out, "\"/>\n");
	for (size_t i = 0; i < c->n; i++) {
		if (!isfinite(c->predicted[i]) || !isfinite(c->observed[i]) || !(c->count[i] > 0))
			continue;
		double r = 3 + 8 * sqrt(c->count[i] / max_n);
		xo_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" "
			      "fill-opacity=\"0.75\" stroke=\"#fff\" stroke-width=\"1\"><title>",
			      px_x(p, c->predicted[i]), px_y(p, c->observed[i]), r, palette[0]);
		xo_buf_adds(out, "predicted ");
		xo_html_num(out, c->predicted[i], 3, "");
		xo_buf_adds(out, ", observed ");
		xo_html_num(out, c->observed[i], 3, "");
		xo_buf_adds(out, ", ");
		xo_html_num(out, c->count[i], 0, "");
		xo_buf_adds(out, " records</title></circle>\n");
	}
}

void xo_svg_calibration(struct xo_buf *out, const struct xo_svg_calibration *c)
{
	const double w = 760, h = 420;
	struct plot p = { 70, 20, 340, 340, 0, 1, 0, 1 };
	open_svg(out, &c->f, w, h);
	y_axis(out, &p, 0.2, 1);
	x_axis(out, &p, 0.2, 1);
	line(out, px_x(&p, 0), px_y(&p, 0), px_x(&p, 1), px_y(&p, 1), MUTED, 1.5, "6 4");
	calibration_points(out, c, &p);
	axis_titles(out, &c->f, &p, h - 10);
	double lx = p.left + p.width + 30, ly = p.top + 20;
	line(out, lx, ly, lx + 30, ly, MUTED, 1.5, "6 4");
	text_at(out, lx + 38, ly + 4, "start", NULL, "perfectly calibrated");
	ly += 24;
	line(out, lx, ly, lx + 30, ly, palette[0], 2, NULL);
	xo_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\" fill-opacity=\"0.75\"/>\n",
		      lx + 15, ly, palette[0]);
	text_at(out, lx + 38, ly + 4, "start", NULL, "bins of the holdout");
	text_at(out, lx + 38, ly + 20, "start", "fill=\"" MUTED "\"", "(area: records in the bin)");
	text_at(out, lx, ly + 52, "start", "fill=\"" MUTED "\"", "Above the diagonal: more positives");
	text_at(out, lx, ly + 68, "start", "fill=\"" MUTED "\"", "than predicted; below: fewer.");
	close_svg(out);
}
