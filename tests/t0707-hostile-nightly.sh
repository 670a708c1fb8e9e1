#!/bin/bash
# xo-nightly under hostile configurations and faults: a configuration
# with NUL bytes, binary junk or a 10 MB line is refused at once (status
# 2); an export that fails midway, a damaged or locked state and a full
# disk stop the night with their status and a message, nothing
# published and the nights before left as they were.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/hostile.sh"
. "$SRC/tests/fault.sh"
unset XO_NOW

conf() { # conf [INBOX]
	nightly_conf
	[ -z "${1:-}" ] || echo "inbox = $1"
}
# The first night, and what must stay as it was after a failed second one.
first_night() {
	conf >n.conf && xo-nightly -q -c n.conf -d 2026-03-01 2>/dev/null &&
	ls -R out >out.before && sqlite3 state/merge.db .dump >merge.before
}
nothing_published() {
	ls -R out | grep -v "^2026-03-01\.[0-9T.]*$" >out.after &&
	grep -v "^2026-03-01\.[0-9T.]*$" out.before | diff - out.after &&
	test ! -e out/2026-03-02
}

test_expect_success 'hostile configurations: status 2 at once, naming file and line' '
	printf "inbox = x\000y\n" >nul.conf &&
	{ printf j; head -c 3000 /dev/urandom | tr -d "=\n"; } >junk.conf &&
	{ printf "inbox = "; mb 10 a; echo; } >long.conf &&
	for c in nul junk long; do
		code=0; xo-nightly -q -c $c.conf -d 2026-03-01 2>err.$c || code=$?
		test $code = 2 || exit 1
	done &&
	grep -q "^xo-nightly: junk.conf:1: expected .key = value.$" err.junk &&
	grep -q "^xo-nightly: long.conf:1: line too long (over 64 KiB)$" err.long &&
	test ! -e out && test ! -e state
'
test_expect_success 'an export that fails midway: status 3 naming it, nothing published' '
	first_night &&
	mkdir -p inbox/2026-03-02 && ln -s /proc/self/mem inbox/2026-03-02/calls.2026-03-02.csv &&
	conf $PWD/inbox >n2.conf &&
	code=0; xo-nightly -q -c n2.conf -d 2026-03-02 2>err || code=$?
	test $code = 3 &&
	grep -q "stage ingest failed (exit 3); nothing published" err &&
	grep -q "calls.2026-03-02.csv: read error: Input/output error" err &&
	nothing_published &&
	sqlite3 state/merge.db .dump | diff - merge.before
'
test_expect_success 'a damaged state: status 5, nothing published, the file left alone' '
	first_night &&
	head -c 8192 /dev/urandom >state/merge.db && cp state/merge.db damaged &&
	code=0; xo-nightly -q -c n.conf -d 2026-03-02 2>err || code=$?
	test $code = 5 && grep -q "merge.db: cannot take a snapshot: file is not a database" err &&
	nothing_published && cmp -s damaged state/merge.db
'
test_expect_success 'a state locked by something else: status 5 after the wait, nothing published' '
	first_night &&
	mkfifo hold &&
	{ sqlite3 state/merge.db <hold >held 2>&1 & } &&
	exec 9>hold && echo "BEGIN EXCLUSIVE; SELECT 1;" >&9 &&
	wait_until test -s held &&
	code=0; xo-nightly -q -c n.conf -d 2026-03-02 2>err || code=$?
	exec 9>&- && wait &&
	test $code = 5 &&
	grep -q "stage merge failed (exit 5); nothing published" err &&
	grep -q "database is locked (another run holds the state; try again when it ends)" err &&
	nothing_published && sqlite3 state/merge.db .dump | diff - merge.before
'
test_expect_success 'a full disk: status 4, nothing published, the state as it was' '
	first_night &&
	code=0; at_fault full 1 xo-nightly -q -c n.conf -d 2026-03-02 2>err || code=$?
	test $code = 4 && grep -q "cannot take a snapshot: disk I/O error" err &&
	nothing_published && sqlite3 state/merge.db .dump | diff - merge.before
'
test_done
