#!/bin/bash
# The contact policy, one policy at a time (testdata/decide/policy.rules):
# cooldown, caps per customer (overall, channel, action, group), group
# exclusion, quiet hours in the customer's zone, suppression (rule and
# list), channel consent, review routing and a pending review. The
# expected lines were worked out by hand from the rules file; the
# times are given by XO_NOW on each run.
. "$(dirname "$0")/lib.sh"

P=$TESTDATA/decide/policy.rules

# run TIME RECORD [OPTION...]: decide with the state file st.db and
# print the decisions and what policy removed, one line.
run() {
	local now=$1 rec=$2
	shift 2
	echo "$rec" | XO_NOW=$now xo-decide -q -r "$P" -s st.db "$@" |
		jq -c '[[.decisions[] | .action + "/" + .status],
			[.trace.removed[] | .action + ":" + .policy + ": " + .why]]'
}

test_expect_success 'cooldown after any contact, then the overall cap' '
	r="{\"xid\":\"P1\",\"context\":{\"sms_ok\":true,\"tz\":\"UTC\"},\"want\":"
	run 2026-03-15T12:00:00Z "$r[\"promo_a\"]}" >out &&
	run 2026-03-15T13:00:00Z "$r[\"text\"]}" >>out &&
	run 2026-03-15T15:00:00Z "$r[\"text\"]}" >>out &&
	run 2026-03-15T18:00:00Z "$r[\"promo_b\"]}" >>out &&
	cat >want <<-\EOF &&
	[["promo_a/sent"],[]]
	[[],["text:cooldown: last contact 2026-03-15T12:00:00Z (promo_a by email) is within the 2h cooldown"]]
	[["text/sent"],[]]
	[[],["promo_b:cap: 2 contacts in the last 7d; cap 2 per 7d"]]
	EOF
	test_cmp want out
'

test_expect_success 'a channel cap' '
	r="{\"xid\":\"P2\",\"context\":{\"sms_ok\":true},\"want\":[\"text\"]}"
	run 2026-03-15T12:00:00Z "$r" >out &&
	run 2026-03-15T15:00:00Z "$r" >>out &&
	cat >want <<-\EOF &&
	[["text/sent"],[]]
	[[],["text:channel_cap: 1 sms contact in the last 7d; cap 1 per 7d"]]
	EOF
	test_cmp want out
'

test_expect_success 'an action cap, then its group cap' '
	r="{\"xid\":\"P3\",\"want\":"
	run 2026-03-15T12:00:00Z "$r[\"promo_a\"]}" >out &&
	run 2026-03-15T15:00:00Z "$r[\"promo_a\"]}" >>out &&
	run 2026-03-16T13:00:00Z "$r[\"promo_a\"]}" >>out &&
	run 2026-03-16T13:00:00Z "$r[\"promo_b\"]}" >>out &&
	run 2026-03-18T13:00:00Z "$r[\"promo_b\"]}" >>out &&
	cat >want <<-\EOF &&
	[["promo_a/sent"],[]]
	[[],["promo_a:action_cap: 1 promo_a in the last 1d; cap 1 per 1d"]]
	[[],["promo_a:group_cap: 1 contact from group promo in the last 3d; cap 1 per 3d"]]
	[[],["promo_b:group_cap: 1 contact from group promo in the last 3d; cap 1 per 3d"]]
	[["promo_b/sent"],[]]
	EOF
	test_cmp want out
'

test_expect_success 'a group cap counts what this decision already chose' '
	run 2026-03-15T12:00:00Z "{\"xid\":\"P4\",\"want\":[\"promo_a\",\"promo_b\"]}" --top 2 >out &&
	echo "[[\"promo_a/sent\"],[\"promo_b:group_cap: 1 contact from group promo in the last 3d; cap 1 per 3d\"]]" >want &&
	test_cmp want out
'

test_expect_success 'quiet hours in the customer zone, for the listed channels only' '
	r="{\"xid\":\"P5\",\"context\":{\"tz\":\"America/New_York\"},\"want\":"
	# 03:00Z is 23:00 in New York (EDT since 8 March 2026); 12:00Z is 08:00.
	run 2026-03-15T03:00:00Z "$r[\"call\"]}" --dry-run >out 2>&1 &&
	run 2026-03-15T03:00:00Z "{\"xid\":\"P5b\",\"context\":{\"tz\":\"America/New_York\"},\"want\":[\"promo_a\"]}" >>out &&
	run 2026-03-15T12:00:00Z "$r[\"call\"]}" >>out &&
	cat >want <<-\EOF &&
	[[],["call:quiet_hours: quiet hours 22:00-07:00 in America/New_York (local time 23:00)"]]
	[["promo_a/sent"],[]]
	[["call/sent"],[]]
	EOF
	test_cmp want out
'

test_expect_success 'an unknown zone falls back to the default, and says so' '
	run 2026-03-15T03:00:00Z "{\"xid\":\"P6\",\"context\":{\"tz\":\"Nowhere/Land\"},\"want\":[\"call\"]}" >out &&
	echo "[[],[\"call:quiet_hours: quiet hours 22:00-07:00 in UTC (local time 03:00); zone \\\"Nowhere/Land\\\" unknown (unknown time zone (no zoneinfo file)), used UTC\"]]" >want &&
	test_cmp want out
'

test_expect_success 'suppression by a rule and by the list' '
	run 2026-03-15T12:00:00Z "{\"xid\":\"P7\",\"context\":{\"blocked\":true},\"want\":[\"promo_a\",\"big\"]}" >out &&
	run 2026-03-15T12:00:00Z "{\"xid\":\"C1007\",\"want\":[\"promo_a\"]}" >>out &&
	cat >want <<-EOF &&
	[[],["big:suppressed: suppress context.blocked == true","promo_a:suppressed: suppress context.blocked == true"]]
	[[],["promo_a:suppressed: on the suppression list suppress.txt"]]
	EOF
	test_cmp want out
'

test_expect_success 'no consent for the channel' '
	run 2026-03-15T12:00:00Z "{\"xid\":\"P8\",\"context\":{\"sms_ok\":\"yes\"},\"want\":[\"text\"]}" >out &&
	echo "[[],[\"text:consent: no consent for sms: context.sms_ok == true does not hold\"]]" >want &&
	test_cmp want out
'

test_expect_success 'high value and low propensity go to a person; a pending review holds' '
	run 2026-03-15T12:00:00Z "{\"xid\":\"P9\",\"want\":[\"big\"]}" >out &&
	run 2026-03-15T12:00:00Z "{\"xid\":\"P10\",\"want\":[\"unsure\"]}" >>out &&
	run 2026-03-15T20:00:00Z "{\"xid\":\"P9\",\"want\":[\"big\"]}" >>out &&
	cat >want <<-\EOF &&
	[["big/queued"],[]]
	[["unsure/queued"],[]]
	[[],["big:pending_review: already waiting for review since 2026-03-15T12:00:00Z"]]
	EOF
	test_cmp want out &&
	echo "{\"xid\":\"P11\",\"want\":[\"big\"]}" | xo-decide -q -r "$P" -s st.db >out &&
	test "$(jq -c ".decisions[0] | [.route, .review_id, .review_reason, .priority]" out)" = \
		"[\"human\",3,\"review \$value >= 500\",300]"
'

test_expect_success 'a review condition that cannot be evaluated asks a person' '
	cat >r.rules <<-\EOF &&
	policy
	    review $value / context.zero > 1
	action a
	    value 10
	    channel email
	EOF
	echo "{\"xid\":\"P12\",\"context\":{\"zero\":0}}" | xo-decide -q -r r.rules >out &&
	test "$(jq -c ".decisions[0] | [.route, .review_reason]" out)" = \
		"[\"human\",\"review \$value / context.zero > 1 (error: column 12: division by zero)\"]"
'

test_done
