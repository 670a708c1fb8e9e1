#!/bin/bash
# xo-decide under hostile input and faults: bad record and profile lines
# rejected with file, line and reason while the rest is decided; hostile
# rules files refused with status 2 naming file, line and column; a
# damaged state, unreadable inputs and a full disk end the run with
# their documented status, the state and the files it owns whole.
# (Locked, foreign and newer states: t0505; kills and a full disk at
# every point of a run: t0711.)
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/hostile.sh"
. "$SRC/tests/fault.sh"
T=$TESTDATA/decide
R=$T/example.rules

# Line 15 is the record of journeys.ndjson without an xid (bad on purpose).
test_expect_success 'hostile records: each rejected with file, line and reason, the rest decided' '
	hostile_mix $T/journeys.ndjson "{\"xid\":12,\"steps\":\"x\",\"context\":[]}" in &&
	code=0; xo-decide -r $R --rejects rej in >out 2>err || code=$?
	test $code = 1 && test "$(rejected_lines rej)" = "2 4 6 8 10 12 15 16 17" &&
	grep -q "^xo-decide: in:16: rejected: \"xid\" is not a non-empty string$" err &&
	grep -q "^xo-decide: in:2: rejected: invalid JSON at column 2093: maximum parsing depth reached" err &&
	all_json out && test $(wc -l <out) = 8
'
test_expect_success 'hostile profiles (-p): each line rejected with its file and line' '
	hostile_mix $T/profiles.ndjson "{\"xid\":12}" prof &&
	code=0; xo-decide -r $R -p prof --rejects rej $T/journeys.ndjson >out 2>err || code=$?
	test $code = 1 &&
	jq -r "select(.file == \"prof\") | .line" rej | tr "\n" " " >lines &&
	test "$(cat lines)" = "2 4 6 8 10 12 16 17 " &&
	all_json out && test $(wc -l <out) = 10
'
test_expect_success 'hostile rules files: status 2 naming file, line and column; never a crash' '
	printf "action a\n    when true\000\n    channel email\n" >nul.rules &&
	printf "action \377a\n    when true\n    channel email\n" >utf.rules &&
	printf "policy\n    cap 1e400 per 7d\naction a\n    when true\n    channel email\n" >huge.rules &&
	{ printf "action a\n    when "; head -c 100000 /dev/zero | tr "\000" "("; printf 1;
	  head -c 100000 /dev/zero | tr "\000" ")"; printf " > 0\n    channel email\n"; } >deep.rules &&
	{ printf "action a\n    when "; for i in $(seq 1 5000); do printf "not "; done;
	  printf "true\n    channel email\n"; } >not.rules &&
	for r in nul utf huge deep not; do
		code=0; xo-decide -r $r.rules $T/journeys.ndjson >out 2>err.$r || code=$?
		test $code = 2 && test ! -s out || exit 1
	done &&
	grep -q "^xo-decide: nul.rules: a NUL byte in a rules file$" err.nul &&
	grep -q "^xo-decide: utf.rules:1:8: unexpected non-ASCII character$" err.utf &&
	grep -q "^xo-decide: huge.rules:2:9: number out of range$" err.huge &&
	grep -q "^xo-decide: deep.rules:2:210: expression nested too deeply (more than 200 levels)$" err.deep &&
	grep -q "^xo-decide: not.rules:2:810: expression nested too deeply (more than 200 levels)$" err.not
'
# A condition whose regex hits PCRE2's limit fails, and the trace of the
# record says why; the run goes on.
test_expect_success 'a rules regex that backtracks forever: the condition fails, the trace says why' '
	printf "action a\n    when attrs.s =~ \"^(x+x+)+(y|z)\"\n    channel email\naction b\n    when true\n    channel sms\n" >slow.rules &&
	printf "%s\n" "{\"xid\":\"A\",\"attrs\":{\"s\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxw\"}}" \
		"{\"xid\":\"B\",\"attrs\":{\"s\":\"xxy\"}}" >in &&
	xo-decide -q -r slow.rules in >out &&
	jq -r "[.xid, .decisions[0].action] | join(\" \")" out >got &&
	printf "A b\nB a\n" >want && test_cmp want got &&
	jq -r "select(.xid == \"A\") | .trace.failed[0].error" out >why &&
	echo "column 10: regex match limit hit (catastrophic backtracking?)" >want && test_cmp want why
'
test_expect_success 'a damaged state: status 5 with a message, the file left alone' '
	xo-decide -q -r $R -s st.db $T/journeys.ndjson >/dev/null || test $? = 1
	head -c 8192 /dev/urandom >random.db && head -c 10000 st.db >cut.db &&
	for db in random.db cut.db; do
		cp $db keep && code=0 &&
		xo-decide -r $R -s $db $T/journeys.ndjson >out 2>err || code=$?
		test $code = 5 && test ! -s out && cmp -s keep $db &&
		grep -q "^xo-decide: $db: .*(the file is damaged or not a state file; restore it from a backup)$" err || exit 1
	done
'
test_expect_success 'unreadable inputs: status 3 naming the file, the state unchanged' '
	{ xo-decide -q -r $R -s st.db $T/journeys.ndjson >/dev/null || test $? = 1; } &&
	sqlite3 st.db .dump >before && mkdir dir &&
	for bad in missing dir /proc/self/mem; do
		code=0; xo-decide -r $R -s st.db $bad >out 2>err || code=$?
		test $code = 3 && test ! -s out || exit 1
		sqlite3 st.db .dump >after && test_cmp before after || exit 1
	done &&
	grep -q "^xo-decide: /proc/self/mem: read error: Input/output error$" err
'
test_expect_success 'a full disk for the rejects: status 4, the old file kept' '
	echo old >rej &&
	code=0; at_fault full 1 xo-decide -r $R --rejects rej $T/journeys.ndjson >out 2>err || code=$?
	test $code = 4 && grep -q "^xo-decide: rej: write failed: No space left on device$" err &&
	test "$(cat rej)" = old && test -z "$(ls -A | grep "^\.")"
'
test_done
