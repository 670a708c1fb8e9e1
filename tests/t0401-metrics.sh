#!/bin/bash
# xo-score metrics: NPS, CSAT and CES with margins of error, by group and
# period. The expected figures were worked out by hand from
# testdata/score/survey.ndjson (12 usable responses, 3 rejects):
#
# All responses. NPS answers 10 3 8 6 9 0 7 10 2 9 5 (n 11): promoters 4,
#   passives 2, detractors 5; NPS = 100 (4 - 5)/11 = -9.09;
#   var = (9/11 - (1/11)^2)/11 = 0.0736289, MOE = 196 sqrt(var) = 53.18.
#   CSAT answers 5 2 4 3 1 4 5 1 4 5 (n 10): 6 satisfied = 60%,
#   MOE = 196 sqrt(.6 .4/10) = 30.36.
#   CES 7 2 4 6 1 5 3 6 (n 8): mean 34/8 = 4.25; squared deviations sum
#   to 31.5, sd = sqrt(31.5/7) = 2.12; MOE = 1.96 2.1213/sqrt 8 = 1.47;
#   low effort (5-7) 4 of 8 = 50%, MOE = 196 sqrt(.25/8) = 34.65.
# phone/North: NPS 10 3 7 5 -> 1 P, 1 passive, 2 D = -25; var = (.75 -
#   .0625)/4, MOE 81.26. CSAT 5 2 4 5 -> 75%, MOE 196 sqrt(.1875/4) = 42.44.
#   CES 7 2 5: mean 4.67, sd sqrt(12.667/2) = 2.52, MOE 1.96 2.5166/sqrt 3
#   = 2.85, low effort 2 of 3 = 66.67%.
# chat/South: NPS 8 9 = 50, var (.5 - .25)/2, MOE 69.30. phone/South: NPS 9 2
#   = 0, MOE 196 sqrt(.5) = 138.59; CES 6 3: 4.5, sd 2.12, MOE 2.94.
# Weeks (ISO, Monday first): 2026-02-27 is in the week of 02-23; 03-08
#   (a Sunday) in the week of 03-02. Week 03-02: NPS 10 3 8 6 9 0 -> 2 P,
#   1 passive, 3 D = -16.67. Week 03-09: 7 10 2 9 -> 2 P, 1, 1 D = 25.
. "$(dirname "$0")/lib.sh"
IN=$TESTDATA/score/survey.ndjson

test_expect_success 'all responses: NPS, CSAT, CES with MOE' '
	xo-score metrics --rejects rej.ndjson "$IN" >out.ndjson 2>err || test $? = 1
	test_cmp "$EXPECT/score/metrics-all.ndjson" out.ndjson
'

test_expect_code 1 'rejects make the exit status 1' '
	xo-score metrics "$IN" >/dev/null 2>&1
'

test_expect_success 'rejects: out of range, broken JSON, a string measure' '
	xo-score metrics --rejects rej.ndjson "$IN" >/dev/null 2>err || test $? = 1
	jq -c "[.line, .reason]" rej.ndjson >got &&
	cat >want <<-\EOT &&
	[14,"cx.nps 11 is outside 0..10"]
	[15,"invalid JSON at column 147: '"'"'}'"'"' expected near end of file"]
	[16,"cx.csat is not a number"]
	EOT
	test_cmp want got &&
	grep -q "survey.ndjson:14: rejected: cx.nps 11 is outside 0..10" err
'

test_expect_success 'by channel and region, as TSV' '
	xo-score metrics -q --by channel,attrs.region -f tsv "$IN" >out.tsv || test $? = 1
	test_cmp "$EXPECT/score/metrics-by.tsv" out.tsv
'

test_expect_success 'by ISO week' '
	xo-score metrics -q --every week "$IN" >out.ndjson || test $? = 1
	test_cmp "$EXPECT/score/metrics-week.ndjson" out.ndjson
'

test_expect_success 'days in Europe/Rome: 03-08 23:30Z is 03-09 there' '
	xo-score metrics -q --every day "$IN" >utc.ndjson || test $? = 1
	xo-score metrics -q --every day --tz Europe/Rome "$IN" >rome.ndjson || test $? = 1
	test "$(jq -c "select(.period == \"2026-03-08\") | .nps.n" utc.ndjson)" = 1 &&
	test -z "$(jq -c "select(.period == \"2026-03-08\")" rome.ndjson)" &&
	test "$(jq -c "select(.period == \"2026-03-09\") | .nps.n" rome.ndjson)" = 2
'

# phone in March: 10 3 9 7 2 -> 2 P, 1 passive, 2 D = 0.
test_expect_success 'month and group in one report' '
	xo-score metrics -q --every month --by channel "$IN" >out.ndjson || test $? = 1
	jq -c "[.group.channel, .period, .nps.n, .nps.score]" out.ndjson >got &&
	cat >want <<-\EOT &&
	["chat","2026-03",3,0]
	["email","2026-03",1,-100]
	["phone","2026-02",1,-100]
	["phone","2026-03",5,0]
	["web","2026-03",1,100]
	EOT
	test_cmp want got
'

test_expect_success 'CES on the effort scale: low effort is 1-3 (2 1 3 of 8)' '
	xo-score metrics -q --ces-scale effort "$IN" >out.ndjson || test $? = 1
	test "$(jq -c .ces.low_effort out.ndjson)" = 37.5
'

test_expect_success 'an absent group field is its own group, null' '
	xo-score metrics -q --by attrs.region "$IN" >out.ndjson || test $? = 1
	jq -c "[.group[\"attrs.region\"], .nps.n]" out.ndjson >got &&
	printf "%s\n" "[null,1]" "[\"North\",6]" "[\"South\",4]" >want &&
	test_cmp want got
'

# chat: 8 0 9 -> 0, MOE 196 sqrt((2/3)/3) = 92.4; phone: 10 3 9 7 2 5 ->
# 2 P, 3 D = -16.67, MOE 196 sqrt((5/6 - 1/36)/6) = 71.8; email, web < 3.
test_expect_success '--min-n drops small groups; --digits 0' '
	xo-score metrics -q --by channel --min-n 3 --digits 0 "$IN" >out.ndjson || test $? = 1
	jq -c "[.group.channel, .nps.score, .nps.moe]" out.ndjson >got &&
	printf "%s\n" "[\"chat\",0,92]" "[\"phone\",-17,72]" >want &&
	test_cmp want got
'

test_expect_success 'stdin as -, and a file with no responses' '
	grep -v nps "$IN" | grep -v csat | xo-score metrics -q - >out.ndjson &&
	test "$(jq -c .nps.n out.ndjson)" = "" &&
	test ! -s out.ndjson
'

test_expect_success 'quarters and years' '
	xo-score metrics -q --every quarter "$IN" >q.ndjson || test $? = 1
	xo-score metrics -q --every year "$IN" >y.ndjson || test $? = 1
	test "$(jq -r .period q.ndjson)" = 2026-Q1 &&
	test "$(jq -r .period y.ndjson)" = 2026 &&
	test "$(jq .nps.n y.ndjson)" = 11
'

test_expect_success 'a reader that goes away early: exit 0, no message' '
	for i in $(seq 300); do sed "s/\"ts\":\"2026-03-0/\"ts\":\"20$((10 + i % 80))-03-0/" "$IN"; done >big.ndjson &&
	xo-score metrics -q --every day big.ndjson 2>err | head -1 >/dev/null
	test "${PIPESTATUS[0]}" = 0 && test ! -s err &&
	{ xo-score metrics -q --every day big.ndjson >all; test $? = 1; } &&
	test "$(wc -c <all)" -gt 100000
'

test_expect_code 2 'bad --every' 'xo-score metrics --every fortnight "$IN"'
test_expect_code 2 'bad --by path' 'xo-score metrics --by "attrs[" "$IN"'
test_expect_code 2 'bad --format' 'xo-score metrics -f csv "$IN"'
test_expect_code 2 'bad --tz' 'xo-score metrics --tz Mars/Olympus "$IN"'
test_expect_code 2 'unknown command' 'xo-score frobnicate'
test_expect_code 3 'missing input' 'xo-score metrics no-such-file.ndjson'
test_expect_code 4 'output to a full disk' 'xo-score metrics -q "$IN" >/dev/full'

test_expect_success '--help and --version' '
	xo-score metrics --help >help && grep -q -- "--every PERIOD" help &&
	xo-score --help | grep -q "drivers" &&
	xo-score --version | grep -q "^xo-score (xo) "
'

test_done
