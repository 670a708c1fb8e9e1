#!/bin/bash
# xo-merge --state: incremental runs keep xids, merges are recorded with
# their cause and can be split; the state file's own guards.
. "$(dirname "$0")/lib.sh"
D=$TESTDATA/merge
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 not installed"; exit 0; }

# The xids are the smallest hash of each customer (xo-merge(1)):
# A = anna@example.it and +393471112233, B = C-2002 and +393479998877,
# worked out with merge-siphash.py below.
xid_of() {
	"$SRC/tests/merge-siphash.py" "$@" | sort | head -1 | sed "s/^/x/; s/ .*//"
}

test_expect_success 'day 1: two customers, a state file of mode 0600' '
	xo-merge -q --state st.db $D/day1.ndjson >out &&
	test "$(stat -c %a st.db)" = 600 &&
	A=$(xid_of email:anna@example.it phone:+393471112233) &&
	B=$(xid_of customer:C-2002 phone:+393479998877) &&
	test "$(jq -r .xid out | sort -u | tr "\n" " ")" = "$(printf "%s\n" $A $B | sort | tr "\n" " ")"
'

# Day 2: a call from Anna'"'"'s phone about order C-2002 joins A and B. A was
# seen first (03-01 against 03-02), so A survives; the cause is the new
# link C-2002 - +393471112233; the absorbed side is B'"'"'s two identifiers.
test_expect_success 'day 2: a merge, its cause and survivor' '
	xo-merge -q --state st.db $D/day1.ndjson >/dev/null &&
	xo-merge -q --state st.db --report report $D/day2.ndjson >out &&
	A=$(xid_of email:anna@example.it phone:+393471112233) &&
	B=$(xid_of customer:C-2002 phone:+393479998877) &&
	jq -c "select(.merge)" report >got &&
	echo "{\"merge\":1,\"survivor\":\"$A\",\"absorbed\":\"$B\",\"cause\":{\"link\":\"ids\",\"a\":{\"customer\":\"C-2002\"},\"b\":{\"phone\":\"+393471112233\"}},\"identifiers\":2}" >want &&
	test_cmp want got &&
	test "$(jq -r "select(.id == \"c000000000000001\") | .xid" out)" = $A &&
	test "$(sqlite3 st.db "select merged_into from customer where xid = '"'"'$B'"'"'")" = $A
'

test_expect_success 'day 1 again: known events keep (the survivor'"'"'s) xids, counted once' '
	xo-merge -q --state st.db $D/day1.ndjson >/dev/null &&
	xo-merge -q --state st.db $D/day2.ndjson >/dev/null &&
	xo-merge --state st.db --profiles $D/day1.ndjson >profiles 2>err &&
	A=$(xid_of email:anna@example.it phone:+393471112233) &&
	grep -q "4 events counted before" err &&
	test "$(jq -r .xid profiles)" = $A &&
	test "$(jq -c "[.events, .channels, .cx.nps]" profiles)" = "[5,{\"phone\":2,\"store\":2,\"web\":1},{\"latest\":2,\"latest_ts\":\"2026-03-03T10:00:00Z\",\"mean\":4,\"n\":2}]"
'

# After the split B has its xid and its identifiers back; the bridging
# call stays with A (its first identifier is A'"'"'s phone), and its link to
# C-2002 is cut, so running day 2 again does not merge them again.
test_expect_success 'a split gives the absorbed customer back, for good' '
	xo-merge -q --state st.db $D/day1.ndjson >/dev/null &&
	xo-merge -q --state st.db $D/day2.ndjson >/dev/null &&
	xo-merge --state st.db --split 1 --report report --profiles >profiles 2>err &&
	A=$(xid_of email:anna@example.it phone:+393471112233) &&
	B=$(xid_of customer:C-2002 phone:+393479998877) &&
	grep -q "split 1: customer $B taken back out of $A" err &&
	test "$(jq -c "[.xid, .events]" profiles | tr "\n" " ")" = "$(printf "[\"%s\",%s]\n" $A 3 $B 2 | sort | tr "\n" " ")" &&
	xo-merge -q --state st.db --report report2 $D/day2.ndjson $D/day1.ndjson >out &&
	! grep -q "\"merge\":" report2 &&
	test "$(jq -r "select(.id | startswith(\"b\")) | .xid" out | sort -u)" = $B &&
	test "$(jq -r "select(.id == \"c000000000000001\") | .xid" out)" = $A &&
	test "$(code_of xo-merge --state st.db --split 1)" = 2 &&
	test "$(code_of xo-merge --state st.db --split 7)" = 2
'

test_expect_success 'a split named by the absorbed xid' '
	xo-merge -q --state st.db $D/day1.ndjson >/dev/null &&
	xo-merge -q --state st.db $D/day2.ndjson >/dev/null &&
	B=$(xid_of customer:C-2002 phone:+393479998877) &&
	xo-merge -q --state st.db --split $B &&
	test "$(sqlite3 st.db "select undone_run from merge where id = 1")" = 3
'

# The records of probabilistic linking are kept too: people.ndjson in two
# runs gives the xids of one run over all of it (t0214 checks those).
test_expect_success 'probabilistic links across runs' '
	head -6 $D/people.ndjson >first && tail -n +7 $D/people.ndjson >second &&
	xo-merge -q --state st.db --spec $D/people.spec first >out1 &&
	xo-merge -q --state st.db --spec $D/people.spec second >out2 &&
	cat out1 out2 | jq -c "[.id, .xid]" >got &&
	jq -c "[.id, .xid]" "$EXPECT/merge/people.ndjson" >want &&
	test_cmp want got
'

test_expect_success '--dry-run leaves the state as it was' '
	xo-merge -q --state st.db $D/day1.ndjson >/dev/null &&
	sqlite3 st.db .dump >before &&
	xo-merge -q --state st.db --dry-run $D/day2.ndjson >out &&
	sqlite3 st.db .dump >after &&
	test_cmp before after &&
	test -s out
'

test_expect_success 'state files that are not ours, or too new, exit 5' '
	echo "not a database at all, no" >junk.db &&
	test "$(code_of xo-merge --state junk.db $D/day1.ndjson)" = 5 &&
	sqlite3 other.db "create table t (x)" &&
	test "$(code_of xo-merge --state other.db $D/day1.ndjson)" = 5 &&
	xo-merge -q --state new.db $D/day1.ndjson >/dev/null &&
	sqlite3 new.db "pragma user_version = 99" &&
	test "$(code_of xo-merge --state new.db $D/day1.ndjson)" = 5
'

test_expect_success 'a state locked by another run exits 5 after waiting' '
	xo-merge -q --state st.db $D/day1.ndjson >/dev/null &&
	{ (echo "BEGIN IMMEDIATE; SELECT 1;"; sleep 8; echo "COMMIT;") | sqlite3 st.db >held & } &&
	wait_until test -s held &&
	test "$(code_of xo-merge --state st.db $D/day2.ndjson)" = 5 &&
	wait
'

test_done
