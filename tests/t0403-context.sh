#!/bin/bash
# xo-score context: per-customer sentiment, effort, cx trend and health
# on journey records. Hand computations (formulas in xo-score(1)):
# X1: nps 10 -> 7, csat 5 -> 4, ces 7 -> 5 (ease), one text scored 0.6.
#   cx level = (0.7 + 0.75 + 4/6)/3 = 0.705556; cx trend = (-0.3 - 0.25 -
#   0.333333)/3 = -0.294444; sentiment part (0.6 + 1)/2 = 0.8; effort =
#   mean(4/6, 1 - (1 + 0)/6) = 0.75; trend part (1 - 0.294444)/2 = 0.352778;
#   health = 100 (.35 .705556 + .25 .8 + .25 .75 + .15 .352778) = 68.7.
# X2: nps 5 -> 3, csat 2, ces 2, texts -0.4 then -0.8, 4 contacts, 1 open.
#   level (0.3 + 0.25 + 1/6)/3 = 0.238889; cx trend -0.2; sentiment mean
#   -0.6 -> 0.2, trend -0.4; effort mean(1/6, 1 - 5/6) = 0.166667; trend
#   part (1 + mean(-0.2, -0.4/2))/2 = 0.4; health = 100 (.083611 + .05 +
#   .041667 + .06) = 23.5.
# X3: nps 8 -> 9, csat 4 -> 4, ces 6; texts "ok" (0.296) and an Italian
#   one (0.8516). level (0.9 + 0.75 + 5/6)/3 = 0.827778; trend (0.1 + 0)/2
#   = 0.05; sentiment mean 0.5738; effort mean(5/6, 1 - 2/6) = 0.75; trend
#   part (1 + mean(0.05, 0.5556/2))/2 = 0.58195; health 76.1.
# X7: nothing but a page view: no health (effort alone says too little).
# X8: one text in 2025, outside the 90-day window: no mean, no health.
. "$(dirname "$0")/lib.sh"
export XO_DATADIR=$SRC/lib/share
IN=$TESTDATA/score/journeys.ndjson

test_expect_success 'figures and health of each journey' '
	{ xo-score context -q "$IN" >out.ndjson; test $? = 1; } &&
	test_cmp "$EXPECT/score/context.ndjson" out.ndjson
'

test_expect_success 'hand-computed health scores' '
	{ xo-score context -q "$IN" >out.ndjson; test $? = 1; } &&
	jq -c "[.xid, .score.health]" out.ndjson >got &&
	printf "%s\n" "[\"X1\",68.7]" "[\"X2\",23.5]" "[\"X7\",null]" "[\"X8\",null]" "[\"X3\",76.1]" >want &&
	test_cmp want got
'

test_expect_success 'not journeys: no steps, a bad ts, a bad measure are rejected' '
	{ xo-score context --rejects rej.ndjson "$IN" >/dev/null 2>err; test $? = 1; } &&
	jq -c "[.line, .reason]" rej.ndjson >got &&
	cat >want <<-\EOT &&
	[6,"not a journey record: no \"steps\" array"]
	[7,"steps[0] has no valid \"ts\""]
	[8,"cx.nps 12 is outside 0..10 in steps[0]"]
	EOT
	test_cmp want got
'

test_expect_success '--weights: cx alone gives 100 x cx level' '
	{ xo-score context -q --weights cx=1,sentiment=0,effort=0,trend=0 "$IN" >out; test $? = 1; } &&
	test "$(jq -c "select(.xid == \"X1\") | .score.health" out)" = 70.6
'

test_expect_success '--window 365d brings the old text into the mean' '
	{ xo-score context -q --window 365d "$IN" >out; test $? = 1; } &&
	test "$(jq -c "select(.xid == \"X8\") | [.score.sentiment.mean, .score.health]" out)" = "[-0.9,5]"
'

test_expect_success '--no-text: step texts are not scored, given scores are used' '
	{ xo-score context -q --no-text "$IN" >out; test $? = 1; } &&
	test "$(jq -c "select(.xid == \"X3\") | .score.sentiment.n" out)" = 0 &&
	test "$(jq -c "select(.xid == \"X2\") | .score.sentiment.n" out)" = 2
'

test_expect_success '--field puts the figures elsewhere; other keys pass through' '
	head -1 "$IN" | xo-score context -q --field cxscore >out &&
	test "$(jq -c ".cxscore.health, .context.tenure_days, .steps[1].token" out | tr "\n" " ")" = "68.7 13.125 \"web:order.placed\" "
'

# X12: its steps were cut by --max-steps to the last survey (nps 7), but
# context.cx.nps says n 3, last 7, prev 10: trend (7 - 10)/10 = -0.3.
test_expect_success 'context.cx of xo-journey wins over cut steps' '
	echo "{\"xid\":\"X12\",\"as_of\":\"2026-03-15T12:00:00Z\",\"steps\":[{\"ts\":\"2026-03-09T08:00:00Z\",\"cx\":{\"nps\":7}}],\"context\":{\"cx\":{\"nps\":{\"n\":3,\"last\":7,\"prev\":10,\"trend\":-3}}}}" |
		xo-score context -q >out &&
	test "$(jq -c "[.score.cx.level, .score.cx.trend]" out)" = "[0.7,-0.3]"
'

test_expect_code 2 'bad --weights' 'xo-score context --weights cx=-1 </dev/null'
test_expect_code 2 'bad --window' 'xo-score context --window soon </dev/null'
test_expect_success 'health is an alias of context' '
	head -1 "$IN" | xo-score health -q | jq -e ".score.health == 68.7"
'

test_done
