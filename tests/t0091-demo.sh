#!/bin/bash
# make demo, the README's first command: the whole pipeline on testdata/
# runs to its end with the tools of a fresh machine, and leaves the
# outputs and the report it names.
. "$(dirname "$0")/lib.sh"
unset XO_NOW

test_expect_success 'scripts/demo runs every stage and writes the report' '
	XO_DEMO_DIR=$PWD/demo "$SRC/scripts/demo" "$XO_BUILD/bin" >out 2>err &&
	for n in 1 2 3 4 5 6; do grep -q "^== $n\. " out || { echo "no step $n"; exit 1; }; done &&
	grep -q "The report of the run: $PWD/demo/report.html" out &&
	test -s demo/report.html && test -s demo/events.ndjson && test -s demo/merged.ndjson
'
test_expect_success 'the metrics table is lined up' '
	XO_DEMO_DIR=$PWD/demo "$SRC/scripts/demo" "$XO_BUILD/bin" >out 2>err &&
	grep -q "^  source  *nps_n  *nps  *nps_moe" out
'
test_done
