#!/bin/bash
# xo-merge: the guards against over-merging (placeholders, --max-degree,
# --max-cluster), each reported on stderr and in --report.
. "$(dirname "$0")/lib.sh"
IN=$TESTDATA/merge/guards.ndjson
OPTS="--ignore $TESTDATA/merge/ignore.txt --max-degree 3 --max-cluster 4"

# Checked by hand: the first twelve events share only placeholders
# ("unknown", +390000000000, noreply@, N/A from the built-in list,
# test.*@negozio.it and C-0000 from ignore.txt), so each is a customer of
# its own; famiglia.rossi@libero.it is linked to 4 phones, over 3, so
# the four app logins stay apart; the last four make one customer of 5
# identifiers (C-5001, marco.conti@, the phone, C-5002, the device),
# over --max-cluster 4, which is reported but not split.
test_expect_success 'guards: events' '
	xo-merge -q $OPTS $IN >actual &&
	test_cmp "$EXPECT/merge/guards.ndjson" actual &&
	test "$(jq -r .xid actual | sort -u | wc -l)" = 17
'

test_expect_success 'guards: the report lists every guard that fired' '
	xo-merge -q $OPTS --report report $IN >/dev/null &&
	test_cmp "$EXPECT/merge/guards.report" report
'

test_expect_success 'guards: the summary on stderr names them' '
	xo-merge $OPTS $IN 2>err >/dev/null &&
	test_cmp "$EXPECT/merge/guards.stderr" err
'

test_expect_success 'without the limits the family e-mail joins its four phones' '
	xo-merge -q --ignore $TESTDATA/merge/ignore.txt $IN >actual &&
	test "$(jq -r "select(.id | startswith(\"2\")) | .xid" actual | sort -u | wc -l)" = 1
'

test_expect_success 'without the ignore file its values link' '
	xo-merge -q $IN >actual &&
	test "$(jq -r "select(.id == \"1000000000000009\" or .id == \"100000000000000a\") | .xid" actual |
		sort -u | wc -l)" = 1
'

test_expect_success '--no-builtin-ignore: "unknown" links again' '
	xo-merge -q --no-builtin-ignore $IN >actual &&
	test "$(jq -r "select(.id == \"1000000000000001\" or .id == \"1000000000000002\") | .xid" actual |
		sort -u | wc -l)" = 1
'

test_expect_success '--max-degree 0 and --max-cluster 0 turn the limits off' '
	xo-merge -q --max-degree 0 --max-cluster 0 --report report $IN >/dev/null &&
	test "$(grep -c "max-" report)" = 0
'

test_expect_code 3 'an ignore file that cannot be read' '
	xo-merge --ignore no-such-file $IN
'

test_expect_success 'a bad line in an ignore file names file and line' '
	printf "# ok\nunknown\nemail:\n" >bad.txt &&
	test "$(code_of xo-merge --ignore bad.txt $IN)" = 2 &&
	{ xo-merge --ignore bad.txt $IN 2>err || true; } &&
	grep -q "bad.txt:3: an empty pattern" err
'

test_expect_success 'the guard report is the same whatever the input order' '
	grep . $IN | tac | xo-merge -q $OPTS --report report >/dev/null &&
	test_cmp "$EXPECT/merge/guards.report" report
'

test_done
