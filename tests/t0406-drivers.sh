#!/bin/bash
# xo-score drivers: topics, journey steps and attributes ranked by impact.
# Hand computations:
# NPS, testdata/score/survey.ndjson (11 NPS answers, overall -9.09):
#   topic:waiting_time is in two verbatims (NPS 3 and 0, both detractors):
#   with = -100; the other 9 sum to -100 - (-200) = 100: without 11.11;
#   diff -111.11; prevalence 2/11 = 0.1818; impact -20.20. Welch: the
#   with group has variance 0; without: 4 x 100, 2 x 0, 3 x -100, sum of
#   squares 70000, m2 = 70000 - 100^2/9 = 68888.9, var 8611.1; se^2 =
#   8611.1/9 = 956.79; t = -111.11/30.932 = -3.592; df = 8.
# Churn, testdata/score/steps-churn.ndjson (7 labelled journeys, 3 churned):
#   step:phone:call.complaint in A, C, F, all churned: with 100%, without
#   0/4 = 0%, prevalence 3/7, impact 42.86. z-test: pooled 3/7, se =
#   sqrt(3/7 4/7 (1/3 + 1/4)) = 0.377964, z = 1/0.377964 = 2.646,
#   p = 2 (1 - Phi(2.646)) = 0.00815.
. "$(dirname "$0")/lib.sh"
export XO_DATADIR=$SRC/lib/share

test_expect_success 'NPS drivers: hand-checked waiting time row' '
	{ xo-score drivers -q -o nps --by channel,attrs.region --min-n 2 "$TESTDATA/score/survey.ndjson" >out; test $? = 1; } &&
	jq -c "select(.factor == \"topic:waiting_time\") | [.n_with, .n_without, .with, .without, .diff, .prevalence, .impact, .t, .df]" out >got &&
	echo "[2,9,-100,11.11,-111.11,0.1818,-20.2,-3.592,8]" >want &&
	test_cmp want got &&
	p=$(jq "select(.factor == \"topic:waiting_time\") | .p" out) &&
	awk -v p="$p" "BEGIN { exit !(p > 0.00705 && p < 0.00708) }"
'

test_expect_success 'NPS drivers: ranked by harm, most harmful first' '
	{ xo-score drivers -q -o nps --by channel,attrs.region --min-n 2 "$TESTDATA/score/survey.ndjson" >out; test $? = 1; } &&
	jq -r .factor out >got &&
	printf "%s\n" attrs.region=North topic:waiting_time channel=phone topic:billing channel=chat attrs.region=South >want &&
	test_cmp want got
'

test_expect_success 'churn drivers from journey steps: hand-checked row' '
	xo-score drivers -q -o churn --min-n 1 "$TESTDATA/score/steps-churn.ndjson" >out &&
	jq -c "select(.rank == 1) | [.factor, .with, .without, .impact, .z]" out >got &&
	echo "[\"step:phone:call.complaint\",100,0,42.86,2.646]" >want &&
	test_cmp want got &&
	test "$(jq "select(.rank == 1) | .p" out)" = 0.008151 &&
	test "$(jq -r "select(.factor == \"path:phone:call.complaint>email:email.reply\") | .kind" out)" = path
'

test_expect_success 'churn: last rows are the protective ones' '
	xo-score drivers -q -o churn --min-n 1 "$TESTDATA/score/steps-churn.ndjson" | tail -1 | jq -e ".factor == \"step:app:app.login\" and .impact < 0"
'

test_expect_success '--min-n, --top, --max-q and TSV' '
	xo-score drivers -q -o churn --by attrs.plan,attrs.payment --min-n 30 --max-q 0.01 -f tsv \
		"$TESTDATA/score/churn.ndjson" >out.tsv &&
	head -1 out.tsv | grep -q "^rank	kind	factor	n_with	n_without	prevalence	with	without	diff	impact	z	df	p	q$" &&
	awk -F"\t" "NR > 1 && \$14 > 0.01 { exit 1 }" out.tsv &&
	test "$(sed -n 2p out.tsv | cut -f3)" = attrs.plan=basic &&
	xo-score drivers -q -o churn --by attrs.plan --top 2 "$TESTDATA/score/churn.ndjson" | test "$(wc -l)" = 2
'

test_expect_success 'CSAT drivers with the topic file; CES on the effort scale flips the order' '
	{ xo-score drivers -q -o csat --min-n 2 --no-steps "$TESTDATA/score/survey.ndjson" >csat; test $? = 1; } &&
	test "$(jq -r "select(.rank == 1) | .factor" csat)" = topic:waiting_time &&
	{ xo-score drivers -q -o ces --by channel --min-n 2 "$TESTDATA/score/survey.ndjson" >ease; test $? = 1; } &&
	{ xo-score drivers -q -o ces --by channel --ces-scale effort --min-n 2 "$TESTDATA/score/survey.ndjson" >effort; test $? = 1; } &&
	test "$(jq -r .factor ease | tac)" = "$(jq -r .factor effort)"
'

test_expect_success 'the outcome may be anywhere (--value); --positive for text labels' '
	printf "%s\n" "{\"status\":\"gone\",\"attrs\":{\"plan\":\"a\"}}" "{\"status\":\"gone\",\"attrs\":{\"plan\":\"a\"}}" \
		"{\"status\":\"active\",\"attrs\":{\"plan\":\"b\"}}" "{\"status\":\"active\",\"attrs\":{\"plan\":\"b\"}}" |
		xo-score drivers -q -o churn --value status --positive gone --by attrs.plan --no-topics --min-n 1 >out &&
	test "$(jq -c "select(.rank == 1) | [.factor, .with, .without]" out)" = "[\"attrs.plan=a\",100,0]"
'

test_expect_success 'named journey patterns (xo-journey --annotate) are factors' '
	for i in 1 2 3; do
		echo "{\"churn\":true,\"matches\":[{\"pattern\":\"bounce\"},{\"pattern\":\"bounce\"}]}"
		echo "{\"churn\":false,\"matches\":[]}"
	done | xo-score drivers -q -o churn --no-topics --min-n 1 >out &&
	test "$(jq -c "[.factor, .kind, .n_with, .with, .without]" out)" = "[\"pattern:bounce\",\"pattern\",3,100,0]"
'

test_expect_code 2 'no --outcome' 'xo-score drivers </dev/null'
test_expect_code 2 'a bad --outcome' 'xo-score drivers -o joy </dev/null'
test_expect_code 2 'a bad topic file' 'printf "x\n" >t && xo-score drivers -o nps --topics t </dev/null'

test_done
