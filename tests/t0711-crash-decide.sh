#!/bin/bash
# Crash safety of xo-decide --state: the run is killed (SIGKILL) at every
# point where it changes a file, and separately meets a full disk at
# every such point (tests/killat.c). Decisions are committed in
# transactions of --batch records (3 here, over 12 input lines), so the
# state afterwards must be the state after some whole number of batches
# (the state before the run, after batch 1, 2, 3 or after the run),
# never in between; no decision may be written that its state does not
# hold; and the next run completes with the state it should have.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/fault.sh"
T=$TESTDATA/decide
IN=$T/journeys.ndjson
BATCHES="0 3 6 9 12"
decide() { xo-decide -q -r $T/example.rules -s st.db --batch 3 "$@"; }

# References: a state from two months before (base: caps and cooldowns
# over, so that today's batches contact people again), then the first n
# lines of today's input for each whole number of batches n, and what a
# full run of the input makes of each of those.
mkdir -p "$TEST_ROOT/ref" && cd "$TEST_ROOT/ref" &&
XO_NOW=2026-01-15T12:00:00Z decide $IN >/dev/null; cp st.db base.db &&
for n in $BATCHES; do
	cp base.db st.db && head -n $n $IN >in.$n && { decide in.$n >out.$n || true; } &&
	dump st.db >state.$n && { decide $IN >/dev/null || true; } && dump st.db >next.$n || exit 1
done && cd - >/dev/null || { echo "Bail out! no reference"; exit 1; }
REF=$TEST_ROOT/ref
N=$(cd "$REF" && cp base.db st.db && fault_points decide $IN)

# The number of input lines whose batches the state holds, or "none".
# The last batch (lines 10-12: a record without an xid, a bad line and
# one more) contacts nobody, so its state is that of 9 lines: the
# larger number is taken.
batches_in_state() {
	dump st.db >now
	for n in $(echo $BATCHES | tr " " "\n" | sort -rn); do
		cmp -s now "$REF/state.$n" && { echo $n; return; }
	done
	echo none
}
# Written decisions are those of committed batches (a prefix of them,
# as output is buffered).
written_ok() {
	head -c $(wc -c <out) "$REF/out.$1" | cmp -s - out
}
check_next_run() {
	{ decide $IN >/dev/null || test $? = 1; } &&
	dump st.db >next && test_cmp "$REF/next.$1" next
}

test_expect_success "the run changes files at $N points" '
	test "$N" -ge 30
'

test_expect_success "killed at each of the $N points: whole batches in the state, no decision lost" '
	: >seen &&
	for k in $(seq 1 $((N + 1))); do
		cp "$REF/base.db" st.db && rm -f st.db-wal st.db-shm &&
		{ (at_fault kill $k decide $IN >out 2>/dev/null) || true; } &&
		n=$(batches_in_state) &&
		echo "point $k: $n lines in the state, $(wc -l <out) decisions written" &&
		test $n != none && written_ok $n &&
		{ grep -qx $n seen && test $((k % 4)) != 0 || check_next_run $n; } &&
		echo $n >>seen || exit 1
	done &&
	test $(sort -u seen | wc -l) = 4
'

test_expect_success "a full disk at each of the $N points: status 4, committed batches kept and announced" '
	for k in $(seq 1 $((N + 1))); do
		cp "$REF/base.db" st.db && rm -f st.db-wal st.db-shm &&
		rc=0 && at_fault full $k decide $IN >out 2>err || rc=$?
		n=$(batches_in_state) &&
		echo "point $k: status $rc, $n lines in the state: $(cat err)" &&
		test $n != none &&
		case $rc in
		1) test $n = 12 && test_cmp "$REF/out.12" out ;;
		4) grep -q "No space left on device\|disk full" err && test_cmp "$REF/out.$n" out ;;
		*) false ;;
		esac &&
		{ test $((k % 4)) != 0 || check_next_run $n; } || exit 1
	done
'

# A stream long enough to fill the state's log: its copy into the state
# (a checkpoint, after a record's answer) follows one of the run's syncs.
# The disk fills just after each sync in turn.
test_expect_success "a full disk just after each sync of a stream, the log's copy included: status 4, every answer recorded" '
	for i in $(seq 1 600); do echo "{\"xid\":\"F$i\",\"want\":[\"promo_a\"]}"; done >fin &&
	stream() { xo-decide -q --unbuffered --sync normal -r $T/policy.rules -s cp.db fin; } &&
	echo "{\"xid\":\"F0\",\"want\":[]}" | xo-decide -q -r $T/policy.rules -s cp.db >/dev/null &&
	cp cp.db cp.base &&
	LD_PRELOAD=$KILLAT XO_FAULT_SYNCS=$PWD/syncs stream >/dev/null &&
	test -s syncs && : >copies &&
	for s in $(cat syncs); do
		cp cp.base cp.db && rm -f cp.db-wal cp.db-shm &&
		rc=0 && at_fault full $((s + 1)) stream >out 2>err || rc=$?
		echo "after sync $s: status $rc, $(wc -l <out) answers: $(cat err)" &&
		case $rc in
		0) test "$(wc -l <out)" = 600 ;;
		4) grep -q "disk full" err ;;
		*) false ;;
		esac &&
		test "$(sqlite3 cp.db "select count(*) from contact")" = "$(wc -l <out)" &&
		test "$(sqlite3 cp.db "pragma integrity_check")" = ok &&
		{ grep "cannot copy the log into xo-decide state" err >>copies || true; } || exit 1
	done &&
	test -s copies
'

test_done
