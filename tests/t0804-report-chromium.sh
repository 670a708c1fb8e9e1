#!/bin/bash
# The page of the run opened in headless Chromium (Debian's chromium):
# it renders with no console message (no script error, no blocked load),
# every chart is in the rendered DOM with the figures of the run, the
# hostile page runs nothing, and a screenshot is kept as an artefact in
# $XO_BUILD/test-artifacts/report/ (report.png, report.html, dom.html).
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	"$SRC/scripts/install-deps" >/dev/null 2>&1 || true
	CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$CHROMIUM" ]; then
	echo "1..0 # SKIP skipped: chromium not installed"
	exit 0
fi
ART=$XO_BUILD/test-artifacts/report
mkdir -p "$ART"
PAGE=$TEST_ROOT/report.html

# Headless, offline (every host name fails to resolve), in a fresh
# profile; console messages go to stderr as "CONSOLE" lines.
chrome() {
	local profile
	profile=$(mktemp -d "$TEST_ROOT/profile.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --user-data-dir="$profile" \
		--host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=0 "$@"
}
# The text of a chart's <desc>, from a DOM dump.
desc_of() {
	sed -n "s/.*<desc id=\"$1-desc\">\([^<]*\)<\/desc>.*/\1/p" "$TEST_ROOT/dom.html"
}

test_expect_success 'the page of the run, with its journey map' '
	(cd "$TESTDATA/report" && xo-report -q -d run -t "CX night of 15 March" -o "$PAGE") &&
	grep -q "class=\"graphviz\"" "$PAGE" && cp "$PAGE" "$ART/report.html"
'

test_expect_success 'Chromium renders it with no console message at all' '
	chrome --dump-dom "file://$PAGE" >"$TEST_ROOT/dom.html" 2>"$TEST_ROOT/console.log" &&
	cp "$TEST_ROOT/dom.html" "$ART/dom.html" &&
	grep -q "</html>" "$TEST_ROOT/dom.html" &&
	! grep -E "CONSOLE|Uncaught|Refused|Content Security Policy" "$TEST_ROOT/console.log"
'

test_expect_success 'the check would see a script error or a blocked load' '
	printf "%s" "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src '"'"'none'"'"'; img-src data:\"></head><body><img src=\"http://example.invalid/x.png\"><script>nope()</script></body></html>" >"$TEST_ROOT/bad.html" &&
	chrome --dump-dom "file://$TEST_ROOT/bad.html" >/dev/null 2>console.log &&
	test "$(grep -c CONSOLE console.log)" -ge 2
'

test_expect_success 'the rendered DOM holds no script and every chart' '
	! grep -qi "<script" "$TEST_ROOT/dom.html" &&
	for id in nps csat ces journey-map paths funnel-1 drivers-1 drivers-2 risk calibration \
		  decisions-action decisions-channel decisions-route decisions-status rejects; do
		grep -q "<svg [^>]*id=\"chart-$id\"" "$TEST_ROOT/dom.html" || { echo "no chart-$id"; exit 1; }
		grep -q "<figure id=\"fig-$id\">" "$TEST_ROOT/dom.html" || { echo "no fig-$id"; exit 1; }
	done &&
	! grep -q "id=\"nodata-" "$TEST_ROOT/dom.html"
'

# The figures below were worked out by hand from testdata/report/run (see
# t0801 for the sums); the charts must show exactly these.
test_expect_success 'trend charts: the latest week of each series with its margin' '
	desc_of chart-nps | grep -q "Latest: all responses 57.14 ± 53.96 (2026-03-09); channel=phone 40 ± 70.12 (2026-03-09); channel=web 100 ± 0 (2026-03-09)." &&
	desc_of chart-csat | grep -q "Latest: all responses 85.71 ± 25.92 (2026-03-09)" &&
	desc_of chart-ces | grep -q "Latest: all responses 5.71 ± 1.02 (2026-03-09); channel=phone 5.4 ± 1.33" &&
	grep -q "<title>all responses, 2026-02-23: 0 (-69.3 to 69.3)</title>" "$TEST_ROOT/dom.html"
'

test_expect_success 'journey map, paths and funnel' '
	sed -n "/id=\"chart-journey-map\"/,/<\/svg>/p" "$TEST_ROOT/dom.html" >map &&
	grep -q ">web:web.pageview</text>" map && grep -q ">9</text>" map &&
	grep -q ">phone:call.complaint</text>" map &&
	desc_of chart-paths | grep -q "each: web:web.pageview &gt; web:cart.add &gt; web:order.placed 3, email:email.question &gt; email:email.reply 1," &&
	test "$(desc_of chart-funnel-1)" = "Funnel shop: customers reaching each step: step 1 8, step 2 6, step 3 5."
'

test_expect_success 'drivers of churn and of NPS' '
	desc_of chart-drivers-1 | grep -q "attrs.plan=basic 8.66, topic:billing 2.73," &&
	desc_of chart-drivers-2 | grep -q "attrs.region=North -49.09, topic:waiting_time -20.20, channel=phone -9.09,"
'

test_expect_success 'churn risk and calibration' '
	test "$(desc_of chart-risk)" = "Customers by predicted churn probability, 10 bins from 0 to 1: 7, 5, 9, 7, 3, 3, 5, 0, 1, 0." &&
	desc_of chart-calibration | grep -q "0.07 observed 0.00 (14 records); 0.16 observed 0.18 (17 records);" &&
	grep -q "<td class=\"n\">115</td><td class=\"n\">48</td><td class=\"n\">0.805</td>" "$TEST_ROOT/dom.html" &&
	grep -q "<td class=\"t\">C0000027</td><td class=\"n\">0.8269</td>" "$TEST_ROOT/dom.html"
'

test_expect_success 'decisions, the review queue and rejects' '
	test "$(desc_of chart-decisions-action)" = "Decisions by action: detractor_followup 2, retention_call 1, retention_email 1, service_recovery 1, welcome 1." &&
	test "$(desc_of chart-decisions-channel)" = "Decisions by channel: email 4, phone 2." &&
	test "$(desc_of chart-decisions-route)" = "Decisions by route: auto 5, human 1." &&
	test "$(desc_of chart-decisions-status)" = "Decisions by status: sent 5, queued 1." &&
	grep -q "Review queue: 2 pending, 1 approved, 1 rejected." "$TEST_ROOT/dom.html" &&
	test "$(desc_of chart-rejects)" = "Rejected records per source: testdata/ingest/survey.csv 4, testdata/ingest/calls.csv 3, testdata/ingest/access.log 2, testdata/ingest/orders.csv 2, testdata/ingest/social.ndjson 2."
'

test_expect_success 'a screenshot is kept as an artefact' '
	rm -f "$ART/report.png" &&
	chrome --hide-scrollbars --window-size=1280,4000 --screenshot="$ART/report.png" \
		"file://$PAGE" 2>/dev/null &&
	test "$(head -c 8 "$ART/report.png" | od -An -tx1 | tr -d " ")" = 89504e470d0a1a0a &&
	test "$(wc -c <"$ART/report.png")" -gt 50000
'

test_expect_success 'the hostile page runs nothing and loads nothing in Chromium' '
	H=$TESTDATA/report/hostile &&
	{ xo-report -q -t "<script>alert(1)</script>" --metrics "$H/metrics.ndjson" \
		--drivers nps="$H/drivers.ndjson" --journey-dot "$H/journey.dot" \
		--rejected "$H/rejected.ndjson" --decisions "$H/decisions.ndjson" \
		--review "$H/review.txt" --predictions "$H/predictions.ndjson" \
		--paths "$H/paths.ndjson" -o hostile.html || test $? = 1; } &&
	chrome --dump-dom "file://$PWD/hostile.html" >dom.html 2>console.log &&
	! grep -E "CONSOLE|Uncaught|Refused" console.log &&
	! grep -qi "<script\|<img\|<image\|<foreignObject" dom.html &&
	! grep -qiE "<[^>]*[[:space:]]on[a-z]+=" dom.html &&
	grep -q "&lt;script&gt;alert(1)&lt;/script&gt;" dom.html &&
	grep -q "<figure id=\"fig-risk\">" dom.html && grep -q "<section id=\"inputs\">" dom.html
'
test_done
