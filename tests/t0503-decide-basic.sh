#!/bin/bash
# xo-decide on journey and score records: decisions with their whole
# trace (golden), --explain, determinism, ties, --top, rejects, the
# live-event join (--context) and profiles.
#
# The expected files were checked by hand against xo-decide(1) and the
# example rules: C1001 retention_call 0.72 x 600 x 1.5 = 648 (route
# human, queued); C1002 retention_email 0.35 x 120 = 42 (tenure "200"
# compares as a number); C1003 service_recovery 0.8 x 300 x 1.2 = 288
# (3 failed contacts in 7 days, London 12:00 is not quiet); C1004
# detractor_followup 0.6 x 200 = 120 (NPS 3 two days ago); C1005 welcome 0.9 x 50 = 45; C1006
# suppressed by do_not_contact; C1007 on suppress.txt; C1008
# service_recovery removed by quiet hours (Tokyo 21:00) so the
# detractor follow-up wins; C1009 opted out of email; C1010 nothing
# eligible; line 10 has no xid and line 11 is not JSON (both rejected).
. "$(dirname "$0")/lib.sh"

R=$TESTDATA/decide/example.rules
J=$TESTDATA/decide/journeys.ndjson

test_expect_code 1 'journeys: decisions and trace, rejects counted' '
	rc=0; xo-decide -r "$R" "$J" >out 2>err || rc=$?
	test_cmp "$EXPECT/decide/journeys.ndjson" out &&
	grep -q "10 records, 6 decisions (1 for review), 4 without a decision, 2 rejected" err || exit 99
	exit $rc
'

test_expect_code 1 'the same input, rules and state give the same bytes' '
	rc=0; xo-decide -q -r "$R" "$J" >a || rc=$?
	xo-decide -q -r "$R" "$J" >b || rc=$?
	cmp a b || exit 99
	exit $rc
'

test_expect_code 1 '--explain: the same trace for people' '
	rc=0; xo-decide -q -x -r "$R" "$J" >out || rc=$?
	test_cmp "$EXPECT/decide/journeys.explain" out || exit 99
	exit $rc
'

test_expect_code 1 '--rejects keeps the unusable records with file and line' '
	rc=0; xo-decide -q -r "$R" --rejects rej.ndjson "$J" >/dev/null || rc=$?
	jq -c "[.line, .reason]" rej.ndjson >got &&
	printf "%s\n" "[10,\"no \\\"xid\\\"\"]" \
		"[11,\"invalid JSON at column 3: invalid token near '"'"'not'"'"'\"]" >want &&
	test_cmp want got || exit 99
	exit $rc
'

test_expect_success '--no-trace leaves the trace out' '
	head -1 "$J" | xo-decide -q -r "$R" --no-trace >out &&
	test "$(jq -c "keys" out)" = "[\"at\",\"decisions\",\"xid\"]"
'

test_expect_success 'ties are broken by action name; one action per group; top K' '
	echo "{\"xid\":\"T1\"}" | xo-decide -q -r "$TESTDATA/decide/ties.rules" -x >out &&
	test_cmp "$EXPECT/decide/ties.explain" out
'

test_expect_success '--top overrides the rules file' '
	echo "{\"xid\":\"T1\"}" | xo-decide -q -r "$TESTDATA/decide/ties.rules" --top 1 >out &&
	test "$(jq -c "[.decisions[].action]" out)" = "[\"grouped_b\"]" &&
	test "$(jq -c "[.trace.removed[] | .action + \":\" + .policy]" out)" = \
		"[\"grouped_a:top\",\"alpha:top\",\"mid:top\",\"zeta:top\"]" &&
	test "$(jq -r ".trace.removed[0].why" out)" = "ranked 2; only the top 1 is taken"
'

test_expect_success 'an unscorable action is explained, not ranked' '
	echo "{\"xid\":\"S1\",\"want\":[\"scored\"],\"context\":{\"amount\":\"lots\"},\"prediction\":{}}" |
		xo-decide -q -r "$TESTDATA/decide/policy.rules" >out &&
	test "$(jq -c ".trace.failed[] | select(.action == \"scored\") | .unscored" out)" = \
		"\"propensity prediction.p is null\""
'

test_expect_success 'a condition that fails at run time says why' '
	printf "action a\n    when context.x * 2 > 3\n    channel email\n" >r.rules &&
	echo "{\"xid\":\"E1\",\"context\":{\"x\":\"abc\"}}" | xo-decide -q -r r.rules >out &&
	test "$(jq -c ".trace.failed[0] | [.condition, .error, .values]" out)" = \
		"[\"context.x * 2 > 3\",\"column 10: cannot multiply string and number\",{\"context.x\":\"abc\"}]"
'

test_expect_code 1 'live events joined with stored context and profiles' '
	rc=0
	xo-decide -r "$R" -c "$J" -p "$TESTDATA/decide/profiles.ndjson" \
		"$TESTDATA/decide/events.ndjson" >out 2>err || rc=$?
	test_cmp "$EXPECT/decide/events.ndjson" out || exit 99
	exit $rc
'

test_expect_success 'the live event counts as a step' '
	# C2000 is not in the context: only the event itself, a cancel page
	# view, is known; with tenure from a context file it qualifies.
	echo "{\"xid\":\"C2000\",\"context\":{\"tenure_days\":900}}" >ctx.ndjson &&
	sed -n 2p "$TESTDATA/decide/events.ndjson" |
		xo-decide -q -r "$R" -c ctx.ndjson --no-trace >out &&
	test "$(jq -c "[.decisions[] | .action, .priority]" out)" = "[\"retention_call\",450]"
'

test_expect_success '--eval prints an expression per record' '
	xo-decide --eval "count_steps(\"call:.*\") + 1" "$J" 2>/dev/null | head -3 >out &&
	printf "1\n1\n3\n" >want && test_cmp want out
'

test_done
