#!/bin/bash
# xo-journey under hostile input and faults: every bad line rejected with
# file, line and reason while the rest is used; patterns that backtrack
# forever stop at PCRE2's limit and are reported; hostile patterns files,
# unreadable inputs and a full disk end the run with their documented
# status and a message, the files it owns left as they were.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/hostile.sh"
. "$SRC/tests/fault.sh"
WRONG='{"ts":12,"id":"types","channel":{"a":1},"type":"x","xid":"x1"}'

# Line 10's huge integer is in a member xo-journey does not read: it is
# taken, as jansson-free readers take any JSON number they skip over.
test_expect_success 'hostile lines: each rejected with file, line and reason, the rest used' '
	good_events 11 ev && hostile_mix ev "$WRONG" in &&
	code=0; xo-journey --rejects rej in >out 2>err || code=$?
	test $code = 1 &&
	test "$(rejected_lines rej)" = "2 4 6 8 12 16 17" &&
	jq -r "\"\(.line) \(.reason)\"" rej >reasons &&
	cat >want <<-\EOF &&
	2 invalid JSON at column 2093: maximum parsing depth reached near '"'"'['"'"'
	4 invalid JSON at column 64: unable to decode byte 0xff near '"'"'"we'"'"'
	6 invalid JSON at column 37: NUL byte
	8 missing "channel"
	12 invalid JSON at column 10485760: invalid token
	16 "ts" is not a string
	17 invalid JSON at column 40: string or '"'"'}'"'"' expected near end of file
	EOF
	test_cmp want reasons &&
	grep -q "^xo-journey: in:16: rejected: \"ts\" is not a string$" err &&
	all_json out && test $(wc -l <out) = 3 &&
	test $(jq -s "map(.steps | length) | add" out) = 10
'
test_expect_success 'a pattern that backtracks forever: stopped at the limit, reported, status 1' '
	for i in $(seq 10 50); do
		printf "{\"ts\":\"2026-03-01T10:%02d:00Z\",\"id\":\"e%d\",\"channel\":\"web\",\"type\":\"x\",\"xid\":\"x1\"}\n" $i $i
	done >in &&
	echo "{\"ts\":\"2026-03-01T11:00:00Z\",\"id\":\"y\",\"channel\":\"web\",\"type\":\"x\",\"xid\":\"x2\"}" >>in &&
	echo "{\"ts\":\"2026-03-01T11:01:00Z\",\"id\":\"z\",\"channel\":\"web\",\"type\":\"y\",\"xid\":\"x2\"}" >>in &&
	code=0; xo-journey --match "^((web:x ?)+)+(web:y|web:z)" in >out 2>err || code=$?
	test $code = 1 &&
	grep -q "^xo-journey: xid \"x1\": pattern ^((web:x ?)+)+(web:y|web:z): regex match limit hit (catastrophic backtracking?); its matches are incomplete$" err &&
	grep -q "^xo-journey: 1 pattern matches stopped by the match limit$" err &&
	jq -r .xid out >xids && echo x2 >want && test_cmp want xids
'
test_expect_success 'hostile patterns files: status 2 naming file and line, and never a 10 MB message' '
	good_events 3 in &&
	printf "[pattern a]\nregex = web:x\000\n" >p1 &&
	printf "[pattern a]\nregex = (\n" >p2 &&
	{ printf "[pattern a]\nregex = "; mb 10 x; echo; } >p3 &&
	for p in p1 p2 p3; do
		code=0; xo-journey --patterns $p --pattern a in >out 2>err || code=$?
		test $code = 2 && test ! -s out && test $(wc -c <err) -lt 300 || exit 1
	done &&
	grep -q "^xo-journey: p3:1: bad pattern /x\{80\}\.\.\./: column 10485761: regular expression is too large$" err
'
test_expect_success 'unreadable inputs: status 3 naming the file, nothing written' '
	good_events 3 in && mkdir dir &&
	for bad in missing dir /proc/self/mem; do
		code=0; xo-journey in $bad >out 2>err || code=$?
		test $code = 3 && test ! -s out || exit 1
	done &&
	grep -q "^xo-journey: /proc/self/mem: read error: Input/output error$" err
'
test_expect_success 'a full disk: status 4, the reject file as it was' '
	good_events 3 ev && hostile_mix ev "$WRONG" in && echo old >rej &&
	code=0; at_fault full 1 xo-journey --rejects rej in >out 2>err || code=$?
	test $code = 4 && grep -q "^xo-journey: rej: write failed: No space left on device$" err &&
	test "$(cat rej)" = old && test -z "$(ls -A | grep "^\.")"
'
test_done
