#!/bin/bash
# xo-decide as a Unix citizen: --help agrees with the man page, man
# pages lint clean, usage errors, EPIPE, and --unbuffered streaming
# writes each decision before the next record arrives.
. "$(dirname "$0")/lib.sh"

R=$TESTDATA/decide/example.rules
J=$TESTDATA/decide/journeys.ndjson

test_expect_success '--help on stdout, exit 0; --version' '
	xo-decide --help >out && grep -q "^Usage: xo-decide --rules FILE" out &&
	xo-decide --version >v && grep -q "^xo-decide (xo) " v
'

test_expect_success 'man pages are mandoc -Tlint clean' '
	for m in xo-decide.1 xo-rules.5 xo-expr.7; do
		mandoc -Tlint -W warning "$SRC/man/$m" || exit 1
	done
'

test_expect_success 'every long option of --help is in the man page, and back' '
	xo-decide --help | grep -o -- "--[a-z][a-z-]*" | sort -u >help &&
	grep -o "Fl -[a-z][a-z-]*" "$SRC/man/xo-decide.1" | sed "s/^Fl /-/" | sort -u >man &&
	test_cmp help man
'

test_expect_code 2 'no rules is a usage error' 'echo "{}" | xo-decide'
test_expect_code 2 'an unknown option' 'xo-decide --frobnicate'
test_expect_code 2 'a bad --top' 'xo-decide -r "$R" --top 0 </dev/null'
test_expect_code 2 'a bad --as-of' 'xo-decide -r "$R" --as-of yesterday </dev/null'
test_expect_code 2 '--export outside review' 'xo-decide -r "$R" --export </dev/null'
test_expect_code 2 'a bad --eval expression' 'xo-decide --eval "1 +" </dev/null'
test_expect_code 3 'an input that cannot be read' 'xo-decide -r "$R" nope.ndjson'

test_expect_success 'a closed pipe ends it quietly' '
	for i in $(seq 1 3000); do cat "$J"; done >big &&
	xo-decide -q -r "$R" big 2>err | head -1 >out &&
	test -s out && test ! -s err
'

test_expect_code 4 'a full disk is an output error' '
	rc=0; xo-decide -q -r "$R" "$J" >/dev/full 2>err || rc=$?
	grep -q "write error" err || exit 99
	exit $rc
'

test_expect_success '--unbuffered: each decision as soon as its record is read' '
	mkfifo in || exit 1
	xo-decide -q --unbuffered -r "$R" -s st.db <in >out &
	pid=$!
	exec 7>in
	head -1 "$J" >&7
	wait_until test -s out
	test "$(wc -l <out)" = 1 &&
	sed -n 2p "$J" >&7 &&
	wait_until has_lines out 2
	test "$(wc -l <out)" = 2 &&
	exec 7>&- && wait $pid &&
	test "$(jq -r .xid out | tr "\n" " ")" = "C1001 C1002 "
'

test_expect_success 'records from several files and stdin ("-")' '
	sed -n 1p "$J" >a && sed -n 2p "$J" >b &&
	sed -n 3p "$J" | xo-decide -q -r "$R" --no-trace a - b | jq -r .xid | tr "\n" " " >out &&
	test "$(cat out)" = "C1001 C1003 C1002 "
'

test_expect_success '--shard I/N: four shards into one state decide what one run decides' '
	rm -f one.db four.db && export XO_NOW=2026-03-15T12:00:00Z &&
	{ xo-decide -q -r "$R" -s one.db "$J" || test $? = 1; } | sort >one &&
	for i in 0 1 2 3; do
		{ xo-decide -q -r "$R" -s four.db --shard $i/4 "$J" || test $? = 1; } >part.$i || return 1
	done &&
	sort part.* >four && test_cmp one four &&
	test "$(jq -r .xid part.* | sort | uniq -d)" = "" &&
	test "$(for i in 0 1 2 3; do test -s part.$i && echo $i; done | wc -l)" -ge 2 &&
	Q="select xid, ts, action, channel, grp, status, decision_id from contact order by 1, 2, 3" &&
	sqlite3 one.db "$Q" >c1 && sqlite3 four.db "$Q" >c4 && test -s c1 && test_cmp c1 c4 &&
	{ xo-decide -q -r "$R" --shard 0/1 "$J" || test $? = 1; } | sort >all && test_cmp one all &&
	code=0; xo-decide -q -r "$R" --shard 4/4 "$J" >out 2>err || code=$?
	test $code = 2 && grep -q "shard: expected I/N" err && test ! -s out
'

test_done
