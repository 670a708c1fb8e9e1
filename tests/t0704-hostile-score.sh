#!/bin/bash
# xo-score under hostile input and faults, every command: each bad line
# rejected with file, line and reason while the rest is used; hostile
# model, lexicon and topic files refused with status 2 naming the file;
# unreadable inputs, a full disk and patterns that backtrack forever
# handled with their documented status and a message.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/hostile.sh"
. "$SRC/tests/fault.sh"
S=$TESTDATA/score

# hostile COMMAND GOOD WRONG WANT: xo-score COMMAND over GOOD mixed with
# hostile lines (WRONG as line 16) rejects the lines WANT. (Lines 11 and
# 13 of the context case and 5 and 11 of the apply case are records of
# GOOD that are bad on purpose.)
hostile() {
	hostile_mix "$2" "$3" in &&
	code=0 && xo-score $1 --rejects rej in >out 2>err || code=$?
	test $code = 1 && test "$(rejected_lines rej)" = "$4" &&
	grep -q "^xo-score: in:2: rejected: invalid JSON at column 2093: maximum parsing depth reached" err
}
test_expect_success 'metrics: hostile lines rejected, the rest counted' '
	good_events 11 ev &&
	hostile metrics ev "{\"ts\":\"2026-03-01T10:00:00Z\",\"cx\":{\"nps\":\"ten\"}}" "$HOSTILE_BAD" &&
	grep -q "^xo-score: in:16: rejected: cx.nps is not a number$" err &&
	all_json out && test "$(jq .nps.n out)" = 9
'
test_expect_success 'text: hostile lines rejected, the rest annotated (the 10 MB text too)' '
	good_events 11 ev &&
	hostile text ev "{\"ts\":\"2026-03-01T10:00:00Z\",\"text\":7}" "$HOSTILE_BAD" &&
	grep -q "^xo-score: in:16: rejected: text is not a string$" err &&
	all_json out && test $(jq -r .sentiment.label out | wc -l) = 9
'
test_expect_success 'context: hostile lines rejected, the rest scored' '
	hostile context $S/journeys.ndjson "{\"xid\":\"W\",\"steps\":\"many\"}" "2 4 6 8 10 11 12 13 16 17" &&
	grep -q "^xo-score: in:16: rejected: not a journey record: no \"steps\" array$" err &&
	all_json out && test $(wc -l <out) = 7
'
test_expect_success 'train: hostile lines rejected, the model made from the rest' '
	head -40 $S/churn.ndjson >good &&
	hostile "train -y churn -x context.tenure_days,attrs.plan:cat -m m.json --min-count 1" good \
		"{\"xid\":\"W\",\"churn\":\"maybe\"}" "$HOSTILE_BAD" &&
	grep -q "^xo-score: in:16: rejected: churn: not a binary label (true/false, 1/0, yes/no; or use --positive)$" err &&
	jq -e ".format == \"xo-model\"" m.json >/dev/null
'
test_expect_success 'apply: hostile lines rejected, the rest predicted' '
	hostile "apply -m $S/model-hand.json" $S/apply-hand.ndjson "{\"id\":9,\"x\":\"abc\"}" \
		"2 4 5 6 8 10 11 12 16 17" &&
	grep -q "^xo-score: in:16: rejected: x: not a number$" err &&
	all_json out && test $(jq -r .prediction.p out | wc -l) = 7
'
test_expect_success 'drivers: hostile lines rejected' '
	head -40 $S/churn.ndjson >good &&
	hostile "drivers -o churn" good "{\"xid\":\"W\",\"churn\":\"maybe\"}" "$HOSTILE_BAD" &&
	grep -q "^xo-score: in:16: rejected: churn: not a binary outcome$" err
'
test_expect_success 'hostile model files: status 2 naming the file, nothing written' '
	head -c 200 $S/model-hand.json >cut.json &&
	printf "{\"a\":%s}" "$(deep 100000)" >deep.json &&
	printf "{\"x\":1}\000" >nul.json &&
	jq -c ".columns[0].weight = \"x\"" $S/model-hand.json >types.json &&
	jq -c ".version = 99" $S/model-hand.json >newer.json &&
	for m in cut deep nul types newer; do
		code=0; xo-score apply -m $m.json $S/apply-hand.ndjson >out 2>err.$m || code=$?
		test $code = 2 && test ! -s out || exit 1
	done &&
	grep -q "^xo-score: cut.json:10: premature end of input" err.cut &&
	grep -q "^xo-score: deep.json:1: maximum parsing depth reached" err.deep &&
	grep -q "^xo-score: types.json: not an xo model: a bad entry in \"columns\"$" err.types &&
	grep -q "^xo-score: newer.json: not an xo model: version is not 1 (made by a newer xo?)$" err.newer
'
test_expect_success 'hostile lexicon and topic files: status 2 naming file and line' '
	printf "@lang en\ngood\t2\nbad\000\t-2\n" >nul.lex &&
	printf "@lang en\ngood\t1e400\n" >huge.lex &&
	printf "a\t(\n" >bad.topics &&
	code=0; xo-score text --lexicon nul.lex $S/verbatims.ndjson >out 2>err || code=$?
	test $code = 2 && grep -q "^xo-score: nul.lex:3: NUL byte in line$" err &&
	code=0; xo-score text --lexicon huge.lex $S/verbatims.ndjson >out 2>err || code=$?
	test $code = 2 && grep -q "^xo-score: huge.lex:2: valence must be a number from -4 to 4$" err &&
	code=0; xo-score text --topics bad.topics $S/verbatims.ndjson >out 2>err || code=$?
	test $code = 2 && grep -q "^xo-score: bad.topics:1: bad pattern: column 2: missing closing parenthesis$" err
'
test_expect_success 'a topic pattern that backtracks forever: topics left out, ten named, status 1' '
	printf "slow\t^(x+x+)+(y|z)\nok\txxy\n" >t.topics &&
	for i in $(seq 1 12); do
		printf "{\"text\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxw\"}\n"
	done >in && echo "{\"text\":\"xxy\"}" >>in &&
	code=0; xo-score text --topics t.topics in >out 2>err || code=$?
	test $code = 1 && test $(wc -l <out) = 13 &&
	test $(grep -c "t.topics:1: topic slow: regex match limit hit (catastrophic backtracking?)" err) = 10 &&
	grep -q "^xo-score: 12 texts whose topics may be incomplete: a topic pattern hit the match limit$" err &&
	tail -1 out | jq -e ".topics == [\"slow\", \"ok\"]" >/dev/null
'
test_expect_success 'unreadable inputs: status 3 naming the file, for every command' '
	mkdir dir &&
	for c in metrics text context "train -y churn -x a -m m.json" "apply -m $S/model-hand.json" \
		 "drivers -o churn"; do
		for bad in missing dir /proc/self/mem; do
			code=0; xo-score $c $bad >out 2>err || code=$?
			test $code = 3 && test ! -s out || exit 1
		done
	done &&
	grep -q "^xo-score: /proc/self/mem: read error: Input/output error$" err && test ! -e m.json
'
test_expect_success 'a full disk: status 4; the model and rejects files as they were' '
	good_events 3 ev && hostile_mix ev "{}" in &&
	code=0; xo-score text in >/dev/full 2>err || code=$?
	test $code = 4 && grep -q "write error.*No space left on device" err &&
	echo old >m.json && echo old >rej &&
	code=0; at_fault full 1 xo-score train -y churn -x context.tenure_days -m m.json $S/churn.ndjson >out 2>err || code=$?
	test $code = 4 && grep -q "^xo-score: m.json: write failed: No space left on device$" err &&
	code=0; at_fault full 1 xo-score text --rejects rej in >out 2>err || code=$?
	test $code = 4 && test "$(cat m.json rej)" = "$(printf "old\nold")" &&
	test -z "$(ls -A | grep "^\.")"
'
test_done
