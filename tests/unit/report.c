/* Unit tests of xo-report's modules: html escaping and numbers, tally,
 * axis ticks, the Graphviz SVG filter, spawn. Expected values worked out
 * by hand (see the comments). */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "graphviz.h"
#include "html.h"
#include "spawn.h"
#include "svg.h"
#include "tally.h"
#include "unit.h"

static const char *escaped(const char *s, size_t len)
{
	static struct xo_buf b;
	xo_buf_reset(&b);
	xo_html_text(&b, s, len);
	return xo_buf_str(&b);
}

static const char *num(double v, int dec)
{
	static struct xo_buf b;
	xo_buf_reset(&b);
	xo_html_num(&b, v, dec, "n/a");
	return xo_buf_str(&b);
}

static void test_escape(void)
{
	const char *s = "<a href=\"x\">&'</a>";
	CHECK_STR(escaped(s, strlen(s)), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;",
		  "the five characters are escaped");
	CHECK_STR(escaped("a\tb\nc", 5), "a\tb\nc", "tab and newline are kept");
	CHECK_STR(escaped("a\x01" "b\x7f", 4), "a\xef\xbf\xbd" "b\xef\xbf\xbd",
		  "C0 controls and DEL become U+FFFD");
	CHECK_STR(escaped("x\xc2\x85y", 4), "x\xef\xbf\xbdy", "a C1 control becomes U+FFFD");
	CHECK_STR(escaped("caf\xe9 <", 6), "caf\xef\xbf\xbd &lt;", "invalid UTF-8 is repaired");
	CHECK_STR(escaped("a\0b", 3), "a\xef\xbf\xbd" "b", "a NUL byte becomes U+FFFD");
	CHECK_STR(escaped("\xe2\x82\xac", 3), "\xe2\x82\xac", "valid UTF-8 passes");
}

static void test_numbers(void)
{
	CHECK_STR(num(60.0, 2), "60", "trailing zeros dropped");
	CHECK_STR(num(-9.09, 2), "-9.09", "negative with two decimals");
	CHECK_STR(num(-0.001, 2), "0", "minus zero is written 0");
	CHECK_STR(num(0.5, 0), "1", "half rounds away from zero");
	CHECK_STR(num(-2.5, 0), "-3", "negative half rounds away from zero");
	CHECK_STR(num(0.77705223880597, 4), "0.7771", "four decimals");
	CHECK_STR(num(NAN, 2), "n/a", "not finite: the text for none");
	struct xo_buf b = XO_BUF_INIT;
	xo_html_pct(&b, 0.2857, "");
	CHECK_STR(xo_buf_str(&b), "28.6%", "share as a percentage");
	xo_buf_reset(&b);
	xo_html_pct(&b, 1.0 / 6, "");
	CHECK_STR(xo_buf_str(&b), "16.7%", "one sixth is 16.7%");
	xo_buf_reset(&b);
	/* '9' ' ' l i v e s '/' 0xc3 0xa9: blank, slash and both bytes of é
	 * become '-', and an id never starts with a digit. */
	xo_html_id(&b, "", "9 lives/\xc3\xa9");
	CHECK_STR(xo_buf_str(&b), "x9-lives---", "ids: safe characters, a letter first");
	xo_buf_reset(&b);
	xo_html_id(&b, "chart-", "nps");
	CHECK_STR(xo_buf_str(&b), "chart-nps", "ids: prefix kept");
	xo_buf_free(&b);
}

static void test_tally(void)
{
	struct xo_tally *t = xo_tally_new();
	const char *keys[] = { "email", "phone", "email", "sms", "phone", "email", "a\0b" };
	for (size_t i = 0; i < 6; i++)
		xo_tally_add(t, keys[i], strlen(keys[i]), 1);
	xo_tally_add(t, keys[6], 3, 2);
	size_t n;
	const struct xo_tally_entry *e = xo_tally_sorted(t, &n);
	CHECK_INT(n, 4, "four distinct keys");
	/* email 3, then a\0b 2 and phone 2 by bytes ('a' < 'p'), then sms 1 */
	CHECK_STR(e[0].key, "email", "largest first");
	CHECK_INT(e[1].len, 3, "a key holding NUL keeps its length");
	CHECK_STR(e[2].key, "phone", "ties by key");
	CHECK_STR(e[3].key, "sms", "smallest last");
	/* 3 + 2 + 1 ones, and 2 for a\0b */
	CHECK_INT(xo_tally_total(t), 8, "total of counts");
	CHECK_INT(xo_tally_get(t, "phone", 5), 2, "lookup after sorting");
	xo_tally_add(t, "sms", 3, 4);
	CHECK_INT(xo_tally_get(t, "sms", 3), 5, "adding after sorting");
	for (int i = 0; i < 1000; i++) {
		char k[16];
		int len = snprintf(k, sizeof k, "k%d", i % 300);
		xo_tally_add(t, k, (size_t)len, 1);
	}
	CHECK_INT(xo_tally_size(t), 304, "grows past its first table");
	CHECK_INT(xo_tally_get(t, "k7", 2), 4, "1000 adds over 300 keys: k7 four times");
	xo_tally_free(t);
}

static void test_ticks(void)
{
	double a, b;
	/* 8.6 / 5 = 1.72 -> step 2; 0 .. ceil(4.3) * 2 = 10 */
	CHECK(xo_svg_ticks(0, 8.6, 5, &a, &b) == 2 && a == 0 && b == 10, "ticks of 0..8.6");
	/* 200 / 5 = 40 -> step 50 */
	CHECK(xo_svg_ticks(-100, 100, 5, &a, &b) == 50 && a == -100 && b == 100, "ticks of -100..100");
	/* 0.83 / 5 = 0.166 -> step 0.2; -0.03 -> -0.2 */
	CHECK(fabs(xo_svg_ticks(-0.03, 0.8, 5, &a, &b) - 0.2) < 1e-12 && fabs(a + 0.2) < 1e-12 &&
		      fabs(b - 0.8) < 1e-12, "ticks of -0.03..0.8");
	CHECK(xo_svg_ticks(5, 5, 5, &a, &b) > 0 && a <= 5 && b >= 5, "an empty range still has ticks");
}

static void test_sanitize(void)
{
	const char *svg =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"x\" \"y\">\n<!-- c -->\n"
		"<svg width=\"10pt\" height=\"5pt\" id=\"own\" viewBox=\"0 0 10 5\">\n"
		"<g id=\"node1\" class=\"node\" onclick=\"alert(1)\"><title>a&#45;&gt;b</title>"
		"<a xlink:href=\"javascript:alert(1)\" xlink:title=\"t\"><text x=\"1\">hi</text></a>"
		"<script>alert(2)</script><image href=\"http://x/y.png\"/>"
		"<foreignObject><div><g>in</g></div></foreignObject>"
		"<path fill=\"url(#l_0)\" stroke=\"url(http://evil/#x)\" d=\"M0 0\"/>"
		"<polygon style='fill:red' points=\"0,0 1,1\"/>"
		"</g>\n<text>unclosed";
	/* Prolog, doctype and comment go; the outer svg gets our id, role and
	 * labels and loses its own id; onclick, the link, script, image and
	 * foreignObject go (the link's text stays); url(#l_0) is prefixed,
	 * the outside url() drops its attribute; single quotes become double;
	 * the unclosed text and svg are closed. */
	const char *want =
		"<svg width=\"10pt\" height=\"5pt\" viewBox=\"0 0 10 5\" class=\"graphviz\" id=\"m\" "
		"role=\"img\" aria-labelledby=\"m-title m-desc\">\n<title id=\"m-title\">Map &lt;1&gt;</title>\n"
		"<desc id=\"m-desc\">d</desc>\n\n"
		"<g id=\"m-node1\" class=\"node\"><title>a&#45;&gt;b</title><text x=\"1\">hi</text>"
		"<path fill=\"url(#m-l_0)\" d=\"M0 0\"/><polygon style=\"fill:red\" points=\"0,0 1,1\"/>"
		"</g>\n<text>unclosed</text></svg>";
	struct xo_dot_opts o = { "dot", 1000, "m", "Map <1>", "d" };
	struct xo_buf out = XO_BUF_INIT;
	xo_svg_sanitize(&out, svg, strlen(svg), &o);
	CHECK_STR(xo_buf_str(&out), want, "the Graphviz SVG filter");
	xo_buf_reset(&out);
	xo_svg_sanitize(&out, "no svg here", 11, &o);
	CHECK_INT(out.len, 0, "no svg element: nothing");
	xo_buf_reset(&out);
	const char *stray = "<svg><g></text></g></svg><script>x</script>";
	xo_svg_sanitize(&out, stray, strlen(stray), &o);
	CHECK(strstr(xo_buf_str(&out), "<g></g></svg>") && !strstr(xo_buf_str(&out), "script"),
	      "a stray end tag is dropped; nothing after the svg is kept");
	xo_buf_free(&out);
}

static void test_spawn(void)
{
	struct xo_spawn r;
	const char *ok[] = { "/bin/sh", "-c", "echo hi; echo oops >&2; exit 3", NULL };
	CHECK(xo_spawn_run(ok, 5000, 1 << 20, &r) == -1 && r.exit_code == 3, "exit status");
	CHECK_STR(xo_buf_str(&r.out), "hi\n", "standard output captured");
	CHECK_STR(xo_buf_str(&r.err), "oops\n", "standard error captured");
	xo_spawn_free(&r);
	const char *missing[] = { "/nonexistent/xo-no-such-program", NULL };
	CHECK(xo_spawn_run(missing, 5000, 1 << 20, &r) == -1 && r.exec_errno == ENOENT,
	      "a missing program is ENOENT");
	xo_spawn_free(&r);
	const char *slow[] = { "/bin/sh", "-c", "exec sleep 10", NULL };
	CHECK(xo_spawn_run(slow, 200, 1 << 20, &r) == -1 && r.timed_out, "killed at its time limit");
	struct xo_buf why = XO_BUF_INIT;
	xo_spawn_describe(&r, 200, &why);
	CHECK_STR(xo_buf_str(&why), "stopped after 1 s", "the time limit described");
	xo_buf_free(&why);
	xo_spawn_free(&r);
	const char *big[] = { "/bin/sh", "-c", "exec yes", NULL };
	CHECK(xo_spawn_run(big, 10000, 1 << 16, &r) == -1 && r.too_big, "killed at its size limit");
	xo_spawn_free(&r);
}


int main(void)
{
	test_escape();
	test_numbers();
	test_tally();
	test_ticks();
	test_sanitize();
	test_spawn();
	return unit_done();
}
