#!/bin/bash
# Crash safety of xo-merge --state: the run is killed (SIGKILL) at every
# point where it changes a file, and separately meets a full disk at
# every such point (tests/killat.c). The state afterwards is the state
# before the run or after it, never in between; the profiles and report
# files are absent or whole; and the next run completes with the state
# it should have.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/fault.sh"
D=$TESTDATA/merge
RUN="xo-merge -q --state st.db --report rep --profiles=prof $D/day2.ndjson"

# The states to compare with: before day 2, after it, and after day 2
# run a second time (what the next run makes of the "after" state).
mkdir -p "$TEST_ROOT/ref" && cd "$TEST_ROOT/ref" &&
xo-merge -q --state st.db $D/day1.ndjson >/dev/null && cp st.db base.db && dump st.db >before &&
$RUN >events && dump st.db >after && cp rep rep.after && cp prof prof.after &&
$RUN >/dev/null && dump st.db >after2 && cd - >/dev/null || { echo "Bail out! no reference"; exit 1; }
REF=$TEST_ROOT/ref
N=$(cd "$REF" && cp base.db st.db && fault_points $RUN)

# One point: what the state is ("before" or "after"), and that the next
# run completes from there to the state it must reach (checked at the
# first point of each kind and every fourth, as each run waits for the
# disk).
state_is() {
	dump st.db >now
	if cmp -s now "$REF/before"; then echo before
	elif cmp -s now "$REF/after"; then echo after
	else echo "in between"; fi
}
check_next_run() {
	rm -f rep prof
	$RUN >/dev/null &&
	dump st.db >next &&
	case $1 in
	before) test_cmp "$REF/after" next ;;
	after) test_cmp "$REF/after2" next ;;
	esac
}
# Owned outputs are written atomically: absent, or the run's whole file.
outputs_whole() {
	for f in rep prof; do
		test ! -e $f || test_cmp "$REF/$f.after" $f || return 1
	done
}

test_expect_success "the run changes files at $N points" '
	test "$N" -ge 20
'

test_expect_success "killed at each of the $N points: before or after, never in between" '
	: >seen &&
	for k in $(seq 1 $((N + 1))); do
		cp "$REF/base.db" st.db && rm -f st.db-wal st.db-shm rep prof &&
		{ (at_fault kill $k $RUN >/dev/null 2>&1) || true; } &&
		s=$(state_is) &&
		echo "point $k: $s" &&
		test "$s" != "in between" &&
		outputs_whole &&
		{ grep -qx $s seen && test $((k % 4)) != 0 || check_next_run $s; } &&
		echo $s >>seen || exit 1
	done &&
	grep -qx before seen && grep -qx after seen
'

test_expect_success "a full disk at each of the $N points: status 4 and the state before, or done" '
	for k in $(seq 1 $((N + 1))); do
		cp "$REF/base.db" st.db && rm -f st.db-wal st.db-shm rep prof &&
		rc=0 && at_fault full $k $RUN >out 2>err || rc=$?
		s=$(state_is) &&
		echo "point $k: status $rc, $s: $(cat err)" &&
		case $rc in
		0) test $s = after && test_cmp "$REF/events" out ;;
		4) test $s = before && grep -q "No space left on device\|disk full" err ;;
		*) false ;;
		esac &&
		outputs_whole &&
		{ test $((k % 4)) != 0 || check_next_run $s; } || exit 1
	done
'

test_done
