#!/bin/bash
# xo-rules(5): a valid file passes --check; every kind of error refuses
# the whole file with FILE:LINE:COLUMN and what was expected (exit 2).
. "$(dirname "$0")/lib.sh"

test_expect_success 'the example rules file is valid' '
	xo-decide --check "$TESTDATA/decide/example.rules" 2>err &&
	grep -q "ok: 5 actions, 1 group\$" err
'

test_expect_code 0 '--check -q says nothing' '
	xo-decide -q --check "$TESTDATA/decide/example.rules" 2>err && test ! -s err
'

# bad NAME 'expected message' : the rules on stdin must be refused.
n=0
bad() {
	n=$((n + 1))
	cat >"$TEST_ROOT/bad$n.rules"
	printf 'xo-decide: bad.rules:%s\n' "$2" >"$TEST_ROOT/bad$n.want"
	test_expect_success "refused: $1" "
		cp '$TEST_ROOT/bad$n.rules' bad.rules &&
		rc=0 && xo-decide --check bad.rules 2>err || rc=\$? &&
		test \$rc = 2 && test_cmp '$TEST_ROOT/bad$n.want' err
	"
}

A='action a
    channel email'

bad 'a key outside any block' "1:1: expected 'policy', 'action' or 'group' in column 1, found 'when'" <<'X'
when x > 1
X
bad 'a number where a block should start' "2:1: expected 'policy', 'action' or 'group', found a number" <<'X'
# comment
42
X
bad 'an unknown action key' "3:5: unknown key 'valeu' in an action (expected when, value, propensity, weight, channel, route, group, cap, review or note)" <<X
$A
    valeu 3
X
bad 'an unknown policy key' "2:5: unknown key 'cooldwn' in the policy (expected cooldown, cap, quiet_hours, timezone, default_timezone, suppress, suppress_list, consent, review or top)" <<X
policy
    cooldwn 2d
$A
X
bad 'an unknown group key' "2:5: unknown key 'limit' in a group (expected cap)" <<X
group g
    limit 3
$A
X
bad 'a key given twice' "4:5: 'value' given twice (first on line 3)" <<X
$A
    value 1
    value 2
X
bad 'an action defined twice' "3:1: action a defined twice (first on line 1)" <<X
$A
action a
    channel sms
X
bad 'a group defined twice' "3:1: group g defined twice (first on line 1)" <<X
group g
    cap 1 per 2d
group g
    cap 2 per 2d
$A
X
bad 'an action without a channel' "1:1: action a has no channel" <<'X'
action a
    value 3
action b
    channel email
X
bad 'a route that is neither auto nor human' "3:11: expected 'auto' or 'human', found 'robot'" <<X
$A
    route robot
X
bad 'a channel that is not a name' "2:13: expected a channel name such as email, sms or phone, found a string" <<'X'
action a
    channel "email"
X
bad 'words after the channel' "2:19: expected end of line, found 'now'" <<'X'
action a
    channel email now
X
bad 'an expression error, with its column' "3:33: expected a value, a field or '(', found ')'" <<X
$A
    when context.tenure_days >= ) 
X
bad 'an operator at the end of the file' "4:1: expected a value, a field or '(', found end of input" <<X
$A
    when context.tenure_days >=
X
bad 'an unknown function' "3:10: unknown function 'day_since'" <<X
$A
    when day_since(ts) > 3
X
bad 'a bad regular expression' "3:22: bad pattern: column 5: missing closing parenthesis" <<X
$A
    when count_steps("(web", 3) > 0
X
bad 'a single = in a condition' "3:15: '=' is not an operator (use == to compare)" <<X
$A
    when tier = "gold"
X
bad 'a \$variable outside review' "3:11: \$variables can only be used in 'review', not in 'value'" <<X
$A
    value \$priority * 2
X
bad 'an unknown \$variable' "2:12: unknown variable \$score (known: \$value, \$propensity, \$weight, \$priority, \$action, \$channel)" <<X
policy
    review \$score > 3
$A
X
bad 'a cap without a count' "2:9: expected a whole number, found 'three'" <<X
policy
    cap three per 7d
$A
X
bad "a cap without 'per'" "2:11: expected 'per', found 'every'" <<X
policy
    cap 3 every 7d
$A
X
bad 'a cap with a bad duration' "2:15: expected a duration such as 48h, 30d or 2w, found a number" <<X
policy
    cap 3 per 7
$A
X
bad 'a cooldown with an unknown unit' "2:14: expected a duration such as 48h, 30d or 2w, found a number" <<X
policy
    cooldown 2y
$A
X
bad 'quiet hours that are no time of day' "2:17: expected a time of day in quotes such as \"21:00\", found a string" <<X
policy
    quiet_hours "25:00" "08:00"
$A
X
bad 'quiet hours of no length' '2:5: quiet hours start and end at the same time' <<X
policy
    quiet_hours "08:00" "08:00"
$A
X
bad 'an unknown time zone' '2:22: unknown time zone "Mars/Olympus": unknown time zone (no zoneinfo file)' <<X
policy
    default_timezone "Mars/Olympus"
$A
X
bad 'an unreadable suppression list' "2:19: cannot read suppression list nope.txt: No such file or directory" <<X
policy
    suppress_list "nope.txt"
$A
X
bad 'consent given twice for a channel' '3:5: consent for email given twice' <<X
policy
    consent email x == 1
    consent email y == 1
$A
X
bad 'top out of range' '2:5: top must be from 1 to 1000' <<X
policy
    top 0
$A
X
bad 'a second policy block' '3:1: a second policy block (the first is on line 1)' <<X
policy
    top 1
policy
    top 2
$A
X
bad 'no action at all' "1:1: no action defined (a rules file needs at least one 'action')" <<'X'
policy
    cooldown 2d
X
bad 'an unterminated note' '3:10: unterminated string' <<X
$A
    note "call them
X
bad 'an action name that is not a name' "1:8: expected an action name (letters, digits and _), found a number" <<'X'
action 42
    channel email
X

test_expect_code 2 'a rules file that does not exist' '
	rc=0; xo-decide --check nope.rules 2>err || rc=$?
	grep -q "nope.rules: No such file or directory" err || exit 99
	exit $rc
'

test_expect_code 2 'deciding with a broken rules file writes nothing' '
	printf "action a\n    channel\n" >r.rules &&
	rc=0; echo "{\"xid\":\"A\"}" | xo-decide -r r.rules >out 2>err || rc=$?
	test ! -s out && grep -q "r.rules:2:12: expected a channel name" err || exit 99
	exit $rc
'

test_expect_success 'continued lines: an operator or an open bracket carries on' '
	cat >r.rules <<-\EOF &&
	action a
	    when context.x > 1 and
	         context.y < 2
	    when context.z in ["a",
	                       "b"]
	    channel email
	EOF
	echo "{\"xid\":\"A\",\"context\":{\"x\":2,\"y\":1,\"z\":\"b\"}}" |
		xo-decide -r r.rules --no-trace >out &&
	grep -q "\"action\":\"a\"" out
'

test_done
