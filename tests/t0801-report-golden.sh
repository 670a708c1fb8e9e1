#!/bin/bash
# xo-report on the outputs of a small run (testdata/report/run, made by
# xo-score, xo-journey, xo-decide and xo-ingest, then roughened by hand:
# a CRLF line, an unknown member, a blank line, a record without a
# prediction). The page is compared with the golden one (checked by eye
# in Chromium), and the figures it shows with those worked out by hand.
. "$(dirname "$0")/lib.sh"

# The page with dot "missing", so it does not depend on Graphviz's version;
# run from testdata/report so the paths in it are relative.
report() {
	(cd "$TESTDATA/report" && xo-report -q -d run --dot /nonexistent/dot "$@")
}
normal() {
	sed 's/by xo-report [0-9][0-9.]*/by xo-report VERSION/' "$@"
}

test_expect_success 'the page of the run is the golden one' '
	report -o "$PWD/page.html" &&
	normal page.html >actual &&
	test_cmp "$EXPECT/report/run.html" actual
'

test_expect_success 'written to standard output without -o, the same page' '
	report >stdout.html &&
	report -o "$PWD/file.html" &&
	cmp stdout.html file.html
'

test_expect_success 'summary cards: NPS, CSAT, CES over the whole run' '
	report >page.html &&
	# promoters 16, passives 6, detractors 10 of 32 (4 weeks of phone and web
	# answers counted by hand): NPS = 100 (16 - 10) / 32 = 18.75;
	# moe = 196 sqrt((0.5 + 0.3125 - 0.1875^2) / 32) = 30.55.
	grep -q "id=\"card-nps\".*>18.75<.*± 30.55, n = 32<" page.html &&
	# 22 of 32 answered 4 or 5: 68.75%
	grep -q "id=\"card-csat\".*>68.75%<.*± 16.06, n = 32<" page.html &&
	grep -q "id=\"card-ces\".*>5<.*± 0.64, n = 32<" page.html
'

test_expect_success 'summary cards: risk, decisions, review queue, rejects' '
	report >page.html &&
	# one probability of 40 is 0.7 or more (0.8269): 2.5%
	grep -q "id=\"card-risk\".*>1<.*2.5% of 40 scored<" page.html &&
	# C1001..C1010: 6 with one decision each, 4 with none
	grep -q "id=\"card-decisions\".*>6<.*for 6 of 10 customers<" page.html &&
	# review.txt: ids 3 and 4 pending
	grep -q "id=\"card-review\".*>2<.*pending<" page.html &&
	# 4 + 3 + 2 + 2 + 2 rejects in five streams
	grep -q "id=\"card-rejects\".*>13<.*from 5 sources<" page.html
'

test_expect_success 'the risk histogram counts what an independent count finds' '
	report >page.html &&
	jq -r "select(.prediction.p != null) | .prediction.p * 10 | floor" \
		"$TESTDATA/report/run/predictions.ndjson" | sort -n | uniq -c |
		awk "{ n[\$2] = \$1 } END { for (i = 0; i < 10; i++) printf \"%s%d\", i ? \", \" : \"\", n[i]; print \".\" }" >want &&
	echo "7, 5, 9, 7, 3, 3, 5, 0, 1, 0." | cmp - want &&
	grep -q "10 bins from 0 to 1: $(cat want)</desc>" page.html &&
	grep -q "40 customers scored; mean probability 0.33; 1 at high risk (2.5%); 1 records without a probability" page.html
'

test_expect_success 'trend markers carry each week with its margin' '
	report >page.html &&
	# week of 2026-02-16: NPS 25 +- 57.46
	grep -q "<title>all responses, 2026-02-16: 25 (-32.46 to 82.46)</title>" page.html &&
	# phone in the week of 2026-02-23: 1 promoter, 3 detractors of 4: -50
	grep -q "<title>channel=phone, 2026-02-23: -50 " page.html &&
	grep -q "Latest: all responses 57.14 ± 53.96 (2026-03-09); channel=phone 40 ± 70.12 (2026-03-09)" page.html
'

test_expect_success 'dot missing: the page says so, and the run still succeeds' '
	report -o "$PWD/page.html" 2>err &&
	grep -q "id=\"nodata-journey-map\">The journey map cannot be drawn: Graphviz (/nonexistent/dot) is not installed" page.html
'

test_expect_success 'with Graphviz the map is drawn inline, ids prefixed' '
	command -v dot >/dev/null || { echo "# dot not installed"; exit 0; }
	report --dot dot >page.html &&
	grep -q "<svg [^>]*class=\"graphviz\" id=\"chart-journey-map\" role=\"img\"" page.html &&
	grep -q "id=\"chart-journey-map-node1\"" page.html &&
	grep -q ">web:cart.add</text>" page.html &&
	! grep -q "<?xml\|<!DOCTYPE svg\|<!-- Generated" page.html
'

test_expect_success 'every input kind by option gives the page of the run directory' '
	(cd "$TESTDATA/report" && r=run && xo-report -q --dot /nonexistent/dot \
		--metrics $r/metrics-channel-week.ndjson --metrics $r/metrics-week.ndjson \
		--metrics $r/metrics.ndjson --journey-dot $r/journey.dot --paths $r/paths.ndjson \
		--funnel $r/funnel.ndjson --drivers churn=$r/drivers-churn.ndjson \
		--drivers nps=$r/drivers-nps.ndjson --predictions $r/predictions.ndjson \
		--calibration $r/model.json --decisions $r/decisions.ndjson --review $r/review.txt \
		--rejected $r/rejects-calls.ndjson --rejected $r/rejects-orders.ndjson \
		--rejected $r/rejects-social.ndjson --rejected $r/rejects-survey.ndjson \
		--rejected $r/rejects-weblog.ndjson) >page.html &&
	normal page.html >actual &&
	test_cmp "$EXPECT/report/run.html" actual
'
test_done
