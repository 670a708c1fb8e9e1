#!/bin/bash
# The Readline shells, driven through a pseudo-terminal
# (tests/pty-drive.py with Debian's /usr/bin/python3): tab completion of
# commands, review ids, action names and xids, history, the review
# session and the what-if shell with reload.
. "$(dirname "$0")/lib.sh"

P=$TESTDATA/decide/policy.rules
R=$TESTDATA/decide/example.rules
J=$TESTDATA/decide/journeys.ndjson
DRIVE="/usr/bin/python3 $SRC/tests/pty-drive.py"

test_expect_success 'review on a terminal: completion, history, verdicts' '
	printf "%s\n" "{\"xid\":\"R1\",\"want\":[\"big\"]}" "{\"xid\":\"R2\",\"want\":[\"unsure\"]}" |
		xo-decide -q -r "$P" -s st.db >/dev/null &&
	cat >script <<-\EOF &&
	expect 2 pending reviews
	expect review>
	# "li<TAB>" completes to "list"
	send li\t\n
	expect R2
	expect review>
	# up arrow: the same command again from history
	send \e[A\n
	expect R2
	expect review>
	send appr\t1 fine by me\n
	expect review 1 approved by tester
	expect review>
	send change 2 action bi\t\t
	send cheaper\n
	expect review 2 changed by tester
	expect review>
	send quit\n
	EOF
	HOME=$PWD $DRIVE script xo-decide review -s st.db -r "$P" --reviewer tester >out &&
	grep -q "approve 1 fine by me" out &&
	grep -q "^change 2 action big cheaper" .xo_decide_history &&
	test -s .xo_decide_history &&
	grep -q "^approve 1 fine by me" .xo_decide_history &&
	xo-decide review -s st.db --list all >list &&
	grep -Eq "^ +2 +changed +R2 +big +email " list
'

test_expect_success 'review completes the pending ids and the xids' '
	echo "{\"xid\":\"R9\",\"want\":[\"big\"]}" | xo-decide -q -r "$P" -s st2.db >/dev/null &&
	cat >script <<-\EOF &&
	expect review>
	send approve \tok\n
	expect review 1 approved by
	expect review>
	send show R\t\n
	expect review 1: approved
	expect review>
	send quit\n
	EOF
	XO_HISTORY= USER=reviewer $DRIVE script xo-decide review -s st2.db >out
'

test_expect_success 'what-if: load by xid (completed), change a field, see it again' '
	cat >script <<-\EOF &&
	expect what-if>
	send load C100\t\t
	expect C1009
	send 1\n
	expect retention_call by phone
	expect what-if>
	send set context.tenure_days 100\n
	expect retention_email by email
	expect priority 86.4 = propensity 0.72 x value 120 x weight 1
	expect what-if>
	send set prediction.p "0.5"\n
	expect priority 60 =
	expect what-if>
	send eval context.tenure_days * 2\n
	expect 200
	expect what-if>
	send unset context.tenure_days\n
	expect 0 decisions
	expect what-if>
	send quit\n
	EOF
	XO_HISTORY= $DRIVE script xo-decide -i -r "$R" -c "$J" >out
'

test_expect_success 'what-if: paste a record, edit the rules, reload' '
	cp "$R" my.rules && cp "$TESTDATA/decide/suppress.txt" . &&
	cat >script <<-\EOF &&
	expect what-if>
	send {"xid":"W1","context":{"tenure_days":10},"steps":[]}\n
	expect 1. welcome by email
	expect priority 45 =
	expect what-if>
	shell sed -i "s/value 50/value 100/" my.rules
	send reload\n
	expect reloaded my.rules: 5 actions
	expect priority 90 =
	expect what-if>
	shell sed -i "s/channel email/channel/" my.rules
	send reload\n
	expect my.rules:56:12: expected a channel name
	expect (the rules in use are unchanged)
	send decide\n
	expect priority 90 =
	expect what-if>
	send rules\n
	expect welcome
	expect what-if>
	send quit\n
	EOF
	XO_HISTORY= $DRIVE script xo-decide -i -r my.rules >out
'

test_expect_success 'what-if reads commands from a pipe too' '
	printf "%s\n" "record {\"xid\":\"W2\",\"context\":{\"tenure_days\":5}}" json help quit >cmds &&
	xo-decide -i -r "$R" <cmds >out &&
	grep -q "^W2 at 2026-03-15T12:00:00Z: 1 decision" out &&
	grep -q "^{\"xid\":\"W2\"" out &&
	grep -q "reload .*read the rules file again" out
'

test_done
