#!/bin/bash
# Every tool shows its progress (records, rate, and with a file of known
# size the share done and the time left) on standard error when it is a
# terminal, and nothing when it is a file or a pipe.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || { echo "1..0 # SKIP script(1) not installed"; exit 0; }
export XO_NOW=2026-03-02T00:00:00Z

# 3000 events of 2500 customers, their journeys, scores and decisions.
setup() {
	for i in $(seq 1 3000); do
		printf '{"ts":"2026-03-01T%02d:%02d:00Z","id":"e%d","source":"crm","channel":"web","type":"web.login","ids":{"customer":"C%d"},"cx":{"nps":%d}}\n' \
			$((i % 24)) $((i % 60)) $i $((i % 2500)) $((i % 11))
	done >events.ndjson &&
	xo-merge -q events.ndjson >merged.ndjson &&
	xo-journey -q merged.ndjson >journeys.ndjson &&
	xo-score context -q journeys.ndjson >scores.ndjson &&
	mkdir run && xo-decide -q -r $TESTDATA/decide/example.rules --dry-run scores.ndjson >run/decisions.ndjson
}

# on_tty COMMAND: its standard error as a terminal shows, lines cut at
# carriage returns.
on_tty() {
	(unset XO_NO_PROGRESS; export XO_PROGRESS_MS=0; script -qec "$1 >/dev/null" /dev/null) |
		tr "\r" "\n" >tty.txt
}

# progress NAME COMMAND: drawn on a terminal with its ETA, never into a file.
progress() {
	on_tty "$2" && grep -q "^$1: 2048 records  [0-9]*/s  [0-9]*%  ETA [0-9]*:[0-9][0-9]" tty.txt ||
		{ echo "$2: no progress on a terminal"; cat -v tty.txt | tail -3; return 1; }
	(unset XO_NO_PROGRESS; export XO_PROGRESS_MS=0; eval "$2" 2>err >/dev/null) || true
	! grep -q "records .*/s" err || { echo "$2: progress into a file"; return 1; }
}

test_expect_success 'xo-ingest' '
	{ echo "Response ID,Submitted At,Email,Phone,Customer ID,NPS,CSAT,CES,Comment,Store"
	  for i in $(seq 1 3000); do echo "R$i,2026-03-01T10:00:00Z,,,C-$i,7,,,,"; done; } >survey.csv &&
	progress xo-ingest "xo-ingest -p survey survey.csv"
'
test_expect_success 'xo-merge, its steps too' '
	setup && progress xo-merge "xo-merge events.ndjson" &&
	progress xo-merge "xo-merge --links events.ndjson" &&
	progress xo-merge "xo-merge --links --part 1/2 events.ndjson events.ndjson" &&
	xo-merge -q --links events.ndjson >links && xo-merge -q --join --map map links &&
	progress xo-merge "xo-merge --label map events.ndjson"
'
test_expect_success 'xo-journey' '
	setup && progress xo-journey "xo-journey merged.ndjson" &&
	progress xo-journey "xo-journey --paths merged.ndjson"
'
test_expect_success 'xo-score' '
	setup && progress xo-score "xo-score context journeys.ndjson" &&
	progress xo-score "xo-score metrics merged.ndjson"
'
test_expect_success 'xo-decide' '
	setup && progress xo-decide "xo-decide -r $TESTDATA/decide/example.rules --dry-run scores.ndjson"
'
test_expect_success 'xo-report' '
	setup && progress xo-report "xo-report -d run -o page.html"
'
test_done
