#!/bin/bash
# Files that hold personal data are created mode 0600 whatever the umask:
# state databases (and their -wal and -shm files), reject streams,
# profiles, pairs, reports and the report page; xo-nightly makes every
# file readable by its user only unless told otherwise.
. "$(dirname "$0")/lib.sh"
T=$TESTDATA
umask 000
mode() { stat -c %a "$@" | sort -u | tr '\n' ' ' | sed 's/ $//'; }

test_expect_success 'xo-ingest: the reject stream' '
	{ xo-ingest -q -p calls --default-country IT -r rej $T/ingest/calls.csv >/dev/null || test $? = 1; } &&
	test "$(mode rej)" = 600
'
test_expect_success 'xo-merge: state (with its -wal and -shm files), profiles, pairs, report, rejects' '
	{ XO_MERGE_PAUSE_BEFORE_COMMIT=3 xo-merge -q --state st.db --profiles=p --pairs=q --report r \
		--rejects j $T/merge/day1.ndjson $T/merge/bad.ndjson >/dev/null & } &&
	wait_until test -e r &&
	test "$(mode st.db st.db-wal st.db-shm)" = 600 &&
	{ wait $! || test $? = 1; } &&
	test "$(mode st.db p q r j)" = 600
'
test_expect_success 'xo-merge: a file of mode 0644 replaced by an output is 0600 after' '
	: >p && chmod 644 p &&
	xo-merge -q --profiles=p $T/merge/day1.ndjson >/dev/null &&
	test "$(mode p)" = 600 && test -s p
'
test_expect_success 'xo-journey and xo-score: reject streams' '
	{ xo-journey -q --rejects j1 $T/journey/bad.ndjson >/dev/null || test $? = 1; } &&
	{ xo-score text -q --rejects j2 $T/journey/bad.ndjson >/dev/null || test $? = 1; } &&
	test "$(mode j1 j2)" = 600
'
test_expect_success 'xo-decide: state (with its -wal and -shm files) and rejects' '
	{ xo-decide -q -r $T/decide/example.rules -s d.db --rejects j $T/decide/journeys.ndjson >/dev/null ||
		test $? = 1; } &&
	test "$(mode d.db j)" = 600 &&
	for f in d.db-wal d.db-shm; do test ! -e $f || test "$(mode $f)" = 600; done
'
test_expect_success 'xo-report: the page (it shows rejected records) and its rejects' '
	{ xo-report -q -d $T/report/run -o page.html -r rej || test $? = 1; } &&
	test "$(mode page.html rej)" = 600
'
test_expect_success 'xo-nightly: every file readable by its user only' '
	nightly_conf >n.conf &&
	xo-nightly -q -c n.conf -d 2026-03-01 2>err &&
	find out/2026-03-01/ state -type f -newer n.conf >files &&
	test $(wc -l <files) -gt 20 &&
	test "$(mode $(cat files))" = 600
'
test_expect_success 'xo-nightly: umask = 027 lets the group read the outputs' '
	{ nightly_conf && echo "umask = 027"; } >n.conf &&
	xo-nightly -q -c n.conf -d 2026-03-01 2>err &&
	test "$(mode out/2026-03-01/merged.ndjson out/2026-03-01/journeys.ndjson)" = 640 &&
	test "$(mode state/merge.db state/decide.db)" = 600 &&
	echo "umask = 7777" >>n.conf && code=0 && xo-nightly -q -c n.conf -d 2026-03-02 2>err || code=$?
	test $code = 2 && grep -q "umask: three octal digits" err
'
test_done
