#!/bin/bash
# The state file: contact history across runs, --dry-run and --as-of
# write nothing, two runs at once contact nobody twice, a state of an
# older schema is upgraded (or read as it is), and a state file that
# is not ours, damaged or newer is refused (exit 5).
. "$(dirname "$0")/lib.sh"

P=$TESTDATA/decide/policy.rules
PY=/usr/bin/python3
count() {
	$PY -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$@"
}

test_expect_success 'the history of one run is seen by the next' '
	echo "{\"xid\":\"S1\",\"want\":[\"promo_a\"]}" >in &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s st.db in >one &&
	XO_NOW=2026-03-15T13:00:00Z xo-decide -q -r "$P" -s st.db in >two &&
	test "$(jq -r ".decisions[0].status" one)" = sent &&
	test "$(jq -r ".trace.removed[0].policy" two)" = cooldown &&
	test "$(count st.db "select count(*) from contact")" = 1 &&
	test "$(stat -c %a st.db)" = 600
'

test_expect_success '--dry-run decides the same but writes nothing' '
	echo "{\"xid\":\"S2\",\"want\":[\"promo_a\"]}" >in &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s st.db --no-trace in >/dev/null &&
	before=$(count st.db "select count(*) from contact") &&
	XO_NOW=2026-03-20T12:00:00Z xo-decide -q -r "$P" -s st.db --dry-run in >out &&
	test "$(jq -r ".decisions[0].status" out)" = dry_run &&
	test "$(count st.db "select count(*) from contact")" = "$before"
'

test_expect_success '--as-of replays a past moment against the history then' '
	echo "{\"xid\":\"S3\",\"want\":[\"promo_a\"]}" >in &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s st.db in >/dev/null &&
	XO_NOW=2026-03-15T20:00:00Z xo-decide -q -r "$P" -s st.db in >/dev/null &&
	n=$(count st.db "select count(*) from contact") &&
	test "$n" = 1 &&
	# At 13:00 the 12:00 contact is within the 2h cooldown; before it,
	# at 11:00, nothing had happened yet.
	xo-decide -q -r "$P" -s st.db --as-of 2026-03-15T13:00:00Z in >a &&
	xo-decide -q -r "$P" -s st.db --as-of 2026-03-15T11:00:00Z in >b &&
	test "$(jq -c "[.at, .trace.removed[0].policy]" a)" = "[\"2026-03-15T13:00:00Z\",\"cooldown\"]" &&
	test "$(jq -c "[.decisions[0].status]" b)" = "[\"dry_run\"]" &&
	test "$(count st.db "select count(*) from contact")" = "$n"
'

test_expect_success '--as-of at a run'"'"'s own time replays its decisions, not after them' '
	printf "%s\n" "{\"xid\":\"S6\",\"want\":[\"promo_a\",\"big\"]}" \
		"{\"xid\":\"S7\",\"want\":[\"text\"],\"context\":{\"sms_ok\":true}}" >in &&
	XO_NOW=2026-03-16T09:00:00.250Z xo-decide -q -k 2 -r "$P" -s st.db in >run &&
	test "$(jq -r ".decisions[].status" run | tr "\n" " ")" = "queued sent sent " &&
	xo-decide -q -k 2 -r "$P" -s st.db --as-of "$(jq -r .at run | head -1)" in >replay &&
	sed "s/\"status\":\"[a-z_]*\"/\"status\":\"-\"/g; s/,\"review_id\":[0-9]*//" run >want &&
	sed "s/\"status\":\"[a-z_]*\"/\"status\":\"-\"/g" replay >got &&
	test_cmp want got &&
	# A moment later, the run is history: its contacts and review count.
	xo-decide -q -k 2 -r "$P" -s st.db --as-of 2026-03-16T09:00:00.251Z in >after &&
	test "$(jq -c "[.trace.removed[].policy]" after | tr -d "\n")" = "[\"pending_review\",\"cooldown\"][\"cooldown\"]"
'

test_expect_success 'a customer twice in one input is contacted once' '
	echo "{\"xid\":\"S4\",\"want\":[\"promo_a\"]}" >in &&
	cat in in | xo-decide -q -r "$P" -s st.db >out &&
	test "$(jq -c "[.decisions[].action]" out | tr -d "\n")" = "[\"promo_a\"][]"
'

test_expect_success 'without --state, history lasts for the run' '
	echo "{\"xid\":\"S5\",\"want\":[\"promo_a\"]}" >in &&
	cat in in | xo-decide -q -r "$P" >out &&
	test "$(jq -c "[.trace.removed[].policy]" out | tr -d "\n")" = "[][\"cooldown\"]"
'

test_expect_success 'two runs at once contact nobody twice' '
	for i in $(seq 1 300); do
		echo "{\"xid\":\"K$i\",\"want\":[\"promo_a\",\"promo_b\"]}"
	done >in &&
	xo-decide -q -r "$P" -s cc.db --batch 7 in >a & pa=$!
	xo-decide -q -r "$P" -s cc.db --batch 5 in >b & pb=$!
	wait $pa && wait $pb &&
	cat a b | jq -r "select(.decisions != []) | .xid" | sort >contacted &&
	seq 1 300 | sed "s/^/K/" | sort >want &&
	test_cmp want contacted &&
	test "$(count cc.db "select count(*) from contact")" = 300 &&
	test "$(count cc.db "select count(distinct xid) from contact")" = 300
'

test_expect_success 'a live stream copies its log into the state as it goes' '
	# With a commit per record the log grows by a few pages a record:
	# 3000 records make about 29 MB of it unless it is copied into the
	# state (and started again) every 1000 pages, about 4 MB.
	for i in $(seq 1 3000); do
		echo "{\"xid\":\"L$i\",\"want\":[\"promo_a\"]}"
	done >in &&
	mkfifo live &&
	{ xo-decide -q --unbuffered --sync normal -r "$P" -s lv.db <live >out & } &&
	exec 7>live &&
	cat in >&7 &&
	# Measured while the run is still going: its end copies the whole log.
	wait_until has_lines out 3000 &&
	wal=$(stat -c %s lv.db-wal) &&
	exec 7>&- &&
	wait &&
	echo "log: $wal bytes" &&
	test "$wal" -lt 8388608 &&
	test "$(jq -r ".decisions[0].status" out | sort | uniq -c | tr -s " ")" = " 3000 sent" &&
	test "$(count lv.db "select count(*) from contact")" = 3000 &&
	test "$(count lv.db "pragma integrity_check")" = ok
'

test_expect_code 5 'a file that is not an xo-decide state is refused' '
	echo "not a database" >bad.db &&
	rc=0; echo "{\"xid\":\"A\"}" | xo-decide -q -r "$P" -s bad.db 2>err || rc=$?
	grep -q "bad.db" err || exit 99
	exit $rc
'

test_expect_code 5 'another SQLite file is not ours' '
	$PY -c "import sqlite3; c=sqlite3.connect(\"other.db\"); c.execute(\"create table t(x)\"); c.commit()" &&
	rc=0; echo "{\"xid\":\"A\"}" | xo-decide -q -r "$P" -s other.db 2>err || rc=$?
	grep -q "an SQLite file, but not an xo-decide state" err || exit 99
	exit $rc
'

test_expect_code 5 'a state from a newer xo is refused' '
	echo "{\"xid\":\"A\",\"want\":[]}" | xo-decide -q -r "$P" -s new.db >/dev/null &&
	$PY -c "import sqlite3; c=sqlite3.connect(\"new.db\"); c.execute(\"pragma user_version=9\"); c.commit()" &&
	rc=0; echo "{\"xid\":\"A\"}" | xo-decide -q -r "$P" -s new.db 2>err || rc=$?
	grep -q "written by a newer xo (schema 9; this one reads up to 3)" err || exit 99
	exit $rc
'

# The policy of policy.rules looks back 7 days; a review waits longer.
queue_old() { # FILE: a state where L1 waits for review since 2026-03-01
	echo "{\"xid\":\"L1\",\"want\":[\"big\"]}" >in &&
	XO_NOW=2026-03-01T12:00:00Z xo-decide -q -r "$P" -s "$1" in >one &&
	test "$(jq -r ".decisions[0].status" one)" = queued
}

test_expect_success 'a review pending for longer than the policy looks back still holds' '
	queue_old old.db &&
	echo "[\"pending_review\",\"already waiting for review since 2026-03-01T12:00:00Z\"]" >want &&
	for opts in "" "--dry-run" "--batch 1"; do
		XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s old.db $opts in in >two &&
		jq -c ".trace.removed[0] | [.policy, .why]" two | sort -u >got &&
		test_cmp want got || exit 1
	done
'

# Schema 2 had decision_id UNIQUE in review; schema 1 had no index of
# held contacts either.
schema2() { # FILE: take FILE back to schema 2
	$PY - "$1" <<-\PYEOF
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	sql = c.execute("select sql from sqlite_master where name = 'review'").fetchone()[0]
	c.executescript("alter table review rename to review_new; "
	                + sql.replace("decision_id TEXT NOT NULL", "decision_id TEXT NOT NULL UNIQUE")
	                + "; insert into review select * from review_new; drop table review_new;"
	                + " create index review_by_status on review(status, id); pragma user_version=2")
	PYEOF
}
schema1() { # FILE: take FILE back to schema 1
	schema2 "$1" &&
	$PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"drop index contact_held\"); c.execute(\"pragma user_version=1\"); c.commit()" "$1"
}
indexes() { # FILE: its schema version and indexes
	$PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(\"pragma user_version\").fetchone()[0], *[r[0] for r in c.execute(\"select name from sqlite_master where type = 'index' order by name\")])" "$1"
}
reviews() { # FILE: its reviews
	$PY -c "import sqlite3,sys; [print(*r) for r in sqlite3.connect(sys.argv[1]).execute(\"select * from review order by id\")]" "$1"
}

test_expect_success 'a state of schema 1 is read as it is, and upgraded by a run that writes' '
	queue_old old.db &&
	cp old.db v2.db && cp old.db v1.db && schema1 v1.db &&
	test "$(indexes v1.db)" = "1 contact_by_xid review_by_status sqlite_autoindex_review_1" &&
	for opts in "--dry-run" "--as-of 2026-03-15T12:00:00Z"; do
		XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s v2.db $opts in >want &&
		XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s v1.db $opts in >got &&
		test_cmp want got || exit 1
	done &&
	test "$(indexes v1.db)" = "1 contact_by_xid review_by_status sqlite_autoindex_review_1" &&
	echo "{\"xid\":\"L2\",\"want\":[\"promo_a\"]}" >>in &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s v2.db in >want &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s v1.db in >got &&
	test_cmp want got &&
	test "$(indexes v1.db)" = "3 contact_by_xid contact_held review_by_status" &&
	test "$(count v1.db "pragma integrity_check")" = ok &&
	test "$(count v1.db "select count(*) from contact where status = \"held\"")" = 1
'

test_expect_success 'a state of schema 2 keeps its reviews through the upgrade' '
	printf "%s\n" "{\"xid\":\"V1\",\"want\":[\"big\"]}" "{\"xid\":\"V2\",\"want\":[\"unsure\"]}" >in &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s v3.db in >/dev/null &&
	echo "approve 1 ok" | XO_NOW=2026-03-15T13:00:00Z xo-decide review -s v3.db --reviewer anna >/dev/null &&
	cp v3.db v2.db && schema2 v2.db &&
	test "$(indexes v2.db)" = "2 contact_by_xid contact_held review_by_status sqlite_autoindex_review_1" &&
	reviews v3.db >want &&
	echo "{\"xid\":\"V3\",\"want\":[\"big\"]}" >in3 &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s v2.db --dry-run in3 >dry &&
	test "$(indexes v2.db)" = "2 contact_by_xid contact_held review_by_status sqlite_autoindex_review_1" &&
	XO_NOW=2026-03-15T14:00:00Z xo-decide -q -r "$P" -s v2.db in3 >got3 &&
	XO_NOW=2026-03-15T14:00:00Z xo-decide -q -r "$P" -s v3.db in3 >want3 &&
	test_cmp want3 got3 &&
	test "$(jq -r ".decisions[0].review_id" got3)" = 3 &&
	test "$(indexes v2.db)" = "3 contact_by_xid contact_held review_by_status" &&
	test "$(count v2.db "pragma integrity_check")" = ok &&
	test "$(count v2.db "select count(*) from pragma_foreign_key_check")" = 0 &&
	reviews v2.db | head -n 2 >got &&
	test_cmp want got &&
	echo "reject 2 no" | XO_NOW=2026-03-15T15:00:00Z xo-decide review -s v2.db --reviewer bo >out &&
	test "$(cat out)" = "review 2 rejected by bo" &&
	xo-decide review -s v2.db --export >approved &&
	test "$(jq -r ".xid" approved)" = V1
'

test_expect_success 'two runs upgrading one state at once' '
	queue_old up.db && schema1 up.db &&
	for i in 1 2; do
		echo "{\"xid\":\"U$i\",\"want\":[\"promo_a\"]}" >in$i &&
		XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s up.db --wait 10000 in$i >out$i &
	done &&
	wait &&
	test "$(cat out1 out2 | jq -r ".decisions[0].status" | tr "\n" " ")" = "sent sent " &&
	test "$(indexes up.db)" = "3 contact_by_xid contact_held review_by_status" &&
	test "$(count up.db "pragma integrity_check")" = ok &&
	test "$(count up.db "select count(*) from contact")" = 3
'

test_expect_code 5 'a state locked by another run, after --wait' '
	echo "{\"xid\":\"A\",\"want\":[]}" | xo-decide -q -r "$P" -s lk.db >/dev/null &&
	$PY - <<-\PYEOF &
	import sqlite3, time
	c = sqlite3.connect("lk.db", isolation_level=None)
	c.execute("begin immediate")
	open("locked", "w").close()
	time.sleep(3)
	c.execute("rollback")
	PYEOF
	wait_until test -e locked || exit 98
	rc=0; echo "{\"xid\":\"A\",\"want\":[\"promo_a\"]}" | xo-decide -q -r "$P" -s lk.db --wait 200 2>err || rc=$?
	wait
	grep -q "another run holds the state" err || exit 99
	exit $rc
'

test_expect_success 'contacts and reviews of one batch are numbered in the order they were decided' '
	printf "%s\n" "{\"xid\":\"A\",\"want\":[\"promo_a\"]}" "{\"xid\":\"B\",\"want\":[\"big\"]}" \
		"{\"xid\":\"C\",\"want\":[\"text\"],\"context\":{\"sms_ok\":true,\"tz\":\"UTC\"}}" \
		"{\"xid\":\"D\",\"want\":[\"unsure\"]}" "{\"xid\":\"E\",\"want\":[\"promo_b\"]}" >in &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s ids.db --no-trace in >out1 &&
	printf "%s\n" "{\"xid\":\"F\",\"want\":[\"big\"]}" "{\"xid\":\"A\",\"want\":[\"promo_a\"]}" \
		"{\"xid\":\"C\",\"want\":[\"text\"],\"context\":{\"sms_ok\":true,\"tz\":\"UTC\"}}" \
		"{\"xid\":\"G\",\"want\":[\"unsure\"]}" >in2 &&
	XO_NOW=2026-03-19T12:00:00Z xo-decide -q -r "$P" -s ids.db --no-trace in2 >out2 &&
	cat >expect <<-\EOF &&
	contact 1 A promo_a sent
	contact 2 B big held
	contact 3 C text sent
	contact 4 D unsure held
	contact 5 E promo_b sent
	contact 6 F big held
	contact 7 A promo_a sent
	contact 8 G unsure held
	review 1 B big 2
	review 2 D unsure 4
	review 3 F big 6
	review 4 G unsure 8
	EOF
	$PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(t, *r) for t, q in ((\"contact\", \"status\"), (\"review\", \"contact_id\")) for r in c.execute(\"select id, xid, action, %s from %s order by id\" % (q, t))]" ids.db >rows &&
	test_cmp expect rows &&
	# Each review names its held contact, and the output its review.
	test "$(count ids.db "select count(*) from review r join contact c on c.id = r.contact_id and c.decision_id = r.decision_id and c.xid = r.xid and c.action = r.action")" = 4 &&
	test "$(jq -r "select(.decisions[0].review_id) | .xid + \" \" + (.decisions[0].review_id | tostring)" out1 out2 | tr "\n" " ")" = "B 1 D 2 F 3 G 4 " &&
	test "$(jq -r ".decisions[0].status" out2 | tr "\n" " ")" = "queued sent null queued "
'

test_expect_success 'a batch reads its histories at once, as one record at a time would' '
	$PY - >in <<-\PYEOF &&
	import json, random
	r = random.Random(5)
	acts = ["big", "unsure", "text", "call", "promo_a", "promo_b"]
	ids = ["B%d" % i for i in range(40)] + ["q\"uote", "\u00e9t\u00e9", "back\\slash"]
	for _ in range(400):
	    print(json.dumps({"xid": r.choice(ids), "want": r.sample(acts, r.randint(1, 3)),
	                      "context": {"sms_ok": True, "tz": "UTC"}}))
	PYEOF
	head -n 150 in >first &&
	XO_NOW=2026-03-14T12:00:00Z xo-decide -q -r "$P" -s h.db first >/dev/null &&
	cp h.db h1.db && cp h.db h64.db &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s h1.db --batch 1 in >one &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s h64.db --batch 64 in >many &&
	test_cmp one many &&
	for f in h1 h64; do
		$PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(t, r) for t in (\"contact\", \"review\") for r in c.execute(\"select * from %s order by id\" % t)]" $f.db >$f.rows || exit 1
	done &&
	test_cmp h1.rows h64.rows &&
	grep -q "held" h1.rows &&
	# Again at the same moment: contacts read and recorded share a time.
	cp h1.db h1b.db && cp h1.db h64b.db &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s h1b.db --batch 1 in >one &&
	XO_NOW=2026-03-15T12:00:00Z xo-decide -q -r "$P" -s h64b.db --batch 64 in >many &&
	test_cmp one many &&
	XO_NOW=2026-03-16T12:00:00Z xo-decide -q -r "$P" -s h1.db --dry-run --batch 1 in >dry1 &&
	XO_NOW=2026-03-16T12:00:00Z xo-decide -q -r "$P" -s h1.db --dry-run --batch 64 in >dry64 &&
	test_cmp dry1 dry64 &&
	xo-decide -q -r "$P" -s h1.db --as-of 2026-03-15T12:30:00Z --batch 1 in >asof1 &&
	xo-decide -q -r "$P" -s h1.db --as-of 2026-03-15T12:30:00Z --batch 64 in >asof64 &&
	test_cmp asof1 asof64
'

test_done
