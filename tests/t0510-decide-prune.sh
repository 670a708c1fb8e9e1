#!/bin/bash
# xo-decide prune: the contacts no later decision can count (older than
# the policy looks back, or than --keep) leave the state; what is
# decided afterwards does not change; held contacts and reviews stay.
# With --keep-reviews, the reviews settled long ago go: rejected ones,
# and approved or changed ones once exported.
. "$(dirname "$0")/lib.sh"

P=$TESTDATA/decide/policy.rules
PY=/usr/bin/python3
q() {
	$PY -c "import sqlite3,sys; print('\n'.join('|'.join(map(str, r)) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))" "$@"
}
# The tests go on with one state: they work in one directory.
W=$TEST_ROOT/prune
mkdir -p "$W"
contacts() {
	q "$1" "select id, xid, datetime(ts / 1000000, \"unixepoch\"), action, status from contact order by id"
}

# Four runs four days apart. The policy looks back 7 days (its caps).
# P2's review is approved on the 2nd (its contact is made then); P3's
# stays pending, its contact held.
setup() {
	rm -f st.db* &&
	for d in 01 05 09 13; do
		printf "%s\n" "{\"xid\":\"P1\",\"want\":[\"promo_a\"]}" \
			"{\"xid\":\"P2\",\"want\":[\"big\",\"promo_b\"]}" |
		XO_NOW=2026-03-${d}T12:00:00Z xo-decide -q --no-trace -r "$P" -s st.db >/dev/null || return 1
		test $d != 01 ||
		echo "{\"xid\":\"P3\",\"want\":[\"big\"]}" |
		XO_NOW=2026-03-01T13:00:00Z xo-decide -q -r "$P" -s st.db >/dev/null || return 1
	done &&
	echo "approve 1 fine" | XO_NOW=2026-03-02T12:00:00Z xo-decide review -q -s st.db --reviewer ann >/dev/null
}

test_expect_success 'the state before pruning' '
	cd "$W" &&
	setup &&
	contacts st.db >out &&
	cat >want <<-\EOF &&
	1|P1|2026-03-01 12:00:00|promo_a|sent
	2|P2|2026-03-02 12:00:00|big|sent
	3|P3|2026-03-01 13:00:00|big|held
	4|P1|2026-03-05 12:00:00|promo_a|sent
	5|P2|2026-03-05 12:00:00|promo_b|sent
	6|P1|2026-03-09 12:00:00|promo_a|sent
	7|P2|2026-03-09 12:00:00|promo_b|sent
	8|P1|2026-03-13 12:00:00|promo_a|sent
	9|P2|2026-03-13 12:00:00|promo_b|sent
	EOF
	test_cmp want out &&
	cp want all &&
	test "$(q st.db "select id, status, contact_id from review order by id" | tr "\n" " ")" = \
		"1|approved|2 2|pending|3 "
'

# On the 14th at noon the policy looks back to the 7th at noon.
test_expect_success '--dry-run counts what would go and changes nothing' '
	cd "$W" &&
	contacts st.db >before &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -n -s st.db -r "$P" 2>err &&
	echo "xo-decide: would prune 4 contacts from before 2026-03-07T12:00:00Z" >want &&
	test_cmp want err &&
	contacts st.db >after &&
	test_cmp before after
'

test_expect_success 'prune deletes the sent contacts the policy no longer sees' '
	cd "$W" &&
	cp st.db kept.db &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -s st.db -r "$P" 2>err &&
	echo "xo-decide: pruned 4 contacts from before 2026-03-07T12:00:00Z" >want &&
	test_cmp want err &&
	contacts st.db >out &&
	# All but the sent ones before the 7th at noon: 1, 2, 4 and 5.
	grep -v -E "^(1|2|4|5)\|" all >want &&
	test_cmp want out &&
	test "$(q st.db "pragma integrity_check")" = ok
'

test_expect_success 'reviews stay; an approved one forgets its pruned contact' '
	cd "$W" &&
	test "$(q st.db "select id, status, contact_id from review order by id" | tr "\n" " ")" = \
		"1|approved|None 2|pending|3 " &&
	xo-decide review -s st.db --export -n >out &&
	xo-decide review -s kept.db --export -n >want &&
	test_cmp want out &&
	test "$(jq -r .xid out)" = P2
'

test_expect_success 'the decisions after pruning are those without it' '
	cd "$W" &&
	printf "%s\n" "{\"xid\":\"P1\",\"want\":[\"promo_a\",\"promo_b\"]}" \
		"{\"xid\":\"P2\",\"want\":[\"promo_b\",\"big\"]}" \
		"{\"xid\":\"P3\",\"want\":[\"promo_a\",\"big\"]}" >in &&
	for at in 2026-03-14T12:00:00Z 2026-03-15T12:00:00Z 2026-03-20T12:00:00Z; do
		xo-decide -q -r "$P" -s st.db --as-of $at in >out.$at &&
		xo-decide -q -r "$P" -s kept.db --as-of $at in >want.$at &&
		test_cmp want.$at out.$at || return 1
	done &&
	jq -c "[.xid, .trace.removed[].policy]" out.2026-03-14T12:00:00Z >policies &&
	cat >want <<-\EOF &&
	["P1","cap","cap"]
	["P2","cap","cap"]
	["P3","pending_review"]
	EOF
	test_cmp want policies &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide -q -r "$P" -s st.db in >out &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide -q -r "$P" -s kept.db in >want &&
	test_cmp want out
'

test_expect_success '--keep keeps more than the policy needs, never less' '
	cd "$W" &&
	setup && cp st.db a.db && cp st.db b.db && cp st.db c.db &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -s a.db -r "$P" --keep 10d 2>err &&
	echo "xo-decide: pruned 2 contacts from before 2026-03-04T12:00:00Z" >want &&
	test_cmp want err &&
	test "$(q a.db "select group_concat(id) from (select id from contact order by id)")" = 3,4,5,6,7,8,9 &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -s b.db -r "$P" --keep 1h 2>err &&
	echo "xo-decide: pruned 4 contacts from before 2026-03-07T12:00:00Z" >want &&
	test_cmp want err &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -q -s c.db --keep 9d 2>err &&
	test ! -s err &&
	test "$(q c.db "select group_concat(id) from (select id from contact order by id)")" = 3,4,5,6,7,8,9
'

test_expect_success 'a second prune finds nothing more' '
	cd "$W" &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -s c.db --keep 9d 2>err &&
	echo "xo-decide: pruned 0 contacts from before 2026-03-05T12:00:00Z" >want &&
	test_cmp want err
'

test_expect_success 'prune waits for a run holding the state, then gives up (exit 5)' '
	cd "$W" &&
	$PY - st.db <<-\EOF
	import sqlite3, subprocess, sys
	db = sqlite3.connect(sys.argv[1], isolation_level=None)
	db.execute("begin immediate")
	rc = subprocess.run(["xo-decide", "prune", "-q", "-s", sys.argv[1], "--keep", "1d",
			     "--wait", "200"]).returncode
	db.execute("rollback")
	sys.exit(0 if rc == 5 else 1)
	EOF
'

# Five reviews queued on the 1st. On the 2nd: 1 approved, 2 rejected,
# 3 changed, and the export takes 1 and 3. On the 10th: 4 approved (not
# exported yet). 5 stays pending.
reviews() {
	q "$1" "select id, status, exported from review order by id" | tr "\n" " "
}
review_setup() {
	rm -f rv.db* &&
	for x in R1 R2 R3 R4 R5; do echo "{\"xid\":\"$x\",\"want\":[\"big\"]}"; done |
	XO_NOW=2026-03-01T12:00:00Z xo-decide -q --no-trace -r "$P" -s rv.db >/dev/null &&
	printf "%s\n" "approve 1 fine" "reject 2 not now" "change 3 channel push better" |
	XO_NOW=2026-03-02T12:00:00Z xo-decide review -q -s rv.db -r "$P" --reviewer ann >/dev/null &&
	XO_NOW=2026-03-02T13:00:00Z xo-decide review -q -s rv.db --export >exported &&
	echo "approve 4 fine" |
	XO_NOW=2026-03-10T12:00:00Z xo-decide review -q -s rv.db --reviewer bob >/dev/null
}

test_expect_success 'reviews before pruning: settled, exported, pending' '
	cd "$W" &&
	review_setup &&
	test "$(jq -r .review_id exported | tr "\n" " ")" = "1 3 " &&
	test "$(reviews rv.db)" = "1|approved|1 2|rejected|0 3|changed|1 4|approved|0 5|pending|0 "
'

# On the 14th at noon, 7 days back is the 7th at noon.
test_expect_success '--keep-reviews -n counts the settled reviews that would go' '
	cd "$W" &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -n -s rv.db --keep-reviews 7d 2>err &&
	echo "xo-decide: would prune 3 reviews settled before 2026-03-07T12:00:00Z" >want &&
	test_cmp want err &&
	test "$(reviews rv.db)" = "1|approved|1 2|rejected|0 3|changed|1 4|approved|0 5|pending|0 "
'

test_expect_success '--keep-reviews deletes rejected and exported reviews, and no contact' '
	cd "$W" &&
	contacts rv.db >before &&
	cp rv.db rv-kept.db &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -s rv.db --keep-reviews 7d 2>err &&
	echo "xo-decide: pruned 3 reviews settled before 2026-03-07T12:00:00Z" >want &&
	test_cmp want err &&
	test "$(reviews rv.db)" = "4|approved|0 5|pending|0 " &&
	contacts rv.db >after &&
	test_cmp before after &&
	test "$(q rv.db "pragma integrity_check")" = ok
'

test_expect_success 'after it, the queue and the export go on as before' '
	cd "$W" &&
	XO_NOW=2026-03-14T13:00:00Z xo-decide review -s rv.db --export -n >out &&
	XO_NOW=2026-03-14T13:00:00Z xo-decide review -s rv-kept.db --export -n >want &&
	test_cmp want out &&
	test "$(jq -r .review_id out)" = 4 &&
	xo-decide review -s rv.db --list >out &&
	xo-decide review -s rv-kept.db --list >want &&
	test_cmp want out &&
	echo "approve 5 fine" | XO_NOW=2026-03-14T14:00:00Z xo-decide review -q -s rv.db --reviewer ann &&
	test "$(reviews rv.db)" = "4|approved|0 5|approved|0 "
'

test_expect_success 'an approved review waits for its export, however old' '
	cd "$W" &&
	review_setup &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -s rv.db --keep-reviews 1h 2>err &&
	echo "xo-decide: pruned 3 reviews settled before 2026-03-14T11:00:00Z" >want &&
	test_cmp want err &&
	test "$(reviews rv.db)" = "4|approved|0 5|pending|0 " &&
	XO_NOW=2026-03-14T12:30:00Z xo-decide review -q -s rv.db --export >out &&
	XO_NOW=2026-03-14T13:00:00Z xo-decide prune -s rv.db --keep-reviews 1h 2>err &&
	echo "xo-decide: pruned 1 reviews settled before 2026-03-14T12:00:00Z" >want &&
	test_cmp want err &&
	test "$(reviews rv.db)" = "5|pending|0 "
'

test_expect_success 'with --rules or --keep too: contacts and reviews, a line each' '
	cd "$W" &&
	review_setup &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide prune -s rv.db -r "$P" --keep-reviews 7d 2>err &&
	cat >want <<-\EOF &&
	xo-decide: pruned 2 contacts from before 2026-03-07T12:00:00Z
	xo-decide: pruned 3 reviews settled before 2026-03-07T12:00:00Z
	EOF
	test_cmp want err &&
	test "$(reviews rv.db)" = "4|approved|0 5|pending|0 "
'

# fails CODE MESSAGE ARGS...: xo-decide ARGS exits with CODE and says
# MESSAGE first on standard error; nothing on standard output.
fails() {
	local code=$1 msg=$2 rc=0; shift 2
	xo-decide "$@" >out 2>err || rc=$?
	test "$rc" = "$code" && test ! -s out && test "$(head -1 err)" = "xo-decide: $msg" || {
		echo "exit $rc; stderr:"; cat err; return 1; }
}

test_expect_success 'bad usage: the reason on standard error, exit 2' '
	cd "$W" &&
	fails 2 "prune needs --state DB" prune -r "$P" &&
	fails 2 "prune needs --rules FILE, --keep DURATION or --keep-reviews DURATION" prune -s st.db &&
	fails 2 "--keep: not a duration such as 90d: '"'"'soon'"'"'" prune -s st.db --keep soon &&
	fails 2 "--keep: not a duration such as 90d: '"'"'0'"'"'" prune -s st.db --keep 0 &&
	fails 2 "prune takes no files" prune -s st.db --keep 1d in &&
	fails 2 "--keep-reviews: not a duration such as 90d: '"'"'-1d'"'"'" prune -s st.db --keep-reviews -1d &&
	fails 2 "prune takes --state, --rules, --keep, --keep-reviews, --dry-run and --wait" \
		prune -s st.db --keep 1d --as-of 2026-03-01T00:00:00Z &&
	fails 2 "--keep and --keep-reviews belong to '"'"'xo-decide prune'"'"'" -r "$P" -s st.db --keep 1d in &&
	fails 2 "--keep and --keep-reviews belong to '"'"'xo-decide prune'"'"'" review -s st.db --keep-reviews 1d
'

test_expect_success 'a state that is not there: exit 3, and it is not made' '
	cd "$W" &&
	fails 3 "none.db: No such file or directory" prune -s none.db --keep 1d &&
	test ! -e none.db
'

test_expect_success 'a rules file with an error: its line and column, exit 2, nothing pruned' '
	cd "$W" &&
	echo "action" >bad.rules &&
	contacts st.db >before &&
	fails 2 "bad.rules:1:7: expected an action name (letters, digits and _), found end of line" \
		prune -s st.db -r bad.rules &&
	contacts st.db >after &&
	test_cmp before after
'

test_done
