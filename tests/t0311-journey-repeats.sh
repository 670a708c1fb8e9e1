#!/bin/bash
# The same event read twice (an export ingested twice, a repeated row)
# is one step of the journey; events that only share an id are two.
. "$(dirname "$0")/lib.sh"

ev() { printf '{"ts":"%s","id":"%s","source":"%s","channel":"web","type":"%s","xid":"x1"}\n' "$@"; }

test_expect_success 'a repeated event is one step, and the summary says so' '
	{ ev 2026-03-01T10:00:00Z 00000000000000aa s web.visit
	  ev 2026-03-01T11:00:00Z 00000000000000bb s web.cart
	  ev 2026-03-01T10:00:00Z 00000000000000aa s web.visit; } >in.ndjson &&
	xo-journey in.ndjson >out 2>err &&
	jq -r ".steps[].type" out >types && printf "web.visit\nweb.cart\n" >want && test_cmp want types &&
	grep -q "1 repeated events (an id seen before) counted once" err
'
test_expect_success 'one id on different events (another source, another type) is kept twice' '
	{ ev 2026-03-01T10:00:00Z 00000000000000aa s web.visit
	  ev 2026-03-01T10:00:00Z 00000000000000aa s2 web.visit
	  ev 2026-03-01T10:00:00Z 00000000000000aa s web.cart; } >in.ndjson &&
	xo-journey in.ndjson >out 2>err &&
	jq ".steps | length" out >n && echo 3 >want && test_cmp want n && ! grep -q repeated err
'
test_expect_success 'an export ingested twice gives the journeys of one' '
	xo-ingest -q -p survey --default-country IT "$TESTDATA/ingest/survey.csv" >one.ndjson || true
	cat one.ndjson one.ndjson | xo-merge -q >twice.ndjson && xo-merge -q one.ndjson >once.ndjson &&
	xo-journey -q twice.ndjson >a && xo-journey -q once.ndjson >b && test_cmp b a
'
test_done
