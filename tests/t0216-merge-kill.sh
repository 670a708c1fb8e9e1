#!/bin/bash
# xo-merge --state: a run killed midway (kill -9) leaves the state as it
# was before the run, and the next run completes.
. "$(dirname "$0")/lib.sh"
D=$TESTDATA/merge
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 not installed"; exit 0; }

# XO_MERGE_PAUSE_BEFORE_COMMIT holds the run after every change is made
# in the state's transaction and every output written (the report file
# appears then), just before the commit: the most delicate moment.
test_expect_success 'killed just before the commit: nothing changed' '
	xo-merge -q --state st.db $D/day1.ndjson >/dev/null &&
	sqlite3 st.db .dump >before &&
	{ XO_MERGE_PAUSE_BEFORE_COMMIT=60 xo-merge -q --state st.db --report report \
		$D/day2.ndjson >/dev/null 2>&1 & } &&
	pid=$! &&
	wait_until test -e report &&
	kill -9 $pid && { wait $pid || true; } &&
	sqlite3 st.db .dump >after &&
	test_cmp before after &&
	xo-merge -q --state st.db --report report2 $D/day2.ndjson >/dev/null &&
	grep -q "\"merge\":1" report2 &&
	sqlite3 st.db .dump >done &&
	! cmp -s before done
'

# A large input: killed while it is still reading.
test_expect_success 'killed while reading: nothing changed, the next run completes' '
	xo-merge -q --state st.db $D/day1.ndjson >/dev/null &&
	sqlite3 st.db .dump >before &&
	awk "BEGIN { for (i = 0; i < 400000; i++)
		printf \"{\\\"ts\\\":\\\"2026-03-04T10:00:00Z\\\",\\\"id\\\":\\\"%016x\\\",\\\"ids\\\":{\\\"email\\\":\\\"u%d@mail.it\\\",\\\"customer\\\":\\\"C-%d\\\"}}\\n\", i + 1, i, i % 1000 }" >big &&
	mkfifo slow &&
	{ xo-merge -q --state st.db big slow >/dev/null 2>&1 & } &&
	pid=$! &&
	sleep 1 &&
	kill -9 $pid && { wait $pid || true; } &&
	sqlite3 st.db .dump >after &&
	test_cmp before after &&
	xo-merge -q --state st.db $D/day2.ndjson >/dev/null &&
	test "$(sqlite3 st.db "select count(*) from merge")" = 1
'

test_done
