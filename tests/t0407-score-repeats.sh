#!/bin/bash
# xo-score metrics counts each survey response once, however often it is
# read: by id, ts and source (xo-events(5): an id is a hash of the event).
. "$(dirname "$0")/lib.sh"

# 7 events twice, and R-1003 is in the file twice already: 8 repeats.
test_expect_success 'an export read twice gives the figures of one' '
	xo-ingest -q -p survey --default-country IT "$TESTDATA/ingest/survey.csv" >one.ndjson || true
	cat one.ndjson one.ndjson >twice.ndjson &&
	xo-score metrics -q one.ndjson >a && xo-score metrics twice.ndjson >b 2>err &&
	test_cmp a b &&
	grep -q "8 responses seen before (same id, ts and source) counted once" err
'
# survey.csv holds R-1003 twice, the same row: NPS 3, 9, 10, 0, 9 from
# R-1001, R-1002, R-1003, R-1008, R-1010 (R-1007 has none) = 3 promoters,
# 2 detractors of 5: NPS 20.
test_expect_success 'the repeated row of survey.csv is counted once: NPS 20 from 5' '
	xo-ingest -q -p survey --default-country IT "$TESTDATA/ingest/survey.csv" >one.ndjson || true
	xo-score metrics -q one.ndjson | jq -c "[.nps.n, .nps.score, .nps.promoters, .nps.detractors]" >got &&
	echo "[5,20,3,2]" >want && test_cmp want got
'
test_expect_success 'responses without an id are all counted' '
	printf "{\"ts\":\"2026-03-01T10:00:00Z\",\"cx\":{\"nps\":10}}\n" >noid.ndjson &&
	cat noid.ndjson noid.ndjson | xo-score metrics -q | jq .nps.n >got && echo 2 >want && test_cmp want got
'
test_done
