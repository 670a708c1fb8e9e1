#!/bin/bash
# xo-score apply: probability and top contributing features.
# testdata/score/model-hand.json, written by hand: intercept -0.2;
# x (num, mean 10, sd 5, weight 0.5); plan (cat: gold -1.0 with training
# share 0.25, basic 0.8 with share 0.75). The plan baseline is
# -(-1.0 .25 + .8 .75) = -0.35.
#   id 1, x 20, basic: z = -0.2 + 0.5 (20-10)/5 + 0.8 = 1.6, p = 0.8320;
#      contributions x 0.5 2 = 1.0, plan -0.35 + 0.8 = 0.45.
#   id 2, gold, no x: z = -0.2 - 1.0 = -1.2, p = 0.2315; plan -1.35: no
#      positive contribution, top empty.
#   id 3, x "abc": rejected.
#   id 4, x "7.5", platinum (unseen, no (other)): z = -0.2 + 0.5 (-0.5)
#      = -0.45, p = 0.3894.
. "$(dirname "$0")/lib.sh"
M=$TESTDATA/score/model-hand.json
IN=$TESTDATA/score/apply-hand.ndjson

test_expect_success 'hand-computed probabilities and contributions' '
	{ xo-score apply -q -m "$M" "$IN" >out; test $? = 1; } &&
	jq -c "[.id, .prediction.p, .prediction.top]" out >got &&
	cat >want <<-\EOT &&
	[1,0.832,[{"feature":"x","value":20,"c":1},{"feature":"plan","value":"basic","c":0.45}]]
	[2,0.2315,[]]
	[4,0.3894,[]]
	EOT
	test_cmp want got
'

test_expect_success 'the reject names the feature' '
	{ xo-score apply -m "$M" --rejects rej "$IN" >/dev/null 2>err; test $? = 1; } &&
	test "$(jq -c "[.line, .reason]" rej)" = "[3,\"x: not a number\"]" &&
	grep -q "apply-hand.ndjson:3: rejected: x: not a number" err
'

test_expect_success '--field, --top 1, --digits 2' '
	head -1 "$IN" | xo-score apply -q -m "$M" --field risk --top 1 --digits 2 >out &&
	test "$(jq -c .risk out)" = "{\"p\":0.83,\"label\":\"churn\",\"top\":[{\"feature\":\"x\",\"value\":20,\"c\":1}]}"
'

test_expect_success 'train then apply: the model file round-trips' '
	xo-score train -q -y churn -x "context.contacts_30d,attrs.plan:cat,topics:set" -m m.json \
		--split-field split "$TESTDATA/score/churn.ndjson" >/dev/null &&
	head -3 "$TESTDATA/score/churn.ndjson" | xo-score apply -q -m m.json >out &&
	test "$(wc -l <out)" = 3 &&
	jq -e ".prediction.p > 0 and .prediction.p < 1" out >/dev/null
'

test_expect_code 2 'a model file that is not JSON' 'echo "{" >m.json && xo-score apply -m m.json </dev/null'
test_expect_code 2 'a model of a newer version' '
	jq ".version = 2" "$M" >m.json && xo-score apply -m m.json </dev/null
'
test_expect_code 2 'a column that does not fit its feature' '
	jq ".columns[0].level = \"gold\"" "$M" >m.json && xo-score apply -m m.json </dev/null
'
test_expect_code 2 'apply without --model' 'xo-score apply </dev/null'
test_expect_code 2 'a missing model file' 'xo-score apply -m nope.json </dev/null'

test_done
