#!/bin/bash
# xo-score train: LIBLINEAR logistic regression with one-hot categories,
# standardization, class weights and a holdout split, checked against an
# independent AUC computation and (when installed) scikit-learn.
. "$(dirname "$0")/lib.sh"
IN=$TESTDATA/score/churn.ndjson
SPEC='context.tenure_days,context.contacts_30d,context.repeat_contacts,context.open_issues,context.recency_days,score.health,attrs.plan:cat,attrs.region:cat,attrs.payment:cat,topics:set'

test_expect_success 'train on the split field: report and model file' '
	xo-score train -q -y churn -x "$SPEC" -m model.json --split-field split --min-count 1 "$IN" >report &&
	grep -q "^records 600: train 485 (33.2% positive), holdout 115 (41.7% positive)$" report &&
	grep -q "^holdout: AUC 0.82" report &&
	grep -q "^calibration:" report &&
	jq -e ".format == \"xo-model\" and .version == 1 and (.columns | length) == 25" model.json &&
	jq -e ".holdout.records == 115 and (.holdout.calibration | length) == 10" model.json
'

test_expect_success 'the holdout AUC and log-loss agree with a separate computation' '
	xo-score train -q -y churn -x "$SPEC" -m model.json --split-field split --min-count 1 -f json "$IN" >report.json &&
	jq -c "select(.split == \"test\")" "$IN" | xo-score apply -q -m model.json --top 0 --digits 10 |
		jq -r "[.prediction.p, (if .churn then 1 else 0 end)] | @tsv" >scored &&
	/usr/bin/python3 - report.json scored <<-\EOT
	import json, math, sys
	rep = json.load(open(sys.argv[1]))["holdout"]
	rows = [tuple(map(float, l.split())) for l in open(sys.argv[2])]
	pos = [p for p, y in rows if y == 1]
	neg = [p for p, y in rows if y == 0]
	# Mann-Whitney: pairs where the positive scores higher, ties one half.
	wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
	auc = wins / (len(pos) * len(neg))
	ll = -sum(math.log(p) if y else math.log(1 - p) for p, y in rows) / len(rows)
	assert abs(auc - rep["auc"]) < 1e-9, (auc, rep["auc"])
	assert abs(ll - rep["log_loss"]) < 1e-8, (ll, rep["log_loss"])
	EOT
'

test_expect_success 'same weights as scikit-learn liblinear on the same data (skipped without it)' '
	if ! /usr/bin/python3 -c "import sklearn, pandas" 2>/dev/null; then echo "# skip: no sklearn"; exit 0; fi
	xo-score train -q -y churn -x "$SPEC" -m model.json --split-field split --min-count 1 --tol 1e-10 -f json "$IN" >report.json &&
	score-sklearn-peer "$IN" 1 1e-10 >peer.json &&
	/usr/bin/python3 - model.json report.json peer.json <<-\EOT
	import json, sys
	m, r, p = (json.load(open(f)) for f in sys.argv[1:4])
	feats = m["features"]
	for c in m["columns"]:
	    name = feats[c["feature"]]["path"] + ("=" + c["level"] if c["level"] is not None else "")
	    assert abs(c["weight"] - p["weights"][name]) < 1e-5, (name, c["weight"], p["weights"][name])
	assert len(m["columns"]) == len(p["weights"])
	assert abs(m["intercept"] - p["intercept"]) < 1e-5
	assert abs(r["holdout"]["auc"] - p["auc"]) < 1e-6, (r["holdout"]["auc"], p["auc"])
	EOT
'

test_expect_success 'hash split: about 20% held out, the same on every run' '
	xo-score train -q -y churn -x "$SPEC" -m a.json -f json "$IN" >ra &&
	xo-score train -q -y churn -x "$SPEC" -m b.json -f json "$IN" >rb &&
	cmp a.json b.json &&
	n=$(jq .holdout.records ra) && test "$n" -gt 90 && test "$n" -lt 150 &&
	xo-score train -q -y churn -x "$SPEC" -m c.json --seed 2 -f json "$IN" >rc &&
	test "$(jq .holdout.records rc)" != "$n" || test "$(jq .holdout.auc rc)" != "$(jq .holdout.auc ra)"
'

test_expect_success 'balanced class weights raise the predicted positive rate' '
	xo-score train -q -y churn -x "$SPEC" -m a.json --split-field split -f json "$IN" >ra &&
	xo-score train -q -y churn -x "$SPEC" -m b.json --split-field split --class-weight balanced -f json "$IN" >rb &&
	test "$(jq -r .trained.class_weight rb)" = balanced &&
	test "$(jq ".intercept > $(jq .intercept a.json)" b.json)" = true
'

test_expect_success 'rare levels go to (other) with --min-count' '
	xo-score train -q -y churn -x "attrs.payment:cat" -m model.json --split-field split --min-count 40 "$IN" >/dev/null &&
	jq -r ".columns[].level" model.json | sort >got &&
	printf "%s\n" "(other)" card paypal sepa >want &&
	test_cmp want got
'

test_expect_success 'journey steps as counts, labels in several spellings, a missing label rejected' '
	{ xo-score train -y churn -x "steps[*].token:count" --holdout 0 --min-count 1 -m s.json \
		--rejects rej "$TESTDATA/score/steps-churn.ndjson" >report 2>err; test $? = 1; } &&
	grep -q "records 7: train 7 (42.9% positive)" report &&
	test "$(jq -r .reason rej)" = "no label at churn" &&
	jq -e "[.columns[].level] == [\"app:app.login\",\"email:email.reply\",\"phone:call.complaint\",\"web:web.pageview\"]" s.json &&
	jq -e "(.columns[0].mean * 7 - (2 | log) - (4 | log)) | fabs < 1e-12" s.json
'

test_expect_success '--positive names the value that means 1' '
	printf "%s\n" "{\"x\":1,\"s\":\"gone\"}" "{\"x\":2,\"s\":\"active\"}" "{\"x\":3,\"s\":\"gone\"}" "{\"x\":0,\"s\":\"paused\"}" |
		xo-score train -q -y s --positive gone -x x --holdout 0 -m m.json >report &&
	grep -q "records 4: train 4 (50.0% positive)" report
'

test_expect_code 3 'one class only: nothing to fit' '
	printf "%s\n" "{\"x\":1,\"y\":true}" "{\"x\":2,\"y\":true}" | xo-score train -q -y y -x x --holdout 0 -m m.json
'
test_expect_success 'and no model file is left behind' '
	printf "%s\n" "{\"x\":1,\"y\":true}" | { xo-score train -q -y y -x x --holdout 0 -m m.json || true; } &&
	test ! -e m.json && test -z "$(ls)"
'
test_expect_code 2 'train without --model' 'xo-score train -y churn -x x </dev/null'
test_expect_code 2 'an unknown feature type' 'xo-score train -y churn -x "a:weird" -m m.json </dev/null'
test_expect_code 2 '[*] on a num feature' 'xo-score train -y churn -x "steps[*].n" -m m.json </dev/null'
test_expect_code 2 'a feature named twice' 'xo-score train -y churn -x "a,b,a" -m m.json </dev/null'
test_expect_code 2 'bad --holdout' 'xo-score train -y churn -x a -m m.json --holdout 1.5 </dev/null'

test_expect_success 'a spec file with comments' '
	printf "# churn features\ncontext.contacts_30d   # contacts\nattrs.plan:cat\n\nattrs[\"region\"]:cat\n" >spec &&
	xo-score train -q -y churn -x @spec -m model.json --split-field split "$IN" >/dev/null &&
	jq -e "[.features[].path] == [\"context.contacts_30d\",\"attrs.plan\",\"attrs[\\\"region\\\"]\"]" model.json
'

test_expect_success 'a bad value is rejected with its reason, the rest trains' '
	{ { cat "$IN"; echo "{\"xid\":\"bad\",\"context\":{\"contacts_30d\":\"many\"},\"churn\":true}"; } |
		xo-score train -q -y churn -x context.contacts_30d -m m.json --rejects rej >/dev/null; test $? = 1; } &&
	test "$(jq -r .reason rej)" = "context.contacts_30d: not a number" &&
	test -s m.json
'

test_done
