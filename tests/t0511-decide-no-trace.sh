#!/bin/bash
# xo-decide --no-trace tries the actions best first and stops at the top
# K; it must decide exactly as the full run, which tries every action:
# the same lines without "trace", the same contacts and reviews in the
# state, run after run. The rules mix what could tell them apart: ties
# of priority (broken by name), a priority that is not a number (inf x 0,
# ranked last), a negative propensity, a value that is not a number, a
# condition that fails with an error, fixed and varying scores, groups,
# caps, a cooldown, review routing and --top; and the orders made once
# for actions sharing a propensity, which a propensity of 0 or below
# upsets.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
# The tests share their files: they work in one directory.
W=$TEST_ROOT/no-trace
mkdir -p "$W" && cd "$W" || exit 1
dump() { # DB: its contacts and reviews, one row a line
	$PY -c "import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for t in ('contact', 'review'):
    for r in db.execute('select * from ' + t + ' order by id'): print(t, r)" "$1"
}
untraced() { sed 's/,"trace":{.*}}$/}/' "$@"; }

cat >mixed.rules <<\EOF
policy
    cooldown 1h
    cap 3 per 7d
    cap channel sms 1 per 1d
    review $value >= 900

group promo
    cap 2 per 2d

# Fixed scores, two of them tied at 60 (names decide).
action tie_b
    when "tie" in want
    value 60
    channel email
action tie_a
    when "tie" in want
    value 30
    weight 2
    channel email
# A varying propensity, shared by three actions.
action model_hi
    when p > 0.1
    value 500
    propensity p
    channel phone
action model_mid
    when "mid" in want or p > 0.5
    value 80
    propensity p
    channel sms
    group promo
action model_neg
    when "neg" in want
    value 100
    propensity p - 1
    channel push
# Sharing p too; first by value x weight, last by name: for p = 0 the
# order made once does not hold.
action a_model_low
    when "low" in want
    value 10
    propensity p
    channel push
# Sharing p - 1 with model_neg: below 0, their order turns round.
action neg_two
    when "neg" in want
    value 50
    weight 3
    propensity p - 1
    channel email
# 1e300 x 1e300 is inf, x 0 is not a number: ranked after every number.
action not_a_number
    when "nan" in want
    value 1e300
    propensity 1e300
    weight 0
    channel email
# A value read from the record: not a number for some records.
action from_field
    when exists(amount)
    value amount
    channel email
    group promo
action broken
    when 10 / zero > 1
    value 1000
    channel email
action big
    when "big" in want
    value 950
    propensity 0.5
    channel email
action last
    when true
    value 1
    channel push
EOF

# 400 records: every mix of wants, a propensity, an amount.
$PY - >in.ndjson <<\EOF
import json, random
rnd = random.Random(11)
wants = ["tie", "mid", "neg", "nan", "big", "low"]
for c in range(400):
    rec = {"xid": "X%03d" % (c % 150), "want": [w for w in wants if rnd.random() < 0.35],
           "p": round(rnd.choice([0, 0.05, 0.3, 0.6, 0.9, rnd.random()]), 3), "zero": c % 3}
    if rnd.random() < 0.6:
        rec["amount"] = rnd.choice([10, 75.5, 200, "12", "lots", None])
    print(json.dumps(rec))
EOF

test_expect_success 'a priority that is not a number ranks after every number' '
	cd "$W" &&
	echo "{\"xid\":\"N\",\"want\":[\"nan\"],\"p\":0}" | xo-decide -q -r mixed.rules >out &&
	test "$(jq -c "[.trace.eligible[] | [.action, .priority]], [.decisions[].action]" out | tr "\n" " ")" = \
		"[[\"last\",1],[\"not_a_number\",null]] [\"last\"] "
'

test_expect_success 'ties of priority: broken by name, whichever way they are found' '
	cd "$W" &&
	echo "{\"xid\":\"T\",\"want\":[\"tie\"],\"p\":0}" | xo-decide -q -k 3 -r mixed.rules >full &&
	echo "{\"xid\":\"T\",\"want\":[\"tie\"],\"p\":0}" | xo-decide -q -k 3 --no-trace -r mixed.rules >out &&
	test "$(jq -c "[.decisions[] | [.rank, .action, .priority]]" out)" = \
		"[[1,\"tie_a\",60],[2,\"tie_b\",60],[3,\"last\",1]]" &&
	untraced full >want && test_cmp want out
'

test_expect_success 'actions sharing a propensity: in the order of this record, not the one made once' '
	cd "$W" &&
	# p = 0: the three sharing p tie at 0 (a_model_low first by name);
	# p - 1 below 0: model_neg (-95) before neg_two (-142.5).
	printf "%s\n" "{\"xid\":\"R1\",\"want\":[\"low\",\"mid\"],\"p\":0}" \
		"{\"xid\":\"R2\",\"want\":[\"neg\"],\"p\":0.05}" >runs.ndjson &&
	xo-decide -q -k 3 -r mixed.rules runs.ndjson >full &&
	xo-decide -q -k 3 --no-trace -r mixed.rules runs.ndjson >out &&
	jq -c "[.decisions[] | [.action, .priority]]" out >got &&
	cat >want <<-\EOF &&
	[["last",1],["a_model_low",0],["model_mid",0]]
	[["last",1],["model_neg",-95],["neg_two",-142.5]]
	EOF
	test_cmp want got &&
	untraced full >want && test_cmp want out
'

test_expect_success 'without a state: the same decisions as the full run, for every --top' '
	cd "$W" &&
	for k in 1 2 4; do
		XO_NOW=2026-03-01T12:00:00Z xo-decide -q -k $k -r mixed.rules in.ndjson >full.$k &&
		XO_NOW=2026-03-01T12:00:00Z xo-decide -q -k $k --no-trace -r mixed.rules in.ndjson >out.$k &&
		untraced full.$k >want.$k && test_cmp want.$k out.$k || return 1
	done &&
	# What the rules are for: all of these happen.
	cat full.1 full.2 full.4 | jq -r ".trace.removed[].policy" | sort -u >policies &&
	printf "%s\n" cap cooldown group pending_review top >want &&
	test_cmp want policies &&
	cat full.1 | jq -r ".trace.failed[] | select(.error or .unscored) | .action" | sort -u >odd &&
	printf "%s\n" broken from_field >want && test_cmp want odd &&
	test "$(jq -r "select(.decisions[].route == \"human\") | .xid" full.1 | wc -l)" -gt 5
'

test_expect_success 'with a state, three runs: the same lines, contacts and reviews' '
	cd "$W" &&
	rm -f a.db* b.db* &&
	for at in 2026-03-01T12:00:00Z 2026-03-01T14:00:00Z 2026-03-02T13:00:00Z; do
		XO_NOW=$at xo-decide -q -k 2 -r mixed.rules -s a.db in.ndjson >full &&
		XO_NOW=$at xo-decide -q -k 2 --no-trace -r mixed.rules -s b.db in.ndjson >out &&
		untraced full >want && test_cmp want out &&
		dump a.db >want && dump b.db >got && test_cmp want got &&
		jq -r ".trace.removed[].policy" full >>policies || return 1
	done &&
	sort -u policies >got &&
	printf "%s\n" cap channel_cap cooldown group pending_review top >want &&
	test_cmp want got &&
	test "$(dump b.db | grep -c "^review")" -gt 5 &&
	# The reviews keep the whole trace either way.
	test "$(dump b.db | grep "^review" | grep -c "\"failed\":\[")" = "$(dump b.db | grep -c "^review")"
'

test_expect_success '--dry-run --no-trace reads the state as the full dry run does' '
	cd "$W" &&
	XO_NOW=2026-03-02T14:00:00Z xo-decide -q -n -r mixed.rules -s b.db in.ndjson >full &&
	XO_NOW=2026-03-02T14:00:00Z xo-decide -q -n --no-trace -r mixed.rules -s b.db in.ndjson >out &&
	untraced full >want && test_cmp want out
'

test_done
