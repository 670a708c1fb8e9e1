#include "html.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* U+FFFD, for what HTML must not hold. */
static const char replacement[] = "\xef\xbf\xbd";

/* Code points HTML forbids or turns into parse errors: C0 controls other
 * than tab, LF, CR and FF; DEL; the C1 controls (U+0080-U+009F, two bytes
 * 0xc2 0x80-0x9f in UTF-8). Returns the sequence length when s starts
 * with one, else 0. */
static size_t control_at(const unsigned char *s, size_t avail)
{
	if (s[0] < 0x20)
		return s[0] == '\t' || s[0] == '\n' || s[0] == '\r' || s[0] == '\f' ? 0 : 1;
	if (s[0] == 0x7f)
		return 1;
	if (s[0] == 0xc2 && avail > 1 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	return 0;
}

/* Escape valid UTF-8. */
static void escape_valid(struct xo_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0;
	for (size_t i = 0; i < len;) {
		const char *rep = NULL;
		size_t skip = 1;
		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			skip = control_at(p + i, len - i);
			if (skip)
				rep = replacement;
		}
		if (!rep) {
			i++;
			continue;
		}
		xo_buf_add(out, s + run, i - run);
		xo_buf_adds(out, rep);
		i += skip;
		run = i;
	}
	xo_buf_add(out, s + run, len - run);
}

void xo_html_text(struct xo_buf *out, const char *s, size_t len)
{
	if (xo_utf8_check(s, len) == len) {
		escape_valid(out, s, len);
		return;
	}
	struct xo_buf fixed = XO_BUF_INIT;
	xo_utf8_repair(&fixed, s, len);
	escape_valid(out, fixed.data, fixed.len);
	xo_buf_free(&fixed);
}

void xo_html_str(struct xo_buf *out, const char *s)
{
	if (s)
		xo_html_text(out, s, strlen(s));
}

void xo_html_printf(struct xo_buf *out, const char *fmt, ...)
{
	struct xo_buf tmp = XO_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	xo_buf_vprintf(&tmp, fmt, ap);
	va_end(ap);
	xo_html_text(out, xo_buf_str(&tmp), tmp.len);
	xo_buf_free(&tmp);
}

void xo_html_num(struct xo_buf *out, double v, int max_dec, const char *none)
{
	if (!isfinite(v)) {
		xo_buf_adds(out, none);
		return;
	}
	if (max_dec < 0)
		max_dec = 0;
	if (max_dec > 9)
		max_dec = 9;
	double scale = pow(10, max_dec);
	double r = round(v * scale) / scale;
	if (fabs(r) > 1e15) { /* beyond exact decimals: let printf choose */
		xo_buf_printf(out, "%.6g", r);
		return;
	}
	char tmp[64];
	int n = snprintf(tmp, sizeof tmp, "%.*f", max_dec, r);
	if (n <= 0 || (size_t)n >= sizeof tmp)
		return;
	if (strchr(tmp, '.')) {
		while (n > 0 && tmp[n - 1] == '0')
			n--;
		if (n > 0 && tmp[n - 1] == '.')
			n--;
	}
	tmp[n] = '\0';
	xo_buf_adds(out, strcmp(tmp, "-0") == 0 ? "0" : tmp);
}

void xo_html_pct(struct xo_buf *out, double v, const char *none)
{
	if (!isfinite(v)) {
		xo_buf_adds(out, none);
		return;
	}
	char tmp[64];
	double r = round(v * 1000) / 10;
	snprintf(tmp, sizeof tmp, "%.1f%%", r == 0 ? 0.0 : r);
	xo_buf_adds(out, tmp);
}

void xo_html_id(struct xo_buf *out, const char *prefix, const char *s)
{
	size_t start = out->len;
	xo_buf_adds(out, prefix ? prefix : "");
	for (const char *p = s ? s : ""; *p; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || c == '-';
		xo_buf_addc(out, ok ? c : '-');
	}
	if (out->len == start || (out->data[start] >= '0' && out->data[start] <= '9')) {
		/* Ids must start with a letter; insert one. */
		xo_buf_addc(out, 'x');
		memmove(out->data + start + 1, out->data + start, out->len - start - 1);
		out->data[start] = 'x';
	}
}

/* The style sheet. Colours: text #1a1a1a (contrast 17:1 on white), muted
 * #4d4d4d (8.5:1), links #0b5394 (8:1); charts use the Okabe-Ito palette
 * with dash patterns and markers, so no figure is told by colour alone.
 * Print: no navigation, figures kept whole, tables of figures shown. */
static const char style[] =
	":root{color-scheme:light}\n"
	"body{margin:0 auto;max-width:1120px;padding:0 24px 48px;"
	"font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;"
	"color:#1a1a1a;background:#fff}\n"
	"header{border-bottom:2px solid #1a1a1a;margin-bottom:12px}\n"
	"h1{font-size:1.7em;margin:20px 0 4px}\n"
	"h2{font-size:1.3em;margin:32px 0 8px;padding-top:8px;border-top:1px solid #bbb}\n"
	"h3{font-size:1.05em;margin:20px 0 6px}\n"
	"a{color:#0b5394}\n"
	".meta{color:#4d4d4d;margin:0 0 8px}\n"
	"nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;list-style:none;margin:8px 0}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:12px 0}\n"
	".card{border:1px solid #999;border-radius:6px;padding:8px 12px}\n"
	".card .k{color:#4d4d4d;font-size:.85em}\n"
	".card .v{font-size:1.6em;font-weight:600;font-variant-numeric:tabular-nums}\n"
	".card .s{color:#4d4d4d;font-size:.85em}\n"
	"figure{margin:16px 0 24px;break-inside:avoid}\n"
	"figcaption{font-weight:600;margin-bottom:4px}\n"
	"svg.chart{width:100%;max-width:860px;height:auto;display:block}\n"
	".map svg{max-width:100%;height:auto}\n"
	"table{border-collapse:collapse;margin:6px 0 12px;font-size:.9em}\n"
	"caption{text-align:left;font-weight:600;padding:4px 0}\n"
	"th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top}\n"
	"th{background:#ececec}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.t{max-width:42em;overflow-wrap:anywhere}\n"
	"details{margin:4px 0 8px}\n"
	"summary{cursor:pointer;color:#0b5394}\n"
	".nodata{color:#4d4d4d;font-style:italic}\n"
	".warn{color:#8a1c00;font-weight:600}\n"
	"code{font-family:\"DejaVu Sans Mono\",monospace;font-size:.9em}\n"
	"@media print{\n"
	"  @page{margin:14mm}\n"
	"  body{max-width:none;padding:0;font-size:10pt}\n"
	"  nav{display:none}\n"
	"  h2{break-after:avoid}\n"
	"  section{break-inside:auto}\n"
	"  details>summary{display:none}\n"
	"  details::details-content{content-visibility:visible;display:block}\n"
	"  a{color:#1a1a1a;text-decoration:none}\n"
	"}\n";

void xo_html_page_begin(struct xo_buf *out, const char *title)
{
	xo_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'; img-src data:\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"generator\" content=\"xo-report\">\n<title>");
	xo_html_str(out, title);
	xo_buf_adds(out, "</title>\n<style>\n");
	xo_buf_adds(out, style);
	xo_buf_adds(out, "</style>\n</head>\n<body>\n");
}

void xo_html_page_end(struct xo_buf *out)
{
	xo_buf_adds(out, "</body>\n</html>\n");
}

void xo_html_table_begin(struct xo_buf *out, const char *caption,
			 const char *const *headers, size_t n)
{
	xo_buf_adds(out, "<table>");
	if (caption) {
		xo_buf_adds(out, "<caption>");
		xo_html_str(out, caption);
		xo_buf_adds(out, "</caption>");
	}
	xo_buf_adds(out, "\n<thead><tr>");
	for (size_t i = 0; i < n; i++) {
		xo_buf_adds(out, "<th scope=\"col\">");
		xo_html_str(out, headers[i]);
		xo_buf_adds(out, "</th>");
	}
	xo_buf_adds(out, "</tr></thead>\n<tbody>\n");
}

void xo_html_row_begin(struct xo_buf *out)
{
	xo_buf_adds(out, "<tr>");
}

void xo_html_cell(struct xo_buf *out, const char *text)
{
	xo_buf_adds(out, "<td class=\"t\">");
	xo_html_str(out, text);
	xo_buf_adds(out, "</td>");
}

void xo_html_cell_num(struct xo_buf *out, double v, int max_dec)
{
	xo_buf_adds(out, "<td class=\"n\">");
	xo_html_num(out, v, max_dec, "n/a");
	xo_buf_adds(out, "</td>");
}

void xo_html_cell_pct(struct xo_buf *out, double v)
{
	xo_buf_adds(out, "<td class=\"n\">");
	xo_html_pct(out, v, "n/a");
	xo_buf_adds(out, "</td>");
}

void xo_html_row_end(struct xo_buf *out)
{
	xo_buf_adds(out, "</tr>\n");
}

void xo_html_table_end(struct xo_buf *out)
{
	xo_buf_adds(out, "</tbody></table>\n");
}
