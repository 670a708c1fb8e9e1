#!/bin/bash
# xo-merge: bad input, rejects, exit codes, the command line.
. "$(dirname "$0")/lib.sh"
IN=$TESTDATA/merge/bad.ndjson

# Checked by hand: lines 2-9 are unusable (a cut line, a CSV header, an
# array, no ts, a ts not in RFC 3339, no id, ids an array, an id value
# that is an object); line 10's customer number 1042 (a JSON number) is
# line 11's "1042", so they are one customer; line 1 is another.
test_expect_success 'bad events are rejected with file, line and reason' '
	cp $IN bad.ndjson &&
	test "$(code_of xo-merge -q --rejects rejects bad.ndjson)" = 1 &&
	{ xo-merge -q --rejects rejects bad.ndjson >actual || true; } &&
	test_cmp "$EXPECT/merge/bad.ndjson" actual &&
	test_cmp "$EXPECT/merge/bad.rejects" rejects
'

test_expect_success 'rejects are named on stderr, the first ten' '
	cp $IN bad.ndjson &&
	{ xo-merge bad.ndjson >/dev/null 2>err || true; } &&
	grep -q "bad.ndjson:6: rejected: invalid \"ts\" \"01/03/2026 10:15\"" err &&
	grep -q "11 events (8 rejected, 0 repeated ids)" err
'

test_expect_success 'more than 64 identifiers in one event' '
	ids=$(seq 1 65 | sed "s/.*/\"k&\":\"v&\"/" | paste -sd,) &&
	echo "{\"ts\":\"2026-01-01T00:00:00Z\",\"id\":\"0000000000000001\",\"ids\":{$ids}}" >many &&
	test "$(code_of xo-merge many)" = 1
'

test_expect_success '--help and --version' '
	xo-merge --help >out && grep -q "^Usage: xo-merge" out &&
	grep -q -- "--max-degree N" out &&
	xo-merge --version >out && grep -q "^xo-merge (xo) " out
'

test_expect_success 'usage errors exit 2' '
	test "$(code_of xo-merge --no-such-option)" = 2 &&
	test "$(code_of xo-merge --max-degree -1 $IN)" = 2 &&
	test "$(code_of xo-merge --max-cluster x $IN)" = 2 &&
	test "$(code_of xo-merge --link a b)" = 2 &&
	test "$(code_of xo-merge --split 1)" = 2 &&
	test "$(code_of xo-merge --dry-run $IN)" = 2
'

test_expect_success 'an input that cannot be read exits 3' '
	test "$(code_of xo-merge no-such-file)" = 3 &&
	mkdir dir && test "$(code_of xo-merge dir)" = 3
'

test_expect_success 'output that cannot be written exits 4' '
	rc=0 && xo-merge -q $TESTDATA/merge/basic.ndjson >/dev/full || rc=$? &&
	test $rc = 4 &&
	test "$(code_of xo-merge -q --report /no/such/dir/r $TESTDATA/merge/basic.ndjson)" = 4
'

test_expect_success 'a reader that goes away ends the run quietly' '
	for i in $(seq 1 3000); do cat $TESTDATA/merge/basic.ndjson; done >big &&
	set -o pipefail &&
	xo-merge big 2>err | head -1 >first &&
	test -s first && ! grep -v "events" err
'

test_expect_success 'blank lines and CRLF line ends are fine' '
	grep . $TESTDATA/merge/basic.ndjson | sed "s/\$/\r/" | sed "G" >crlf &&
	xo-merge -q crlf >actual &&
	test_cmp "$EXPECT/merge/basic.ndjson" actual
'

test_done
