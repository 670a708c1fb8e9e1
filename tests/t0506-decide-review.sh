#!/bin/bash
# The review queue: decisions routed to a person are queued; verdicts
# (approve, reject, change) are stored with reviewer, time and reason;
# --export writes the approved ones once; --list shows the queue. The
# session reads commands from standard input when it is not a terminal
# (t0507 drives the Readline session through a pseudo-terminal).
. "$(dirname "$0")/lib.sh"

P=$TESTDATA/decide/policy.rules
PY=/usr/bin/python3
q() {
	$PY -c "import sqlite3,sys; print('\n'.join('|'.join(map(str, r)) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))" "$@"
}

# Three decisions for review: 1 and 3 by value (600), 2 by propensity.
setup() {
	printf "%s\n" "{\"xid\":\"R1\",\"want\":[\"big\"]}" "{\"xid\":\"R2\",\"want\":[\"unsure\"]}" \
		"{\"xid\":\"R3\",\"want\":[\"big\"]}" | xo-decide -q -r "$P" -s st.db >queued
}

test_expect_success 'decisions routed to a person are queued' '
	setup &&
	test "$(jq -c "[.decisions[0] | .review_id, .status]" queued | tr -d "\n")" = \
		"[1,\"queued\"][2,\"queued\"][3,\"queued\"]" &&
	xo-decide review -s st.db --list >out &&
	cat >want <<-\EOF &&
	   ID  STATUS    XID             ACTION                CHANNEL   QUEUED                WHY
	    1  pending   R1              big                   email     2026-03-15T12:00:00Z  review $value >= 500
	    2  pending   R2              unsure                email     2026-03-15T12:00:00Z  review $propensity < 0.2
	    3  pending   R3              big                   email     2026-03-15T12:00:00Z  review $value >= 500
	EOF
	test_cmp want out
'

test_expect_success 'the list widens a column for a longer xid, and the columns stay lined up' '
	printf "%s\n" "{\"xid\":\"x669fb3ddfe6896d2\",\"want\":[\"big\"]}" \
		"{\"xid\":\"R2\",\"want\":[\"unsure\"]}" | xo-decide -q -r "$P" -s wide.db >/dev/null &&
	xo-decide review -s wide.db --list >out &&
	cat >want <<-\EOF &&
	   ID  STATUS    XID                ACTION                CHANNEL   QUEUED                WHY
	    1  pending   x669fb3ddfe6896d2  big                   email     2026-03-15T12:00:00Z  review $value >= 500
	    2  pending   R2                 unsure                email     2026-03-15T12:00:00Z  review $propensity < 0.2
	EOF
	test_cmp want out
'

test_expect_success 'without --state a queued review is lost, and a warning says so' '
	printf "%s\n" "{\"xid\":\"R1\",\"want\":[\"big\"]}" "{\"xid\":\"R2\",\"want\":[\"unsure\"]}" >in &&
	xo-decide -r "$P" in >out 2>err &&
	test "$(jq -r ".decisions[0].status" out | sort -u)" = queued &&
	cat >want <<-\EOF &&
	xo-decide: 2 records, 2 decisions (2 for review), 0 without a decision, 0 rejected
	xo-decide: without --state the review queue ends with the run (2 queued here): give -s DB to review them
	EOF
	test_cmp want err &&
	xo-decide -q -r "$P" in >/dev/null 2>err && test ! -s err &&
	xo-decide -r "$P" -s st2.db in >/dev/null 2>err && ! grep -q "without --state" err &&
	echo "{\"xid\":\"R9\",\"want\":[\"small\"]}" | xo-decide -r "$P" 2>err >/dev/null &&
	! grep -q "without --state" err
'

test_expect_success 'verdicts with reviewer, time and reason' '
	setup &&
	cat >cmds <<-\EOF &&
	approve 1 long-standing customer, call is right
	reject 2 not worth a contact
	change 3 action unsure cheaper follow-up
	approve 2 changed my mind
	reject 3
	frobnicate
	EOF
	XO_NOW=2026-03-15T14:30:00Z xo-decide review -s st.db -r "$P" --reviewer anna <cmds >out &&
	cat >want <<-\EOF &&
	review 1 approved by anna
	review 2 rejected by anna
	review 3 changed by anna
	error: review 2 is already rejected
	error: reject needs a reason
	error: unknown command '"'"'frobnicate'"'"'; '"'"'help'"'"' lists them
	EOF
	test_cmp want out &&
	q st.db "select id, status, reviewer, verdict_ts, verdict_reason, coalesce(new_action, \"-\") from review order by id" >got &&
	cat >want <<-\EOF &&
	1|approved|anna|1773585000000000|long-standing customer, call is right|-
	2|rejected|anna|1773585000000000|not worth a contact|-
	3|changed|anna|1773585000000000|cheaper follow-up|unsure
	EOF
	test_cmp want got &&
	# The approved contacts are made at the verdict; the rejected one is gone.
	q st.db "select xid, action, status, ts from contact order by xid" >got &&
	cat >want <<-\EOF &&
	R1|big|sent|1773585000000000
	R3|unsure|sent|1773585000000000
	EOF
	test_cmp want got
'

test_expect_success 'change to an action the rules do not have is refused' '
	setup &&
	echo "change 1 action teleport because" |
		xo-decide review -s st.db -r "$P" --reviewer bo >out &&
	echo "error: no action teleport in $P" >want && test_cmp want out
'

test_expect_success '--export writes the approved decisions once; --all again' '
	setup &&
	printf "approve 1 ok\nchange 3 channel phone call instead\n" |
		XO_NOW=2026-03-15T14:30:00Z xo-decide review -s st.db --reviewer anna >/dev/null &&
	xo-decide review -s st.db --export >one &&
	xo-decide review -s st.db --export >two &&
	xo-decide review -s st.db --export --all >all &&
	jq -c "[.review_id, .xid, .action, .channel, .verdict, .reviewer, .verdict_at, .verdict_reason, .decision.decisions[0].priority]" one >got &&
	cat >want <<-\EOF &&
	[1,"R1","big","email","approved","anna","2026-03-15T14:30:00Z","ok",300]
	[3,"R3","big","phone","changed","anna","2026-03-15T14:30:00Z","call instead",300]
	EOF
	test_cmp want got &&
	test ! -s two &&
	test_cmp one all
'

test_expect_success '--export --dry-run does not mark them' '
	setup &&
	echo "approve 2 fine" | xo-decide review -s st.db --reviewer anna >/dev/null &&
	xo-decide review -s st.db --export --dry-run >one &&
	xo-decide review -s st.db --export >two &&
	test_cmp one two && test "$(wc -l <one)" = 1
'

test_expect_success 'show: the decision with its whole trace' '
	setup &&
	echo "show 2" | xo-decide review -s st.db >out &&
	head -6 out >got &&
	cat >want <<-\EOF &&
	review 2: pending
	  xid:       R2
	  action:    unsure by email
	  queued:    2026-03-15T12:00:00Z (review $propensity < 0.2)
	  decision:  d82501de49b4f6ce4
	  trace:
	EOF
	test_cmp want got &&
	sed 1,6d out | jq -c "[.xid, .decisions[0].status, .trace.eligible[0].priority]" >got &&
	echo "[\"R2\",\"queued\",10]" >want &&
	test_cmp want got
'

test_expect_success 'show XID: every review of that customer' '
	setup &&
	printf "show R3\nshow R7\n" | xo-decide review -s st.db >out &&
	grep -q "^review 3: pending" out &&
	grep -q "^error: no review for R7" out
'

test_expect_code 2 'review needs a state' 'xo-decide review --list'

test_done
