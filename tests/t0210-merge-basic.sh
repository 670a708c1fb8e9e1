#!/bin/bash
# xo-merge: deterministic linking of identifiers, transitively, and xids.
. "$(dirname "$0")/lib.sh"
IN=$TESTDATA/merge/basic.ndjson

# Checked by hand: Anna's events (5a1c...) share an email, then a phone,
# then customer C-1001 (formats and case differ); Bruno's (b7e2...) join
# through the phone and the app login, whose device also makes the later
# device-only event his; Carla has two; the two web visits without an
# identifier are a customer each. Every event is unchanged but for
# "xid" at the end (the repeated 5a1c...4003 row too).
test_expect_success 'events get the xid of their customer' '
	xo-merge $IN >actual 2>err &&
	test_cmp "$EXPECT/merge/basic.ndjson" actual &&
	test_cmp "$EXPECT/merge/basic.stderr" err
'

# Each xid is "x" and the smallest SipHash of KIND NUL VALUE over the
# customer: worked out by merge-siphash.py, written apart from lib/hash.c.
test_expect_success 'an xid is the smallest hash of its identifiers' '
	"$SRC/tests/merge-siphash.py" email:anna.rossi@libero.it phone:+393475550192 \
		customer:C-1001 | sort | head -1 | cut -c1-16 >want &&
	xo-merge -q $IN | jq -r "select(.id == \"5a1c0e7d2b9f4001\") | .xid" | cut -c2- >got &&
	test_cmp want got &&
	"$SRC/tests/merge-siphash.py" @event:e0b5c7d38f2a8001 | cut -c1-16 | sed "s/^/x/" >want &&
	xo-merge -q $IN | jq -r "select(.id == \"e0b5c7d38f2a8001\") | .xid" >got &&
	test_cmp want got
'

test_expect_success 'the same xids whatever the order of the input' '
	grep . $IN | tac | xo-merge -q | jq -c "[.id, .xid]" | sort >reversed &&
	jq -c "[.id, .xid]" "$EXPECT/merge/basic.ndjson" | sort >want &&
	test_cmp want reversed
'

test_expect_success 'standard input, "-" and several files' '
	xo-merge -q <$IN >stdin &&
	test_cmp "$EXPECT/merge/basic.ndjson" stdin &&
	head -3 $IN >one && tail -n +4 $IN >two &&
	xo-merge -q one - <two >split &&
	test_cmp "$EXPECT/merge/basic.ndjson" split
'

# Without device among the keys, the app event with only a device is
# on its own (its own event node), and Bruno'"'"'s smallest hash is then
# his phone'"'"'s.
test_expect_success '--keys: only those kinds link' '
	xo-merge -q --keys email,phone,customer $IN >actual &&
	test "$(jq -r "select(.id == \"d9a4b6c27e1f7001\") | .xid" actual)" = xbf086381dbc515d7 &&
	test "$(jq -r "select(.id == \"b7e2d9c41f0a5003\") | .xid" actual)" = x48dbbe73cfaeb94d &&
	test "$(jq -r .xid actual | sort -u | wc -l)" = 6
'

test_expect_success '--keys with a bad kind is a usage error' '
	test "$(code_of xo-merge --keys "email,ph one" $IN)" = 2
'

test_expect_success 'an event that already has an xid gets the new one in its place' '
	printf "%s\n" "{\"ts\":\"2026-02-01T00:00:00Z\",\"id\":\"0123456789abcdef\",\"xid\":\"xold\",\"ids\":{\"customer\":\"C-9\"},\"n\":1}" |
		xo-merge -q >actual &&
	echo "{\"ts\":\"2026-02-01T00:00:00Z\",\"id\":\"0123456789abcdef\",\"xid\":\"$(xo-merge -q <<<"{\"ts\":\"2026-02-01T00:00:00Z\",\"id\":\"0123456789abcdef\",\"ids\":{\"customer\":\"C-9\"}}" | jq -r .xid)\",\"ids\":{\"customer\":\"C-9\"},\"n\":1}" >want &&
	test_cmp want actual
'

test_expect_success 'an empty input gives nothing' '
	xo-merge -q </dev/null >actual &&
	test ! -s actual
'

test_expect_success '-q: no summary' '
	xo-merge -q $IN >/dev/null 2>err &&
	test ! -s err
'

test_done
