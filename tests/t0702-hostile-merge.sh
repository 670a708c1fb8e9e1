#!/bin/bash
# xo-merge under hostile input and faults: every bad line is rejected
# with file, line and reason while the rest is used; unreadable inputs,
# a full disk and a damaged state end the run with their documented
# status and a message, the state and the files it owns left as they
# were. (Locked and newer states: t0215; kills: t0216, t0710.)
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/hostile.sh"
. "$SRC/tests/fault.sh"
M=$TESTDATA/merge
WRONG='{"ts":12,"id":"types","channel":{"a":1},"ids":{"email":["a@b.it"]},"xid":"x1"}'

test_expect_success 'hostile lines: each rejected with file, line and reason, the rest used' '
	good_events 11 ev && hostile_mix ev "$WRONG" in &&
	code=0; xo-merge --rejects rej in >out 2>err || code=$?
	test $code = 1 &&
	test "$(rejected_lines rej)" = "$HOSTILE_BAD" &&
	jq -r "\"\(.line) \(.reason)\"" rej >reasons &&
	cat >want <<-\EOF &&
	2 invalid JSON at column 2093: nesting too deep
	4 invalid JSON at column 65: invalid UTF-8 in a string
	6 invalid JSON at column 37: control character in a string
	8 invalid JSON at column 68: real number overflow near '"'"'1e400'"'"'
	10 invalid JSON at column 35: too big integer
	12 invalid JSON at column 1: expected a JSON object
	16 no "ts" string
	17 invalid JSON at column 41: expected a string key
	EOF
	test_cmp want reasons &&
	grep -q "^xo-merge: in:4: rejected: invalid JSON at column 65: invalid UTF-8 in a string$" err &&
	test -n "$(jq -r "select(.line == 4) | .raw_base64 // empty" rej)" &&
	all_json out && test $(wc -l <out) = 9 &&
	test $(jq -r .xid out | grep -c "^x[0-9a-f]\{16\}$") = 9 &&
	test "$(jq -r "select(.pad) | .pad | length" out)" = 10485760
'
test_expect_success 'hostile lines with a state: the good events are counted, the state is whole' '
	good_events 11 ev && hostile_mix ev "$WRONG" in &&
	{ xo-merge -q --state st.db --profiles=p in >out || test $? = 1; } &&
	test "$(sqlite3 st.db "select count(*) from seen_event")" = 9 &&
	test "$(sqlite3 st.db "pragma integrity_check")" = ok && all_json p
'
test_expect_success 'unreadable inputs: status 3 naming the file, nothing written, the state unchanged' '
	xo-merge -q --state st.db $M/day1.ndjson >/dev/null && sqlite3 st.db .dump >before &&
	mkdir dir &&
	for bad in missing dir /proc/self/mem; do
		code=0; xo-merge --state st.db $M/day2.ndjson $bad >out 2>err || code=$?
		test $code = 3 && test ! -s out || exit 1
		sqlite3 st.db .dump >after && test_cmp before after || exit 1
	done &&
	grep -q "^xo-merge: /proc/self/mem: read error: Input/output error$" err
'
test_expect_success 'a full disk: status 4, the files it owns and the state as they were' '
	xo-merge -q --state st.db $M/day1.ndjson >/dev/null && sqlite3 st.db .dump >before &&
	echo old >p && echo old >rep &&
	code=0; xo-merge --state st.db $M/day2.ndjson >/dev/full 2>err || code=$?
	test $code = 4 && grep -q "write error.*No space left on device" err &&
	code=0; at_fault full 1 xo-merge --state st.db --profiles=p --report rep $M/day2.ndjson >out 2>err || code=$?
	test $code = 4 && grep -q "No space left on device" err &&
	test "$(cat p rep)" = "$(printf "old\nold")" &&
	sqlite3 st.db .dump >after && test_cmp before after &&
	test -z "$(ls -A | grep "^\.")"
'
test_expect_success 'a damaged state: status 5 with a message, the file left alone' '
	xo-merge -q --state st.db $M/day1.ndjson >/dev/null &&
	head -c 8192 /dev/urandom >random.db && head -c 20000 st.db >cut.db &&
	printf "SQLite format 3\000" >header.db &&
	for db in random.db cut.db header.db; do
		cp $db keep && code=0 &&
		xo-merge --state $db $M/day2.ndjson >out 2>err || code=$?
		test $code = 5 && test ! -s out && cmp -s keep $db &&
		grep -q "^xo-merge: $db: cannot read xo-merge state: .*(the file is damaged or not a state file; restore it from a backup)$" err || exit 1
	done
'
test_expect_success 'an extract pattern that backtracks forever: values left empty, counted, status 1' '
	printf "field name attrs.name extract=^(x+x+)+(y|z)\nfield city attrs.city\nblock city\ncompare name\n\texact\n\telse\n" >slow.spec &&
	for i in 1 2 3; do
		printf "{\"ts\":\"2026-03-01T10:00:00Z\",\"id\":\"%016x\",\"attrs\":{\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxw\",\"city\":\"Roma\"}}\n" $i
	done >in &&
	code=0; xo-merge --spec slow.spec in >out 2>err || code=$?
	test $code = 1 && test $(wc -l <out) = 3 &&
	grep -q "^xo-merge: 3 linkage field values left empty: an extract pattern hit the match limit$" err
'
test_expect_success 'hostile linkage specs and ignore files: status 2 naming file and line' '
	printf "field a attrs.a\nblock a\ncompare a\n\texact\n\telse\nthreshold 1e400\n" >s1 &&
	printf "field a attrs.a\000\nblock a\n" >s2 &&
	printf "unknown\n\000x\n" >i1 &&
	code=0; xo-merge --spec s1 $M/people.ndjson >out 2>err || code=$?
	test $code = 2 && grep -q "^xo-merge: s1:6: threshold: expected a number from 1e-09 to 1, not \"1e400\"$" err &&
	code=0; xo-merge --spec s2 $M/people.ndjson >out 2>err || code=$?
	test $code = 2 && grep -q "^xo-merge: s2:1: a NUL byte$" err &&
	code=0; xo-merge --ignore i1 $M/day1.ndjson >out 2>err || code=$?
	test $code = 2 && grep -q "^xo-merge: i1:2: a NUL byte in a pattern$" err && test ! -s out
'
test_done
