#!/bin/bash
# --shard I/N in the tools after xo-merge: N processes write between them
# what one process writes, every customer in exactly one shard, and a
# line that cannot be used is rejected once (by its customer's shard, or
# by shard 0 when it has no readable xid), not once per shard.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey

# split N COMMAND...: the COMMAND run once and as N shards; its records
# and its rejects must be the same either way.
split() {
	local n=$1 i; shift
	{ "$@" --rejects one.rej >one.out || test $? = 1; } &&
	for ((i = 0; i < n; i++)); do
		{ "$@" --shard $i/$n --rejects part.rej.$i >part.out.$i || test $? = 1; } || return 1
	done &&
	sort one.out >want && sort part.out.* >got && test_cmp want got &&
	test -s one.rej && sort one.rej >want && sort part.rej.* >got && test_cmp want got &&
	test "$(for ((i = 0; i < n; i++)); do test -s part.out.$i && echo $i; done | wc -l)" -ge 2
}

test_expect_success 'xo-journey: 3 shards, journeys and rejects as one process' '
	cat "$J/shop.ndjson" "$J/bad.ndjson" "$J/episodes.ndjson" >in &&
	split 3 xo-journey -q in
'
test_expect_success 'xo-journey --sorted: 3 shards, journeys and rejects as one process' '
	cat "$J/shop.ndjson" "$J/bad.ndjson" "$J/episodes.ndjson" >in &&
	split 3 xo-journey -q --sorted in
'
test_expect_success 'xo-score context: 4 shards as one process' '
	{ cat "$TESTDATA/score/journeys.ndjson"; echo "{not json"; echo "{\"no\":\"xid\"}"; } >in &&
	split 4 xo-score context -q in
'
test_expect_success 'xo-decide: 4 shards as one process' '
	{ cat "$TESTDATA/decide/journeys.ndjson"; echo "[1]"; echo "{\"xid\":3}"; } >in &&
	split 4 xo-decide -q --no-trace -r "$TESTDATA/decide/example.rules" in
'

test_done
